# Shared target settings: warnings, sanitizers, and the Qt-keywords rule.

# Our own code is -Wall -Wextra clean; third-party headers arrive as -isystem (imported targets).
function(gt_warnings target)
    # -Wno-missing-field-initializers: GCC 12 warns on C++20 designated initializers that
    # rely on default member initializers (fixed in GCC 13); we use that idiom on purpose.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                           -Wno-missing-field-initializers)
    if(GT_ENABLE_ASAN)
        target_compile_options(${target} PRIVATE -fsanitize=address -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address)
    endif()
endfunction()

# LibTorch declares a member named `slots`, which Qt's keyword macro breaks (pytorch#19405).
# Every target that sees a torch header compiles without Qt keywords; our Qt code writes
# Q_SIGNALS / Q_SLOTS / Q_EMIT so it reads the same either way.
function(gt_torch_target target)
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
    gt_warnings(${target})
endfunction()
