#include "app/gui/training_controller.h"

#include "app/gui/background_job.h"
#include "widgets/panels/train_page.h"

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
        cb.onProgress = [&c](const api::TrainProgress& p) {
            c.report(QVariant::fromValue(p));
            c.holdWhilePaused();
        };
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
