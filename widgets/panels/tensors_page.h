// The Tensors page: where a model's backward cost and importance sit, tensor by tensor, and
// what GreenTrainer would train for the rho on the slider. Every move of the slider
// recomputes the plan (exact DP: milliseconds) and redraws the overlay and the summary; the
// pre-flight card (time, memory, energy, CO2 of a run of that plan) and the explanation of the
// selected tensor follow once the slider rests.
#pragma once

#include "core/api/cost_explorer.h"
#include "core/api/importance_job.h"
#include "widgets/panels/workbench_page.h"

#include <functional>
#include <map>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTimer;

namespace gt::widgets {

class PlanSummary;
class PreflightView;
class ProbeBar;
class RhoControl;
class TensorHeatmap;
class TensorTableModel;
class WhyTensorView;

class TensorsPage : public WorkbenchPage {
    Q_OBJECT
public:
    enum class Metric { Dw, Dy, Backward, Forward, Importance };

    explicit TensorsPage(QWidget* parent = nullptr);

    /// Shows a model (or clears the page with nullptr).
    void setExplorer(std::shared_ptr<api::CostExplorer> explorer);
    const api::CostExplorer* explorer() const { return m_explorer.get(); }

    /// The job the importance probe runs (the Train page's; see ProbeBar) and whose steps,
    /// threads, power figure and grid the pre-flight card assumes.
    void setJobSource(std::function<api::TrainJob()> source);
    ProbeBar* probeBar() const { return m_probe; }

    /// This machine's 1024^3 GEMM rate at `threads` intra-op threads (0: all cores), measured
    /// off the GUI thread after gemmRateRequested; the pre-flight card's time rests on it.
    void setGemmRate(int threads, double gflops);
    /// The measurement at `threads` failed: the card says why instead of waiting.
    void showGemmRateFailed(int threads, const QString& message);
    PreflightView* preflightView() const { return m_preflight; }
    WhyTensorView* whyView() const { return m_why; }
    /// Explains the one selected tensor now (it otherwise follows once the slider rests).
    void refreshWhy();
    /// Recomputes the card now (it otherwise follows the plan once the slider rests).
    void refreshPreflight();

    /// Slider moves are coalesced once a re-plan takes longer than this (default 16 ms).
    void setCoalesceAboveMs(double ms) { m_coalesceAboveMs = ms; }

    void setRho(double rho);
    double rho() const;
    void setMetric(Metric m);
    /// The plan on screen; empty `selected` when the rho is infeasible.
    const green::Plan& currentPlan() const { return m_plan; }

    /// Pins `tensors` (catalogue indices) in or out, or frees them (Pin::Free); re-plans.
    void pinTensors(const std::vector<int>& tensors, green::Pin pin);
    void clearPins();
    const green::Pins& pins() const { return m_pins; }
    /// The pins as `gt train --include/--exclude` patterns, one exact name each, so that a run
    /// started from the Train page stores them.
    std::vector<std::string> pinPatterns(green::Pin pin) const;
    /// The table rows selected now, as catalogue indices (what the pin buttons act on).
    std::vector<int> selectedTensors() const;
    QPushButton* pinButton(green::Pin pin) const;

    TensorHeatmap* heatmap() const { return m_heatmap; }
    RhoControl* rhoControl() const { return m_rho; }
    QTableView* table() const { return m_table; }
    PlanSummary* summary() const { return m_summary; }

Q_SIGNALS:
    void planChanged();
    /// The card needs the GEMM rate at `threads`: answer with setGemmRate (once per count).
    void gemmRateRequested(int threads);
    /// The pins changed (also when a new model clears them).
    void pinsChanged();

protected:
    void showEvent(QShowEvent* event) override; ///< the Train page's job may have changed

private:
    QWidget* buildControls();
    QWidget* buildPinBar();
    void showPinMenu(const QList<int>& tensors, const QPoint& globalPos);
    void showPlanError(const QString& message);
    void fitSideColumn();
    void refreshPins();
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
    PreflightView* m_preflight;
    WhyTensorView* m_why;
    QScrollArea* m_side; ///< the summary, the explanation and the card
    ProbeBar* m_probe;
    std::function<api::TrainJob()> m_jobSource;
    green::Pins m_pins;
    QPushButton *m_pinIn, *m_pinOut, *m_unpin, *m_clearPins;
    QLabel* m_pinLabel;
    std::map<int, double> m_gemmRates;   ///< GFLOP/s by thread count, as measured
    std::map<int, bool> m_gemmRequested; ///< asked for once each
    std::map<int, QString> m_gemmErrors; ///< why a measurement failed
    TensorTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QTimer* m_planTimer;     ///< coalesces slider moves while planning is slow
    double m_lastPlanMs = 0; ///< how long the last re-plan (plan + redraw) took
    double m_coalesceAboveMs = 16.0;
    QTimer* m_preflightTimer; ///< the card waits for the slider to rest
    QTimer* m_whyTimer;       ///< so does the explanation (it re-plans up to 100 times)
};

} // namespace gt::widgets
