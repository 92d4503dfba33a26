// LibTorch's intra-op thread count. Debian's LibTorch starts with one thread on some VMs
// (its CPU detection under-counts), so every entry point sets the count explicitly.
#pragma once

namespace gt::model {

/// Sets LibTorch's intra-op thread count. `requested` <= 0 means all hardware threads.
/// Returns the count now in effect.
int configureTorchThreads(int requested);

/// Number of hardware threads (at least 1).
int hardwareThreads();

} // namespace gt::model
