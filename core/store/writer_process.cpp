#include "core/store/writer_process.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace gt::store {

std::string thisHost() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

bool writerAlive(const std::string& host, int64_t pid) {
    if (host.empty() || pid <= 0) return false; // no writer recorded
    if (host != thisHost()) return true;        // another machine's writer: assume alive
    if (pid == getpid()) return true;
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace gt::store
