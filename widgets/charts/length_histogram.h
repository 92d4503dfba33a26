// How long a dataset's sources are: a histogram of lengths (words or the model's tokens) in
// about 30 bins of whole units.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include <cstdint>
#include <vector>

class QCustomPlot;

namespace gt::widgets {

struct Histogram {
    double binWidth = 1;     ///< whole units, at least 1
    QVector<double> centres; ///< bin b covers [b * width, (b + 1) * width)
    QVector<double> counts;
};

/// Bins non-negative lengths into at most about `bins` bins of whole-unit width.
Histogram binLengths(const std::vector<int64_t>& lengths, int bins = 30);

class LengthHistogram : public QWidget {
    Q_OBJECT
public:
    explicit LengthHistogram(QWidget* parent = nullptr);
    /// Replaces the bars; no lengths leave an empty plot.
    void setLengths(const std::vector<int64_t>& lengths, const QString& axisLabel);
    QCustomPlot* plot() const { return m_plot; }

private:
    QCustomPlot* m_plot;
};

} // namespace gt::widgets
