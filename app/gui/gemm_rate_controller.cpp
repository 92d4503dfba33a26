#include "app/gui/gemm_rate_controller.h"

#include "app/gui/background_job.h"
#include "app/gui/training_controller.h"
#include "core/api/system_report.h"
#include "widgets/panels/tensors_page.h"

namespace gt::app {

GemmRateController::GemmRateController(TrainingController* training, QObject* parent)
    : QObject(parent)
    , m_training(training)
    , m_job(new BackgroundJob(QStringLiteral("GemmRate"), this)) {
    connect(m_job, &BackgroundJob::finished, this, [this](const QVariant& r) {
        const QVariantList v = r.toList(); // threads, GFLOP/s
        if (m_page) m_page->setGemmRate(v.at(0).toInt(), v.at(1).toDouble());
        startNext();
    });
    connect(m_job, &BackgroundJob::failed, this, [this](const QString& message) {
        if (m_page) m_page->showGemmRateFailed(m_measuring, message);
        startNext();
    });
    if (m_training) {
        connect(m_training, &TrainingController::finished, this, &GemmRateController::startNext);
        connect(m_training, &TrainingController::failed, this, &GemmRateController::startNext);
    }
}

GemmRateController::~GemmRateController() {
    m_job->wait(-1);
}

void GemmRateController::attach(widgets::TensorsPage* page) {
    m_page = page;
    connect(page, &widgets::TensorsPage::gemmRateRequested, this, [this](int threads) {
        m_pending.push_back(threads);
        startNext();
    });
}

void GemmRateController::startNext() {
    if (m_pending.empty() || m_job->isRunning()) return;
    if (m_training && m_training->isRunning()) return; // again when the run ends
    const int threads = m_pending.front();
    m_pending.pop_front();
    m_measuring = threads;
    m_job->start([threads](BackgroundJob::Context&) {
        return QVariant(QVariantList{threads, api::measureMatmulGflops(threads)});
    });
}

} // namespace gt::app
