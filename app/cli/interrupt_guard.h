// Ctrl+C as a clean stop for long commands (train, resume, pretrain, demo): while a guard
// lives, SIGINT only sets a flag that the job polls between steps, so it ends with a
// resumable checkpoint instead of dying. LibTorch installs its own handler when it first
// loads a model; rearm() takes SIGINT back (call it from the job's progress callback).
#pragma once

#include <atomic>

namespace gt::cli {

class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard(); ///< restores the previous handler
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    const std::atomic<bool>* flag() const;
    bool interrupted() const { return flag()->load(); }
    void rearm();

private:
    void (*m_previous)(int) = nullptr;
};

} // namespace gt::cli
