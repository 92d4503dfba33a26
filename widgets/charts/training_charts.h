// The Train page's live charts: training loss (raw and smoothed), validation ROUGE-1/2/L,
// cumulative FLOPs against the full fine-tuning reference line (with measured energy where
// the machine has RAPL counters), step time and tokens/s, and
// the plan of each selection round as a strip (rounds x tensors). Data arrive per step;
// replots are coalesced to at most one every 40 ms, and every point is kept.
#pragma once

#include "core/api/training_job.h"

#include <QTimer>
#include <QWidget>

class QCustomPlot;

namespace gt::widgets {

class PlanStrip;

class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget* parent = nullptr);

    void clear();
    void addStep(const api::TrainProgress& p);
    void addEvaluation(const api::EvalPoint& e);
    void addPlanRound(const api::PlanRound& r);

    QCustomPlot* lossPlot() const { return m_loss; }
    QCustomPlot* rougePlot() const { return m_rouge; }
    QCustomPlot* flopsPlot() const { return m_flops; }
    QCustomPlot* speedPlot() const { return m_speed; }
    PlanStrip* planStrip() const { return m_strip; }
    int replots() const { return m_replots; }
    /// True once a step has reported measured energy (drawn on the FLOPs plot's right axis).
    bool showsEnergy() const;

private:
    void scheduleReplot();
    void replot();
    QCustomPlot* makePlot(const QString& name, const QString& yLabel);

    QCustomPlot *m_loss, *m_rouge, *m_flops, *m_speed;
    PlanStrip* m_strip;
    QTimer m_replotTimer;
    double m_smoothed = 0, m_cumulative = 0, m_cumulativeFull = 0;
    int64_t m_steps = 0;
    int m_replots = 0;
};

} // namespace gt::widgets
