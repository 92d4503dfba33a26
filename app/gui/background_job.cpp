#include "app/gui/background_job.h"

#include <QThread>

#include <exception>

namespace gt::app {

void BackgroundJob::Context::holdWhilePaused() const {
    // A short sleep loop: a pause lasts seconds to hours, and a condition variable would
    // need a lock on every step for nothing.
    while (m_job.m_paused && !m_job.m_stop)
        QThread::msleep(20);
}

void BackgroundJob::Context::progress(int done, int total) const {
    Q_EMIT m_job.progress(done, total);
}

void BackgroundJob::Context::report(const QVariant& payload) const {
    Q_EMIT m_job.reported(payload);
}

BackgroundJob::BackgroundJob(const QString& name, QObject* parent)
    : QObject(parent)
    , m_name(name) {}

BackgroundJob::~BackgroundJob() {
    stop();
    wait(-1);
    delete m_thread;
}

bool BackgroundJob::start(Work work) {
    if (m_busy) return false;
    if (m_thread) { // its work has reported; the thread is at most returning
        m_thread->wait();
        delete m_thread;
    }
    m_stop = false;
    m_paused = false;
    m_busy = true;
    m_thread = QThread::create([this, work = std::move(work)] {
        Context context(*this);
        // Not busy before the last signal, so its receivers may start the next job.
        try {
            QVariant result = work(context);
            m_busy = false;
            Q_EMIT finished(result);
        } catch (const std::exception& e) {
            m_busy = false;
            Q_EMIT failed(QString::fromStdString(e.what()));
        } catch (...) {
            m_busy = false;
            Q_EMIT failed(tr("%1 failed with an unknown error").arg(m_name));
        }
    });
    m_thread->setObjectName(m_name);
    m_thread->start(QThread::LowPriority);
    return true;
}

void BackgroundJob::stop() {
    m_stop = true; // a paused job wakes up and stops
}

void BackgroundJob::setPaused(bool paused) {
    m_paused = paused;
}

bool BackgroundJob::wait(int msecs) {
    if (!m_thread) return true;
    return msecs < 0 ? m_thread->wait() : m_thread->wait(QDeadlineTimer(msecs));
}

} // namespace gt::app
