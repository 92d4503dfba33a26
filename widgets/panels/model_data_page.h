// The "Model & Data" page: the loaded model's architecture summary, and the dataset panel
// (choose, load and preview a dataset in the model's tokens).
#pragma once

#include "core/api/cost_explorer.h"
#include "widgets/panels/workbench_page.h"

#include <memory>

class QFormLayout;
class QLabel;

namespace gt::widgets {

class DatasetPanel;

class ModelDataPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit ModelDataPage(QWidget* parent = nullptr);

    void setExplorer(std::shared_ptr<api::CostExplorer> explorer);
    /// The summary's value for a row label ("Parameters", "Tensors", ...), for tests.
    QString summaryValue(const QString& label) const;
    DatasetPanel* datasetPanel() const { return m_dataset; }

private:
    void setRow(const QString& label, const QString& value);

    QFormLayout* m_form;
    DatasetPanel* m_dataset;
    bool m_datasetShown = false;
};

} // namespace gt::widgets
