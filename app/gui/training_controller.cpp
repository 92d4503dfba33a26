#include "app/gui/training_controller.h"

#include "app/gui/background_job.h"
#include "core/api/run_checkpoint.h"
#include "core/store/experiment_store.h"
#include "widgets/charts/training_charts.h"
#include "widgets/panels/train_page.h"

#include <map>

namespace gt::app {

TrainingController::TrainingController(QObject* parent)
    : QObject(parent)
    , m_job(new BackgroundJob(QStringLiteral("Training"), this)) {
    static const bool registered = [] {
        qRegisterMetaType<api::TrainProgress>();
        qRegisterMetaType<api::PlanRound>();
        qRegisterMetaType<api::EvalPoint>();
        qRegisterMetaType<api::TrainOutcome>();
        return true;
    }();
    (void)registered;
    connect(m_job, &BackgroundJob::reported, this, &TrainingController::dispatch);
    connect(m_job, &BackgroundJob::finished, this,
            [this](const QVariant& r) { Q_EMIT finished(r.value<api::TrainOutcome>()); });
    connect(m_job, &BackgroundJob::failed, this, &TrainingController::failed);
}

TrainingController::~TrainingController() {
    m_job->stop();
    m_job->wait(-1);
}

void TrainingController::attach(widgets::TrainPage* page) {
    using widgets::TrainPage;
    m_page = page;
    connect(page, &TrainPage::startRequested, this, &TrainingController::start);
    connect(page, &TrainPage::resumeRequested, this, &TrainingController::resume);
    connect(page, &TrainPage::stopRequested, this, &TrainingController::stop);
    connect(page, &TrainPage::pauseRequested, this, &TrainingController::setPaused);
    connect(this, &TrainingController::progress, page, &TrainPage::showProgress);
    connect(this, &TrainingController::planRound, page, &TrainPage::showPlanRound);
    connect(this, &TrainingController::evaluation, page, &TrainPage::showEvaluation);
    connect(this, &TrainingController::finished, page, &TrainPage::showFinished);
    connect(this, &TrainingController::failed, page, &TrainPage::showFailed);
}

/// Runs `run(callbacks, stop)` on the job's thread, its callbacks turned into reports.
template <typename Run> bool TrainingController::launch(Run run) {
    return m_job->start([run](BackgroundJob::Context& c) {
        api::TrainCallbacks cb;
        cb.onProgress = [&c](const api::TrainProgress& p) { c.report(QVariant::fromValue(p)); };
        // The core checkpoints a paused run before it holds (a crash while paused loses nothing).
        cb.pause = c.pauseFlag();
        cb.onPaused = [&c] { c.holdWhilePaused(); };
        cb.onPlan = [&c](const api::PlanRound& r) { c.report(QVariant::fromValue(r)); };
        cb.onEvaluation = [&c](const api::EvalPoint& e) { c.report(QVariant::fromValue(e)); };
        return QVariant::fromValue(run(cb, c.stopFlag()));
    });
}

bool TrainingController::start(const api::TrainJob& job) {
    return launch([job](const api::TrainCallbacks& cb, const std::atomic<bool>* stop) {
        return api::runTraining(job, cb, stop);
    });
}

bool TrainingController::resume(const QString& checkpointDir, const QString& dbPath) {
    const std::string dir = checkpointDir.toStdString(), db = dbPath.toStdString();
    return launch([dir, db](const api::TrainCallbacks& cb, const std::atomic<bool>* stop) {
        return api::resumeTraining(dir, db, cb, stop);
    });
}

bool TrainingController::resumeStoredRun(const QString& storePath, qint64 runId) {
    if (!m_page || m_job->isRunning()) return false;
    try {
        const store::ExperimentStore runs(storePath.toStdString(),
                                          store::ExperimentStore::Mode::ReadOnly);
        const auto checkpoint = api::latestCheckpoint(runs, runId);
        if (!checkpoint)
            throw std::runtime_error("run " + std::to_string(runId) +
                                     " has no checkpoint to resume from");
        const api::CheckpointInfo info = api::readCheckpoint(*checkpoint);
        m_page->restoreRun(info.job, runId, QString::fromStdString(checkpoint->string()));
        replayStoredRun(storePath, runId, info.step, info.round);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return false;
    }
    m_page->setStorePath(storePath);
    return m_page->resumeTraining();
}

/// Puts what the store holds of the run, up to its checkpoint, into the page's charts: the
/// resumed session continues the same curves without a gap or a repeated step.
void TrainingController::replayStoredRun(const QString& storePath, qint64 runId, int64_t upToStep,
                                         int upToRound) {
    const store::ExperimentStore runs(storePath.toStdString(),
                                      store::ExperimentStore::Mode::ReadOnly);
    const double fullMacs = runs.run(runId)->fullMacs.value_or(0);
    std::map<int64_t, api::TrainProgress> steps;
    const auto fill = [&](const char* name, auto set) {
        for (const auto& pt : runs.series(runId, name))
            if (pt.step <= upToStep) {
                auto& p = steps[pt.step];
                p.step.step = pt.step;
                p.step.epoch = pt.epoch.value_or(0);
                p.step.fullMacs = fullMacs;
                set(p.step, pt.value);
            }
    };
    fill("train/loss", [](train::StepMetrics& m, double v) { m.loss = v; });
    fill("lr", [](train::StepMetrics& m, double v) { m.learningRate = v; });
    fill("planned_macs", [](train::StepMetrics& m, double v) { m.plannedMacs = v; });
    fill("step_ms", [](train::StepMetrics& m, double v) { m.stepMillis = v; });
    fill("tokens_per_s", [](train::StepMetrics& m, double v) { m.tokensPerSecond = v; });
    auto* charts = m_page->charts();
    for (int round : runs.snapshotRounds(runId)) {
        if (round > upToRound) continue;
        api::PlanRound r{round, runs.snapshotStep(runId, round), {}, 0};
        for (const auto& t : runs.tensorSnapshots(runId, round))
            r.selected.push_back(t.selected ? 1 : 0);
        if (auto it = steps.upper_bound(r.step); it != steps.end() && fullMacs > 0)
            r.share = it->second.step.plannedMacs / fullMacs;
        charts->addPlanRound(r);
    }
    for (const auto& [step, p] : steps)
        charts->addStep(p);
    for (const auto& e : runs.evaluations(runId))
        if (e.step <= upToStep)
            charts->addEvaluation({e.step, e.valLoss.value_or(0), e.rouge1.value_or(0),
                                   e.rouge2.value_or(0), e.rougeL.value_or(0)});
}

void TrainingController::dispatch(const QVariant& payload) {
    const QMetaType type = payload.metaType();
    if (type == QMetaType::fromType<api::TrainProgress>())
        Q_EMIT progress(payload.value<api::TrainProgress>());
    else if (type == QMetaType::fromType<api::PlanRound>())
        Q_EMIT planRound(payload.value<api::PlanRound>());
    else if (type == QMetaType::fromType<api::EvalPoint>())
        Q_EMIT evaluation(payload.value<api::EvalPoint>());
}

void TrainingController::stop() {
    m_job->stop();
}

void TrainingController::setPaused(bool paused) {
    m_job->setPaused(paused);
}

bool TrainingController::isPaused() const {
    return m_job->isPaused();
}

bool TrainingController::isRunning() const {
    return m_job->isRunning();
}

bool TrainingController::wait(int msecs) {
    return m_job->wait(msecs);
}

} // namespace gt::app
