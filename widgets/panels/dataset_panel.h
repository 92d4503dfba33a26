// The dataset part of the Model & Data page: choose the built-in task, a SciTLDR/DialogSum
// folder or a JSONL/CSV file with its field mapping, load it, and see the split sizes, length
// statistics in the model's tokens, a length histogram and the first records. The choice is
// offered to the Train page. A view: it emits loadRequested; app::DatasetController loads and
// measures off the GUI thread and sends back the preview or the error.
#pragma once

#include "core/api/dataset_preview.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;

namespace gt::widgets {
class LengthHistogram;
}
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace gt::widgets {

class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);

    /// Lengths are counted in this model's tokens (words when it has no tokenizer).
    void setTokenizerDir(const QString& dir);
    void setDataset(const QString& kind, const QString& path = {});
    /// Requests a load of the chosen dataset; `loaded` or `failed` follows.
    void load();
    bool isLoading() const { return m_loading; }

    // What the load reports (connected by the controller; GUI thread).
    void showPreview(const api::DatasetPreview& preview);
    void showFailed(const QString& error);

    QTableWidget* splitsTable() const { return m_splits; }
    QTableWidget* recordsTable() const { return m_records; }
    QCustomPlot* histogram() const;

Q_SIGNALS:
    void loadRequested(const gt::api::DatasetSpec& spec, const QString& tokenizerDir);
    void loaded();
    void failed(const QString& message);
    /// The user loaded this dataset (kind as in DatasetSpec, path may be empty).
    void datasetChosen(const QString& kind, const QString& path);

private:
    void show(const api::DatasetPreview& p);
    api::DatasetSpec spec() const;

    QComboBox* m_kind;
    QLineEdit *m_path, *m_sourceField, *m_targetField;
    QPushButton* m_load;
    QLabel* m_status;
    QTableWidget *m_splits, *m_records;
    LengthHistogram* m_hist;
    QString m_tokenizerDir;
    api::DatasetSpec m_requested; ///< what the load under way reads
    bool m_loading = false;
};

} // namespace gt::widgets
