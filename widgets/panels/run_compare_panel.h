// The lower half of the Runs page: what the selected runs look like side by side. Tabs with
// their training-loss curves, every run's ROUGE-1 against a chosen cost (planned FLOPs,
// training time or measured energy, as a share of full fine-tuning) and what one run trained
// in each selection round; next to them the configuration keys that differ between the runs.
// It reads a store it is handed and keeps no connection of its own.
#pragma once

#include "core/store/run_records.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QCustomPlot;
class QTabWidget;
class QTableWidget;

namespace gt::store {
class RunQueries;
}

namespace gt::widgets {

class LossOverlayChart;
class ParetoChart;
class PlanStrip;

class RunComparePanel : public QWidget {
    Q_OBJECT
public:
    explicit RunComparePanel(QWidget* parent = nullptr);

    /// Loss curves and configuration differences of `ids` (ascending) read from `store`
    /// (null: nothing to show).
    void showRuns(const store::RunQueries* store, const std::vector<int64_t>& ids);
    /// The selection rounds of run `id` (0: none).
    void showHistory(const store::RunQueries* store, int64_t id);
    /// Every stored run with its final ROUGE-1, for the ROUGE-vs-cost chart.
    void setAllRuns(std::vector<store::RunRecord> runs, std::vector<std::optional<double>> rouge1);

    QCustomPlot* lossPlot() const;
    QTableWidget* diffTable() const { return m_diff; }
    ParetoChart* paretoChart() const { return m_pareto; }
    PlanStrip* selectionHistory() const { return m_history; }
    /// Shows the loss overlay (0), the ROUGE-vs-cost chart (1) or the selection history (2).
    void showChart(int index);
    /// Saves the chart on show as PNG, PDF or SVG (by extension). False on failure.
    bool exportChart(const QString& file) const;

private:
    QWidget* buildParetoTab();
    void showDiff(const store::RunQueries* store, const std::vector<int64_t>& ids);
    void updatePareto();

    LossOverlayChart* m_loss;
    QTableWidget* m_diff;
    ParetoChart* m_pareto;
    QTabWidget* m_charts;
    QComboBox* m_costAxis;
    PlanStrip* m_history;
    std::vector<store::RunRecord> m_runs;
    std::vector<std::optional<double>> m_rouge1; ///< per m_runs entry
};

} // namespace gt::widgets
