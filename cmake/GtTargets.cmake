# Shared target settings: warnings, sanitizers, and the Qt-keywords rule.

# Our own code is -Wall -Wextra clean; third-party headers arrive as -isystem (imported targets).
# NO_SANITIZE: the target stays uninstrumented under GT_SANITIZE (the SentencePiece module,
# which is loaded into a link-map namespace of its own where no sanitizer runtime exists).
function(gt_warnings target)
    cmake_parse_arguments(W "NO_SANITIZE" "" "" ${ARGN})
    # -Wno-missing-field-initializers: GCC 12 warns on C++20 designated initializers that
    # rely on default member initializers (fixed in GCC 13); we use that idiom on purpose.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                           -Wno-missing-field-initializers)
    if(GT_SANITIZE AND NOT W_NO_SANITIZE)
        # Any undefined behaviour ends the program (a test fails), not a line in the log.
        set(flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
                  -fno-omit-frame-pointer)
        target_compile_options(${target} PRIVATE ${flags})
        target_link_options(${target} PRIVATE ${flags})
    endif()
endfunction()

# LibTorch declares a member named `slots`, which Qt's keyword macro breaks (pytorch#19405).
# Every target that sees a torch header compiles without Qt keywords; our Qt code writes
# Q_SIGNALS / Q_SLOTS / Q_EMIT so it reads the same either way.
function(gt_torch_target target)
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
    gt_warnings(${target})
endfunction()
