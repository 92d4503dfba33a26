// The dataset part of the Model & Data page: choose the built-in task, a SciTLDR/DialogSum
// folder or a JSONL/CSV file with its field mapping, load it in the background, and see the
// split sizes, length statistics in the model's tokens, a length histogram and the first
// records. The choice is offered to the Train page.
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
    ~DatasetPanel() override;

    /// Lengths are counted in this model's tokens (words when it has no tokenizer).
    void setTokenizerDir(const QString& dir);
    void setDataset(const QString& kind, const QString& path = {});
    /// Loads the chosen dataset on a background thread; `loaded` or `failed` follows.
    void load();
    bool isLoading() const { return m_loading; }

    QTableWidget* splitsTable() const { return m_splits; }
    QTableWidget* recordsTable() const { return m_records; }
    QCustomPlot* histogram() const;

Q_SIGNALS:
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
    QThread* m_thread = nullptr;
    bool m_loading = false;
};

} // namespace gt::widgets
