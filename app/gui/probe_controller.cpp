#include "app/gui/probe_controller.h"

#include "app/gui/background_job.h"
#include "widgets/panels/probe_bar.h"

namespace gt::app {

ProbeController::ProbeController(QObject* parent)
    : QObject(parent)
    , m_job(new BackgroundJob(QStringLiteral("ImportanceProbe"), this)) {
    static const bool registered = [] {
        qRegisterMetaType<api::ImportanceOutcome>();
        return true;
    }();
    (void)registered;
}

ProbeController::~ProbeController() {
    m_job->stop();
    m_job->wait(-1);
}

void ProbeController::attach(widgets::ProbeBar* bar) {
    using widgets::ProbeBar;
    connect(bar, &ProbeBar::probeRequested, this, [this](const api::TrainJob& job, int batches) {
        m_job->start([job, batches](BackgroundJob::Context& c) {
            return QVariant::fromValue(api::runImportanceProbe(
                job, batches, [&c](int done, int total) { c.progress(done, total); },
                c.stopFlag()));
        });
    });
    connect(bar, &ProbeBar::stopRequested, m_job, &BackgroundJob::stop);
    connect(m_job, &BackgroundJob::progress, bar, &ProbeBar::showPass);
    connect(m_job, &BackgroundJob::finished, bar,
            [bar](const QVariant& r) { bar->showProbed(r.value<api::ImportanceOutcome>()); });
    connect(m_job, &BackgroundJob::failed, bar, &ProbeBar::showFailed);
}

} // namespace gt::app
