// The "Runs" page: every stored run in a sortable table; selecting runs overlays their
// training-loss curves and lists the configuration keys that differ between them.
#pragma once

#include "widgets/panels/workbench_page.h"

#include <filesystem>
#include <memory>

class QComboBox;
class QCustomPlot;
class QTabWidget;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace gt::store {
class ExperimentStore;
}

namespace gt::widgets {

class ParetoChart;
class RunTableModel;

class RunsPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit RunsPage(QWidget* parent = nullptr);
    ~RunsPage() override;

    /// Reads runs from the store at `file` (read-only; a missing file shows the empty page).
    void setStorePath(const std::filesystem::path& file);
    /// Re-reads the store.
    void refresh();
    /// Selects the rows of these run ids (as a user's multi-selection does).
    void selectRuns(const std::vector<int64_t>& ids);

    QTableView* table() const { return m_table; }
    QCustomPlot* lossPlot() const { return m_plot; }
    QTableWidget* diffTable() const { return m_diff; }
    ParetoChart* paretoChart() const { return m_pareto; }
    /// Shows the loss overlay (0) or the ROUGE-vs-cost chart (1).
    void showChart(int index);
    /// Saves the chart on show as PNG, PDF or SVG (by extension). False on failure.
    bool exportChart(const QString& file) const;
    /// Saves the runs table (as sorted on screen) as CSV. False on failure.
    bool exportTable(const QString& file) const;

private:
    void onSelectionChanged();
    void updatePareto();

    std::filesystem::path m_path;
    std::unique_ptr<store::ExperimentStore> m_store;
    RunTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QCustomPlot* m_plot;
    QTableWidget* m_diff;
    ParetoChart* m_pareto;
    QTabWidget* m_charts;
    QComboBox* m_costAxis;
};

} // namespace gt::widgets
