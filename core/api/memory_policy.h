// How the process treats freed memory. glibc hands every block over 32 MB back to the kernel
// (munmap) and trims the heap top as soon as it is free, so each training step maps its large
// tensors (logits, activations, the embedding gradient) anew and the kernel zeroes every page
// on first touch. Measured on an OPT-125m-shaped full fine-tuning step (2 threads): 6.7 s ->
// 5.3 s with freed memory kept; plans, which allocate less, gain less, and that difference
// had made measured savings look larger than planned. Torch-free.
#pragma once

#include <cstdint>

namespace gt::api {

/// The process's resident memory now (VmRSS) and its peak since the start or the last
/// resetPeakResident() (VmHWM), from /proc/self/status; 0 where /proc is not there.
int64_t residentBytes();
int64_t peakResidentBytes();
/// Resets the kernel's peak mark, so that each run in a process measures its own peak.
void resetPeakResident();

/// Keeps freed memory in the process for reuse (no mmap for large blocks, no automatic
/// trimming, one malloc arena, since other arenas mmap large blocks regardless). Call early in
/// main(). GT_MALLOC_DEFAULT=1 in the environment leaves glibc's defaults.
void retainFreedMemory();
/// Returns free memory to the system (malloc_trim): after a job, so an idle GUI is small.
void releaseFreedMemory();

/// Calls releaseFreedMemory() when it goes out of scope: declare it before a job's model so
/// that the release follows the model's destruction, on every exit path.
class ReleaseFreedMemoryOnExit {
public:
    ReleaseFreedMemoryOnExit() = default;
    ReleaseFreedMemoryOnExit(const ReleaseFreedMemoryOnExit&) = delete;
    ReleaseFreedMemoryOnExit& operator=(const ReleaseFreedMemoryOnExit&) = delete;
    ~ReleaseFreedMemoryOnExit() { releaseFreedMemory(); }
};

} // namespace gt::api
