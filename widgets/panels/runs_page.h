// The "Runs" page: every stored run in a sortable table; selecting runs overlays their
// training-loss curves and lists the configuration keys that differ between them.
#pragma once

#include "widgets/panels/workbench_page.h"

#include <filesystem>
#include <memory>

class QCustomPlot;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace gt::store {
class ExperimentStore;
}

namespace gt::widgets {

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

private:
    void onSelectionChanged();

    std::filesystem::path m_path;
    std::unique_ptr<store::ExperimentStore> m_store;
    RunTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QCustomPlot* m_plot;
    QTableWidget* m_diff;
};

} // namespace gt::widgets
