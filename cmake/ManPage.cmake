# Writes a man page (roff) from a program's --help, run at build time:
#   cmake -DPROGRAM=path/to/gt -DNAME=gt -DSECTION=1 -DSUMMARY="..." -DOUTPUT=gt.1
#         -DVERSION=0.1.0 -DRESOURCES=/usr/share/greentrainer
#         [-DSUBCOMMANDS=ON] -P ManPage.cmake
# With SUBCOMMANDS, the names listed under "Commands:" in the top-level help are asked for
# their own --help and each becomes a subsection, so `man gt` holds every option.
# The help text goes in verbatim (.nf): it is already laid out for an 80-column terminal.

function(gt_help_of out)
    # defaults that name the shipped files show where the package puts them
    execute_process(COMMAND ${CMAKE_COMMAND} -E env GT_RESOURCES_DIR=${RESOURCES}
                            ${PROGRAM} ${ARGN} --help
                    OUTPUT_VARIABLE text ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed (${rc}): ${err}")
    endif()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# roff escapes: backslashes, and lines that start with a control character (. or ')
function(gt_roff_verbatim out text)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    string(REPLACE "-" "\\-" text "${text}") # a minus, not a hyphen: options stay copyable
    set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

foreach(var PROGRAM NAME SECTION SUMMARY OUTPUT VERSION RESOURCES)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "ManPage.cmake: -D${var}=... is required")
    endif()
endforeach()

gt_help_of(top)
gt_roff_verbatim(body "${top}")
string(TOUPPER "${NAME}" upper)
string(REPLACE "-" "\\-" roff_name "${NAME}")
set(page ".\\\" Generated from '${NAME} --help' by cmake/ManPage.cmake. Do not edit.\n")
string(APPEND page ".TH ${upper} ${SECTION} \"\" \"${NAME} ${VERSION}\" \"GreenTrainer Workbench\"\n")
string(APPEND page ".SH NAME\n${roff_name} \\- ${SUMMARY}\n.SH SYNOPSIS\n")
if(SUBCOMMANDS)
    string(APPEND page ".B ${roff_name}\n.I command\n[\\fIoptions\\fR]\n")
else()
    string(APPEND page ".B ${roff_name}\n[\\fIoptions\\fR] [\\fIMODEL\\fR]\n")
endif()
string(APPEND page ".SH DESCRIPTION\n${body}")

if(SUBCOMMANDS)
    string(APPEND page ".SH COMMANDS\n")
    # the lines between "Commands:" and the next blank line: "  name   summary"
    string(REGEX MATCH "Commands:\n([^\n]+\n)+" listing "${top}")
    string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "${listing}")
    foreach(entry ${names})
        string(STRIP "${entry}" command)
        gt_help_of(text ${command})
        gt_roff_verbatim(block "${text}")
        string(APPEND page ".SS ${command}\n${block}")
    endforeach()
endif()

string(APPEND page ".SH FILES\n.TP\n.I ${RESOURCES}\n"
       "the starter model (models/starter) and the built-in task (data/debian)\n"
       ".TP\n.I ~/.local/share/greentrainer/runs.sqlite\nthe experiment store\n")
string(APPEND page ".SH SEE ALSO\n")
if(NAME STREQUAL "gt")
    string(APPEND page ".BR gt\\-workbench (1)\n")
else()
    string(APPEND page ".BR gt (1)\n")
endif()
file(WRITE "${OUTPUT}" "${page}")
