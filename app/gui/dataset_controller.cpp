#include "app/gui/dataset_controller.h"

#include "app/gui/background_job.h"
#include "widgets/panels/dataset_panel.h"

Q_DECLARE_METATYPE(gt::api::DatasetPreview)

namespace gt::app {

DatasetController::DatasetController(QObject* parent)
    : QObject(parent)
    , m_job(new BackgroundJob(QStringLiteral("DatasetPreview"), this)) {
    static const bool registered = [] {
        qRegisterMetaType<api::DatasetPreview>();
        return true;
    }();
    (void)registered;
}

DatasetController::~DatasetController() {
    m_job->wait(-1);
}

void DatasetController::attach(widgets::DatasetPanel* panel) {
    using widgets::DatasetPanel;
    connect(panel, &DatasetPanel::loadRequested, this,
            [this](const api::DatasetSpec& spec, const QString& tokenizerDir) {
                const std::string tok = tokenizerDir.toStdString();
                m_job->start([spec, tok](BackgroundJob::Context&) {
                    return QVariant::fromValue(api::previewDataset(spec, tok));
                });
            });
    connect(m_job, &BackgroundJob::finished, panel,
            [panel](const QVariant& r) { panel->showPreview(r.value<api::DatasetPreview>()); });
    connect(m_job, &BackgroundJob::failed, panel, &DatasetPanel::showFailed);
}

} // namespace gt::app
