// The workbench's one way to run work off the GUI thread (style.md 3.6): a job runs a
// function on its own low-priority thread; everything it reports reaches the GUI thread as
// queued signals, so the window never freezes and views never touch threads. Controllers
// build on it; views only emit requests and show the state the controllers send back.
#pragma once

#include <QObject>
#include <QString>
#include <QVariant>

#include <atomic>
#include <functional>

class QThread;

namespace gt::app {

class BackgroundJob : public QObject {
    Q_OBJECT
public:
    /// What the work sees of its job: the stop and pause requests and a way to report.
    /// Called on the job's thread only.
    class Context {
    public:
        explicit Context(BackgroundJob& job)
            : m_job(job) {}
        /// The flag the core's long functions poll (set by stop()).
        const std::atomic<bool>* stopFlag() const { return &m_job.m_stop; }
        bool stopRequested() const { return m_job.m_stop; }
        /// The flag setPaused() sets, for work that does something before it holds.
        const std::atomic<bool>* pauseFlag() const { return &m_job.m_paused; }
        /// Waits while the job is paused (returns at once on stop).
        void holdWhilePaused() const;
        /// `progress(done, total)` on the GUI thread.
        void progress(int done, int total) const;
        /// `reported(payload)` on the GUI thread: typed events such as a training step.
        void report(const QVariant& payload) const;

    private:
        BackgroundJob& m_job;
    };
    /// The work: its return value arrives in `finished`; an exception becomes `failed`.
    using Work = std::function<QVariant(Context&)>;

    /// `name` names the thread (debuggers, crash reports).
    explicit BackgroundJob(const QString& name, QObject* parent = nullptr);
    ~BackgroundJob() override; ///< stops a running job and waits for its thread

    /// Starts `work` on the job's thread; false while an earlier one is still running.
    bool start(Work work);
    /// Asks the work to stop (it polls stopFlag()); wakes a paused job. Thread-safe.
    void stop();
    /// Holds the work at its next holdWhilePaused() until resumed or stopped. Thread-safe.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// True from start() until the work has returned or thrown.
    bool isRunning() const { return m_busy; }
    /// Blocks until the thread has ended (tests, shutdown); msecs < 0 waits for ever.
    bool wait(int msecs);

Q_SIGNALS:
    void progress(int done, int total);
    void reported(const QVariant& payload);
    void finished(const QVariant& result);
    void failed(const QString& message);

private:
    QString m_name;
    QThread* m_thread = nullptr;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_busy{false}; ///< cleared before the last signal
};

} // namespace gt::app
