// Training-loss curves of several stored runs overlaid on one plot, one colour-blind-friendly
// colour per run (or per seed group, drawn as its mean with a shaded interval band), with a
// legend naming each.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

class QCustomPlot;

namespace gt::widgets {

struct LossCurve {
    QString name;                  ///< the legend entry, e.g. "12 gt-0.5"
    QVector<double> steps, values; ///< x (steps, or the chosen axis) and loss
    QVector<double> low, high;     ///< an interval band around values (empty: none)
};

class LossOverlayChart : public QWidget {
    Q_OBJECT
public:
    explicit LossOverlayChart(QWidget* parent = nullptr);
    /// Replaces the curves (none: an empty plot without a legend).
    void setCurves(const std::vector<LossCurve>& curves,
                   const QString& xLabel = QStringLiteral("step"),
                   const QString& yLabel = QStringLiteral("training loss"));
    QCustomPlot* plot() const { return m_plot; }

private:
    QCustomPlot* m_plot;
};

} // namespace gt::widgets
