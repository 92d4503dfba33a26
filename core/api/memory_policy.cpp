#include "core/api/memory_policy.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace gt::api {
namespace {

int64_t statusBytes(const char* key) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key, 0) == 0) return std::stoll(line.substr(std::strlen(key))) * 1024;
    return 0;
}

} // namespace

int64_t residentBytes() {
    return statusBytes("VmRSS:");
}

int64_t peakResidentBytes() {
    return statusBytes("VmHWM:");
}

void resetPeakResident() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

void retainFreedMemory() {
    const char* keep = std::getenv("GT_MALLOC_DEFAULT");
    if (keep && std::strcmp(keep, "1") == 0) return;
    mallopt(M_MMAP_MAX, 0);        // large blocks from the heap, reused when freed
    mallopt(M_TRIM_THRESHOLD, -1); // no automatic trimming (man mallopt)
    mallopt(M_ARENA_MAX, 1);       // thread arenas would mmap large blocks regardless
}

void releaseFreedMemory() {
    malloc_trim(0);
}

} // namespace gt::api
