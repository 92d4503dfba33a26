// Runs the Train page's jobs: api::runTraining and api::resumeTraining on a BackgroundJob.
// The page emits requests (start, resume, stop, pause) and shows what comes back (steps, plan
// rounds, evaluations, the outcome or the error); attach() wires the two. A paused run writes
// a checkpoint and waits in memory after its current step; a stopped run leaves a checkpoint
// that resume continues, and so does a run whose process died (checkpoints by default).
#pragma once

#include "core/api/training_job.h"

#include <QObject>

Q_DECLARE_METATYPE(gt::api::TrainProgress)
Q_DECLARE_METATYPE(gt::api::PlanRound)
Q_DECLARE_METATYPE(gt::api::EvalPoint)
Q_DECLARE_METATYPE(gt::api::TrainOutcome)

namespace gt::widgets {
class TrainPage;
}

namespace gt::app {

class BackgroundJob;

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override; ///< stops a running job and waits for it

    /// Connects the page's requests to this controller and its signals to the page.
    void attach(widgets::TrainPage* page);

    /// Starts `job`; false while a run is going.
    bool start(const api::TrainJob& job);
    /// Continues the run saved in `checkpointDir` (a run's checkpoint folder or one checkpoint).
    bool resume(const QString& checkpointDir, const QString& dbPath);
    /// The Runs page's Resume: shows stored run `runId` on the attached page (its job, its
    /// curves up to its newest checkpoint) and continues it. False, with `failed`, when the
    /// run has no checkpoint or cannot be read.
    bool resumeStoredRun(const QString& storePath, qint64 runId);
    void stop();
    void setPaused(bool paused);
    bool isPaused() const;
    bool isRunning() const;
    bool wait(int msecs);

Q_SIGNALS:
    void progress(const gt::api::TrainProgress& p);
    void planRound(const gt::api::PlanRound& round);
    void evaluation(const gt::api::EvalPoint& point);
    void finished(const gt::api::TrainOutcome& outcome);
    void failed(const QString& message);

private:
    template <typename Run> bool launch(Run run);
    void dispatch(const QVariant& payload);
    void replayStoredRun(const QString& storePath, qint64 runId, int64_t upToStep, int upToRound);

    BackgroundJob* m_job;
    widgets::TrainPage* m_page = nullptr;
};

} // namespace gt::app
