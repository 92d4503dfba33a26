#include "core/api/builtin_resources.h"

#include <cstdlib>
#include <system_error>

namespace fs = std::filesystem;

namespace gt::api {
namespace {

/// share/greentrainer beside the running executable's bin/, or empty when there is none.
fs::path installedResources() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path dir = exe.parent_path().parent_path() / "share" / "greentrainer";
    return fs::is_directory(dir, ec) ? dir : fs::path();
}

} // namespace

fs::path resourcesDir() {
    if (const char* env = std::getenv("GT_RESOURCES_DIR"); env && *env) return env;
    if (fs::path installed = installedResources(); !installed.empty()) return installed;
#ifdef GT_SOURCE_RESOURCES_DIR
    // The build tree: the binary runs from build/<preset>/app, the resources stay in the source.
    std::error_code ec;
    if (fs::is_directory(GT_SOURCE_RESOURCES_DIR, ec)) return GT_SOURCE_RESOURCES_DIR;
#endif
    return "/usr/share/greentrainer"; // named in the error a missing model gives
}

fs::path builtinTaskDir() {
    return resourcesDir() / "data" / "debian";
}

fs::path starterModelDir() {
    return resourcesDir() / "models" / "starter";
}

} // namespace gt::api
