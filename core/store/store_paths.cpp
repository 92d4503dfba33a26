#include "core/store/store_paths.h"

#include <cstdlib>
#include <stdexcept>

namespace gt::store {

std::filesystem::path defaultStorePath() {
    // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "greentrainer" / "runs.sqlite";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "share" / "greentrainer" / "runs.sqlite";
    throw std::runtime_error("cannot locate the run store: neither XDG_DATA_HOME nor HOME is set "
                             "(pass --db PATH)");
}

} // namespace gt::store
