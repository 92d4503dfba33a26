#include "app/cli/interrupt_guard.h"

#include <csignal>

namespace gt::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
    g_interrupted.store(true);
}

} // namespace

InterruptGuard::InterruptGuard() {
    g_interrupted = false;
    m_previous = std::signal(SIGINT, onInterrupt);
}

InterruptGuard::~InterruptGuard() {
    std::signal(SIGINT, m_previous == SIG_ERR ? SIG_DFL : m_previous);
}

const std::atomic<bool>* InterruptGuard::flag() const {
    return &g_interrupted;
}

void InterruptGuard::rearm() {
    std::signal(SIGINT, onInterrupt);
}

} // namespace gt::cli
