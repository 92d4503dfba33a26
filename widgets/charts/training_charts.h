// The Train page's live charts: training loss (raw and smoothed), validation ROUGE-1/2/L,
// cumulative FLOPs against the full fine-tuning reference line, step time and tokens/s,
// cumulative energy and CO2 with the full fine-tuning line (this run's energy per FLOP times
// full fine-tuning's FLOPs; the method label in the axis), each round's rho over the grid's
// intensity, and the plan of each selection round as a strip (rounds x tensors). Data
// arrive per step; replots are coalesced to at most one every 40 ms, and every point is kept.
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
    QCustomPlot* energyPlot() const { return m_energy; }
    QCustomPlot* carbonPlot() const { return m_carbon; }
    PlanStrip* planStrip() const { return m_strip; }
    int replots() const { return m_replots; }
    /// True once a step has reported energy (measured or estimated).
    bool showsEnergy() const;
    /// True once a step has reported CO2 (the energy plot's right axis).
    bool showsCarbon() const;
    /// Labels the energy axis with the run's method ("measured:rapl", "estimated:cpu-model").
    void setEnergyMethod(const QString& method);

private:
    void scheduleReplot();
    void replot();
    QCustomPlot* makePlot(const QString& name, const QString& yLabel);

    void addEnergy(double x, const api::TrainProgress& p);
    void addGrid(double x, const api::TrainProgress& p);

    QCustomPlot *m_loss, *m_rouge, *m_flops, *m_speed, *m_energy, *m_carbon;
    PlanStrip* m_strip;
    QTimer m_replotTimer;
    double m_smoothed = 0, m_cumulative = 0, m_cumulativeFull = 0;
    int64_t m_steps = 0;
    double m_lastRoundRho = -1; ///< the rho step line's level, carried to the newest step
    int m_replots = 0;
};

} // namespace gt::widgets
