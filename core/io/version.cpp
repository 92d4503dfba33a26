// Version strings come from the CMake project version (GT_VERSION) and the build type.
#include "core/io/version.h"

#ifndef GT_VERSION
#error "GT_VERSION must be defined by the build"
#endif
#ifndef GT_BUILD_TYPE
#define GT_BUILD_TYPE "unknown"
#endif

namespace gt::io {

std::string versionString() {
    return GT_VERSION;
}

std::string buildDescription() {
    std::string s = "GreenTrainer Workbench " + versionString() + " (" GT_BUILD_TYPE;
#if defined(__clang__)
    s += ", clang " __clang_version__;
#elif defined(__GNUC__)
    s += ", gcc " __VERSION__;
#endif
    return s + ")";
}

} // namespace gt::io
