// Runs api::runTraining on a worker thread (style.md 3.6): the GUI thread only receives queued
// signals, so the window never freezes. stop() and setPaused() are thread-safe; a paused run
// waits in memory after its current step; a stopped run leaves a resumable checkpoint that
// resume() continues.
#pragma once

#include "core/api/training_job.h"

#include <QObject>
#include <QThread>

#include <atomic>

Q_DECLARE_METATYPE(gt::api::TrainProgress)
Q_DECLARE_METATYPE(gt::api::PlanRound)
Q_DECLARE_METATYPE(gt::api::EvalPoint)
Q_DECLARE_METATYPE(gt::api::TrainOutcome)

namespace gt::widgets {

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override; ///< stops a running job and waits for its thread

    /// Starts `job` on the worker thread; false if a job is already running.
    bool start(const api::TrainJob& job);
    /// Continues the run saved in `checkpointDir`.
    bool resume(const QString& checkpointDir, const QString& dbPath);
    /// Asks the run to stop after the current step (thread-safe, returns at once).
    void stop();
    /// Holds the run after the current step (memory and position kept) until resumed with
    /// setPaused(false) or stopped. Thread-safe.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// True from start() until the job has reported (finished or failed).
    bool isRunning() const;
    /// Blocks until the thread has finished (tests, shutdown).
    bool wait(int msecs);

Q_SIGNALS:
    void progress(const gt::api::TrainProgress& p);
    void planRound(const gt::api::PlanRound& round);
    void evaluation(const gt::api::EvalPoint& point);
    void finished(const gt::api::TrainOutcome& outcome);
    void failed(const QString& message);

private:
    template <typename Body> bool launch(Body body);
    QThread* m_thread = nullptr;
    /// Called on the worker thread after each step: waits while paused.
    void holdWhilePaused();
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_busy{false}; ///< a job is running (cleared before its last signal)
};

} // namespace gt::widgets
