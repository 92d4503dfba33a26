#include "core/api/memory_policy.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace gt::api {

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
