#include "widgets/panels/training_worker.h"

namespace gt::widgets {

TrainingWorker::TrainingWorker(QObject* parent)
    : QObject(parent) {
    static const bool registered = [] {
        qRegisterMetaType<api::TrainProgress>();
        qRegisterMetaType<api::PlanRound>();
        qRegisterMetaType<api::EvalPoint>();
        qRegisterMetaType<api::TrainOutcome>();
        return true;
    }();
    (void)registered;
}

TrainingWorker::~TrainingWorker() {
    stop();
    wait(-1);
    delete m_thread;
}

template <typename Body> bool TrainingWorker::launch(Body body) {
    if (isRunning()) return false;
    if (m_thread) { // its job has reported; the thread is at most returning
        m_thread->wait();
        delete m_thread;
    }
    m_stop = false;
    m_paused = false;
    m_busy = true;
    api::TrainCallbacks cb;
    // Emitted from the worker thread; receivers in the GUI thread get queued copies.
    cb.onProgress = [this](const api::TrainProgress& p) {
        Q_EMIT progress(p);
        holdWhilePaused();
    };
    cb.onPlan = [this](const api::PlanRound& r) { Q_EMIT planRound(r); };
    cb.onEvaluation = [this](const api::EvalPoint& e) { Q_EMIT evaluation(e); };
    m_thread = QThread::create([this, cb, body] {
        // Not busy before the last signal, so its receivers may start the next job.
        try {
            const auto outcome = body(cb, &m_stop);
            m_busy = false;
            Q_EMIT finished(outcome);
        } catch (const std::exception& e) {
            m_busy = false;
            Q_EMIT failed(QString::fromStdString(e.what()));
        }
    });
    m_thread->setObjectName("TrainingWorker");
    m_thread->start(QThread::LowPriority);
    return true;
}

bool TrainingWorker::start(const api::TrainJob& job) {
    return launch([job](const api::TrainCallbacks& cb, const std::atomic<bool>* stop) {
        return api::runTraining(job, cb, stop);
    });
}

bool TrainingWorker::resume(const QString& checkpointDir, const QString& dbPath) {
    const std::string dir = checkpointDir.toStdString(), db = dbPath.toStdString();
    return launch([dir, db](const api::TrainCallbacks& cb, const std::atomic<bool>* stop) {
        return api::resumeTraining(dir, db, cb, stop);
    });
}

void TrainingWorker::stop() {
    m_stop = true; // a paused run wakes up and stops
}

void TrainingWorker::setPaused(bool paused) {
    m_paused = paused;
}

void TrainingWorker::holdWhilePaused() {
    // A short sleep loop: a pause lasts seconds to hours, and a condition variable would
    // need a lock on every step for nothing.
    while (m_paused && !m_stop)
        QThread::msleep(20);
}

bool TrainingWorker::isRunning() const {
    return m_busy;
}

bool TrainingWorker::wait(int msecs) {
    if (!m_thread) return true;
    return msecs < 0 ? m_thread->wait() : m_thread->wait(QDeadlineTimer(msecs));
}

} // namespace gt::widgets
