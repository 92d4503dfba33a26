// ROUGE against cost for stored runs: one point per run (x = planned FLOPs as a share of full
// fine-tuning, or measured training time as a share of the full-FT run, y = final ROUGE-1),
// markers per method so full FT and LoRA stand out as reference points, and the Pareto front
// (no other run is both cheaper and better) drawn as a step line.
#pragma once

#include <QString>
#include <QWidget>

#include <vector>

class QCustomPlot;

namespace gt::widgets {

struct ParetoPoint {
    qint64 runId = 0;
    QString label, method;
    double cost = 0;   ///< share of full fine-tuning (FLOPs or time)
    double rouge1 = 0; ///< F1 x 100
};

class ParetoChart : public QWidget {
    Q_OBJECT
public:
    explicit ParetoChart(QWidget* parent = nullptr);
    void setPoints(const std::vector<ParetoPoint>& points, const QString& costLabel);
    /// Indices into the last setPoints() on the Pareto front, cheapest first.
    std::vector<size_t> front() const { return m_front; }
    QCustomPlot* plot() const { return m_plot; }

private:
    QCustomPlot* m_plot;
    std::vector<size_t> m_front;
};

/// Points on the Pareto front (minimise cost, maximise ROUGE), cheapest first.
std::vector<size_t> paretoFront(const std::vector<ParetoPoint>& points);

} // namespace gt::widgets
