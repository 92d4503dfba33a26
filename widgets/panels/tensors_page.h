// The Tensors page: where a model's backward cost and importance sit, tensor by tensor, and
// what GreenTrainer would train for the rho on the slider. Every move of the slider
// recomputes the plan (exact DP: milliseconds) and redraws the overlay and the summary.
#pragma once

#include "core/api/cost_explorer.h"
#include "core/api/importance_job.h"
#include "widgets/panels/workbench_page.h"

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTimer;

namespace gt::widgets {

class PlanSummary;
class ProbeBar;
class RhoControl;
class TensorHeatmap;
class TensorTableModel;

class TensorsPage : public WorkbenchPage {
    Q_OBJECT
public:
    enum class Metric { Dw, Dy, Backward, Forward, Importance };

    explicit TensorsPage(QWidget* parent = nullptr);

    /// Shows a model (or clears the page with nullptr).
    void setExplorer(std::shared_ptr<api::CostExplorer> explorer);
    const api::CostExplorer* explorer() const { return m_explorer.get(); }

    /// The job the importance probe runs with (the Train page's); see ProbeBar.
    void setProbeJobSource(std::function<api::TrainJob()> source);
    ProbeBar* probeBar() const { return m_probe; }

    /// Slider moves are coalesced once a re-plan takes longer than this (default 16 ms).
    void setCoalesceAboveMs(double ms) { m_coalesceAboveMs = ms; }

    void setRho(double rho);
    double rho() const;
    void setMetric(Metric m);
    /// The plan on screen; empty `selected` when the rho is infeasible.
    const green::Plan& currentPlan() const { return m_plan; }

    TensorHeatmap* heatmap() const { return m_heatmap; }
    RhoControl* rhoControl() const { return m_rho; }
    QTableView* table() const { return m_table; }
    PlanSummary* summary() const { return m_summary; }

Q_SIGNALS:
    void planChanged();

private:
    QWidget* buildControls();
    void refreshCosts();
    void refreshValues();
    void refreshPlan();
    void onRhoMoved();
    void selectTensorsInTable(const QList<int>& tensors);
    void onTableSelectionChanged();
    QString tooltipFor(const std::vector<int>& tensors) const;
    void onProbed(const api::ImportanceOutcome& outcome);
    green::Accounting accounting() const;
    green::SelectorOptions selectorOptions() const;

    std::shared_ptr<api::CostExplorer> m_explorer;
    green::Plan m_plan;
    QLabel* m_modelLabel;
    QComboBox *m_metric, *m_accounting, *m_selector;
    QSpinBox *m_batch, *m_seqLen;
    RhoControl* m_rho;
    TensorHeatmap* m_heatmap;
    PlanSummary* m_summary;
    ProbeBar* m_probe;
    TensorTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QTimer* m_planTimer;     ///< coalesces slider moves while planning is slow
    double m_lastPlanMs = 0; ///< how long the last re-plan (plan + redraw) took
    double m_coalesceAboveMs = 16.0;
};

} // namespace gt::widgets
