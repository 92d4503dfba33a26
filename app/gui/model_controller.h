// Opens models for the workbench: loads the config into a CostExplorer, remembers recent
// models, and reports errors with the core's message (the GUI decides how to show them).
#pragma once

#include "core/api/cost_explorer.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace gt::app {

class ModelController : public QObject {
    Q_OBJECT
public:
    explicit ModelController(QObject* parent = nullptr);

    /// Loads a model directory or config.json. Returns false (and emits failed) on error.
    bool open(const QString& path);
    std::shared_ptr<api::CostExplorer> current() const { return m_current; }
    QStringList recentModels() const;

Q_SIGNALS:
    void modelOpened(std::shared_ptr<gt::api::CostExplorer> explorer);
    void failed(const QString& message);
    void recentModelsChanged();

private:
    std::shared_ptr<api::CostExplorer> m_current;
};

} // namespace gt::app
