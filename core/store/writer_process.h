// Who writes a run: the host name and process id stored with a running run, and whether that
// process still exists. A run whose writer is gone was killed (a crash, SIGKILL, a power cut)
// and reads as "interrupted" at once, before any read-write open persists it.
#pragma once

#include <cstdint>
#include <string>

namespace gt::store {

/// This machine's host name.
std::string thisHost();

/// False when the writer is recorded on this host and no such process exists (or no writer
/// is recorded at all). A writer on another host cannot be checked and counts as alive.
bool writerAlive(const std::string& host, int64_t pid);

} // namespace gt::store
