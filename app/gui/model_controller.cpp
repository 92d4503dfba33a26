#include "app/gui/model_controller.h"

#include "app/gui/app_settings.h"

#include <QFileInfo>

namespace gt::app {

ModelController::ModelController(QObject* parent)
    : QObject(parent) {}

bool ModelController::open(const QString& path) {
    try {
        auto explorer =
            std::make_shared<api::CostExplorer>(api::CostExplorer::open(path.toStdString()));
        m_current = explorer;
        AppSettings().addRecentModel(QFileInfo(path).absoluteFilePath());
        Q_EMIT recentModelsChanged();
        Q_EMIT modelOpened(explorer);
        return true;
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return false;
    }
}

QStringList ModelController::recentModels() const {
    return AppSettings().recentModels();
}

} // namespace gt::app
