#include "widgets/charts/length_histogram.h"

#include "widgets/charts/plot_theme.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace gt::widgets {

Histogram binLengths(const std::vector<int64_t>& lengths, int bins) {
    Histogram h;
    if (lengths.empty()) return h;
    const int64_t hi = *std::max_element(lengths.begin(), lengths.end());
    h.binWidth = std::max(1.0, std::ceil(static_cast<double>(hi + 1) / bins));
    for (int b = 0; b * h.binWidth <= static_cast<double>(hi); ++b) {
        h.centres << (b + 0.5) * h.binWidth;
        h.counts << 0;
    }
    for (int64_t x : lengths)
        h.counts[static_cast<int>(static_cast<double>(x) / h.binWidth)] += 1;
    return h;
}

LengthHistogram::LengthHistogram(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    m_plot->setObjectName("LengthHistogram");
    followPalette(m_plot);
    m_plot->setMinimumSize(280, 180);
    m_plot->yAxis->setLabel(tr("records"));
    m_plot->xAxis->setLabel(tr("source length"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void LengthHistogram::setLengths(const std::vector<int64_t>& lengths, const QString& axisLabel) {
    m_plot->clearPlottables();
    const Histogram h = binLengths(lengths);
    if (!h.centres.isEmpty()) {
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setData(h.centres, h.counts, true);
        bars->setWidth(h.binWidth * 0.9);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(0x1f, 0x77, 0xb4, 190));
        m_plot->xAxis->setLabel(axisLabel);
        m_plot->rescaleAxes();
        m_plot->yAxis->setRangeLower(0);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace gt::widgets
