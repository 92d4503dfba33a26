// The lower half of the Runs page: what the selected runs look like side by side. Tabs with
// their training-loss curves (against step, epoch, wall time, cumulative FLOPs or energy,
// EMA-smoothed, runs that differ only by seed drawn as a mean with a 95% interval band), every
// run's ROUGE-1 against a chosen cost (planned FLOPs, training time or measured energy, as a
// share of full fine-tuning), what one run trained and how important each tensor was in each
// selection round, parallel coordinates of every stored run (settings and outcomes; brushing
// filters the table) and the seed groups' outcomes as mean ± interval; next to them the
// configuration keys that differ between the runs. It reads a store it is handed and keeps no
// connection of its own.
#pragma once

#include "core/store/run_records.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QTabWidget;
class QTableWidget;

namespace gt::store {
class RunQueries;
struct Curve;
struct SeedGroup;
} // namespace gt::store

namespace gt::widgets {

class LossOverlayChart;
struct LossCurve;
class ParallelCoordinatesChart;
class ParetoChart;
class PlanStrip;

class RunComparePanel : public QWidget {
    Q_OBJECT
public:
    enum Tab { LossTab, ParetoTab, HistoryTab, ParallelTab, GroupsTab };

    explicit RunComparePanel(QWidget* parent = nullptr);

    /// Loss curves and configuration differences of `ids` (ascending) read from `store`
    /// (null: nothing to show).
    void showRuns(const store::RunQueries* store, const std::vector<int64_t>& ids);
    /// The selection rounds of run `id` (0: none).
    void showHistory(const store::RunQueries* store, int64_t id);
    /// Every stored run with its final ROUGE-1, for the ROUGE-vs-cost chart.
    void setAllRuns(std::vector<store::RunRecord> runs, std::vector<std::optional<double>> rouge1);
    /// The runs of the parallel-coordinates chart (the page passes every stored run).
    void setParallelRuns(const store::RunQueries* store, const std::vector<int64_t>& ids);
    /// The runs inside the parallel chart's brushed ranges; nullopt without a brush.
    std::optional<std::vector<int64_t>> brushedRuns() const;

    QCustomPlot* lossPlot() const;
    QTableWidget* diffTable() const { return m_diff; }
    ParetoChart* paretoChart() const { return m_pareto; }
    PlanStrip* selectionHistory() const { return m_history; }
    ParallelCoordinatesChart* parallelChart() const { return m_parallel; }
    QTableWidget* seedGroupTable() const { return m_groups; }
    QComboBox* lossAxisBox() const { return m_lossAxis; }
    QComboBox* lossSeriesBox() const { return m_lossSeries; }
    QDoubleSpinBox* smoothingBox() const { return m_smoothing; }
    QCheckBox* groupSeedsBox() const { return m_groupSeeds; }
    QComboBox* historyModeBox() const { return m_historyMode; }
    QComboBox* parallelColourBox() const { return m_parallelColour; }
    /// Shows a tab (Tab).
    void showChart(int index);
    /// Saves the chart on show as PNG, PDF or SVG (by extension). False on failure.
    bool exportChart(const QString& file) const;

Q_SIGNALS:
    /// The parallel chart's brushed ranges changed (see brushedRuns()).
    void brushChanged();

private:
    QWidget* buildLossTab();
    QWidget* buildParetoTab();
    QWidget* buildHistoryTab();
    QWidget* buildParallelTab();
    void showDiff(const store::RunQueries* store, const std::vector<int64_t>& ids);
    void showGroups();
    void redrawLoss();
    store::Curve lossCurve(int64_t id) const;
    LossCurve runLossCurve(int64_t id) const;
    LossCurve groupLossCurve(const store::SeedGroup& group) const;
    void redrawHistory();
    void updatePareto();
    void colourParallelBy(const QString& axisKey);

    const store::RunQueries* m_store = nullptr; ///< the page's; valid until its next showRuns
    std::vector<int64_t> m_ids;                 ///< the runs shown
    int64_t m_historyRun = 0;
    LossOverlayChart* m_loss;
    QComboBox* m_lossAxis;
    QComboBox* m_lossSeries; ///< y: the loss, the planned share of a full step, the step time
    QDoubleSpinBox* m_smoothing;
    QCheckBox* m_groupSeeds;
    QTableWidget* m_groups;
    ParallelCoordinatesChart* m_parallel;
    QComboBox* m_parallelColour;
    QString m_colourKey = QStringLiteral("rouge1"); ///< the outcome that colours the lines
    QComboBox* m_historyMode;
    QTableWidget* m_diff;
    ParetoChart* m_pareto;
    QTabWidget* m_charts;
    QComboBox* m_costAxis;
    PlanStrip* m_history;
    std::vector<store::RunRecord> m_runs;
    std::vector<std::optional<double>> m_rouge1; ///< per m_runs entry
};

} // namespace gt::widgets
