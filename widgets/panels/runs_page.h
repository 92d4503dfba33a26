// The "Runs" page: every stored run in a sortable, filterable table (rename in place, tag,
// delete, export, resume a stopped or interrupted run); below it a RunComparePanel shows the
// selected runs side by side (loss curves, ROUGE against cost, selection rounds, configuration
// differences).
#pragma once

#include "widgets/panels/workbench_page.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

class QLineEdit;
class QCustomPlot;
class QPushButton;
class QTableView;
class QTableWidget;

namespace gt::store {
class ExperimentStore;
}

namespace gt::widgets {

class ParetoChart;
class PlanStrip;
class RunComparePanel;
class RunFilterProxy;
class RunTableModel;

class RunsPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit RunsPage(QWidget* parent = nullptr);
    ~RunsPage() override;

    /// Reads runs from the store at `file` (read-only; a missing file shows the empty page).
    void setStorePath(const std::filesystem::path& file);
    const std::filesystem::path& storePath() const { return m_path; }
    /// Re-reads the store.
    void refresh();
    /// Selects the rows of these run ids (as a user's multi-selection does).
    void selectRuns(const std::vector<int64_t>& ids);
    /// Ids of the selected runs, ascending.
    std::vector<int64_t> selectedRuns() const;
    /// Shows only runs with `text` in any column (name, method, status, tags, ...).
    void setFilterText(const QString& text);
    /// Rows on show now (after the filter text and the parallel chart's brushes).
    int visibleRunCount() const;

    // Changes to the store (each one transaction; false + lastError() when refused or failed).
    bool renameRun(int64_t id, const QString& name);
    bool addTag(const std::vector<int64_t>& ids, const QString& tag);
    bool removeTag(const std::vector<int64_t>& ids, const QString& tag);
    /// Deletes finished, stopped or failed runs; with removeArtifacts also their checkpoints
    /// and exported models. A running run is refused.
    bool deleteRuns(const std::vector<int64_t>& ids, bool removeArtifacts);
    QString lastError() const { return m_lastError; }
    /// True for a stopped, interrupted or failed run with a checkpoint to continue from.
    bool canResume(int64_t id) const;
    /// Asks for the selected run to be resumed (resumeRequested); false unless exactly one
    /// resumable run is selected.
    bool resumeSelected();
    QPushButton* resumeButton() const { return m_resume; }

    QTableView* table() const { return m_table; }
    RunComparePanel* comparePanel() const { return m_compare; }
    // The compare panel's parts, for tests and screenshots.
    QCustomPlot* lossPlot() const;
    QTableWidget* diffTable() const;
    ParetoChart* paretoChart() const;
    PlanStrip* selectionHistory() const;
    /// Shows a chart tab (RunComparePanel::Tab: loss, ROUGE vs cost, selection history,
    /// parallel coordinates, seed groups).
    void showChart(int index);
    /// Saves the chart on show as PNG, PDF or SVG (by extension). False on failure.
    bool exportChart(const QString& file) const;
    /// Saves the runs table (as sorted on screen) as CSV. False on failure.
    bool exportTable(const QString& file) const;

Q_SIGNALS:
    /// The user asked to continue this run (the main window takes it to the Train page).
    void resumeRequested(qint64 runId);

private:
    QWidget* buildButtons();
    void onSelectionChanged();
    /// The run the user clicked last if it is selected, else the newest selected one (or 0).
    int64_t focusedRun(const std::vector<int64_t>& ids) const;
    bool modifyStore(const std::function<void(store::ExperimentStore&)>& change);
    void showContextMenu(const QPoint& pos);
    void askTag();
    void askDelete();

    std::filesystem::path m_path;
    std::unique_ptr<store::ExperimentStore> m_store;
    RunTableModel* m_model;
    RunFilterProxy* m_proxy;
    QTableView* m_table;
    RunComparePanel* m_compare;
    QLineEdit* m_filter;
    QPushButton* m_resume = nullptr;
    QString m_lastError;
};

} // namespace gt::widgets
