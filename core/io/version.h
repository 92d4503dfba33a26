// Version and build identity of the workbench, shared by the CLI, the GUI and stored runs.
#pragma once

#include <string>

namespace gt::io {

/// Semantic version of this build, e.g. "0.1.0".
std::string versionString();

/// One line for `--version` and the About box: version, build type and compiler.
std::string buildDescription();

} // namespace gt::io
