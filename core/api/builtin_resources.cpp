#include "core/api/builtin_resources.h"

#include <cstdlib>
#include <system_error>

namespace fs = std::filesystem;

namespace gt::api {

fs::path resourcesDir() {
    if (const char* env = std::getenv("GT_RESOURCES_DIR"); env && *env) return env;
#ifdef GT_SOURCE_RESOURCES_DIR
    if (fs::is_directory(GT_SOURCE_RESOURCES_DIR)) return GT_SOURCE_RESOURCES_DIR;
#endif
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("resources") : exe.parent_path().parent_path() / "share/greentrainer";
}

fs::path builtinTaskDir() {
    return resourcesDir() / "data" / "debian";
}

fs::path starterModelDir() {
    return resourcesDir() / "models" / "starter";
}

} // namespace gt::api
