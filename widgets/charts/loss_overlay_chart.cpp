#include "widgets/charts/loss_overlay_chart.h"

#include "widgets/charts/plot_theme.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

namespace gt::widgets {
namespace {

// Tableau 10: distinct, colour-blind-friendly line colours for overlaid runs.
QColor runColor(size_t i) {
    static const QColor c[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                               QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                               QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                               QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                               QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    return c[i % 10];
}

} // namespace

LossOverlayChart::LossOverlayChart(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    m_plot->setObjectName("RunLossPlot");
    followPalette(m_plot);
    m_plot->setMinimumHeight(220);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("training loss"));
    m_plot->legend->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void LossOverlayChart::setCurves(const std::vector<LossCurve>& curves, const QString& xLabel,
                                 const QString& yLabel) {
    m_plot->clearGraphs();
    m_plot->xAxis->setLabel(xLabel);
    m_plot->yAxis->setLabel(yLabel);
    for (size_t i = 0; i < curves.size(); ++i) {
        if (!curves[i].low.isEmpty() && curves[i].low.size() == curves[i].high.size()) {
            // the band: its upper edge filled down to its lower edge, both without a line
            QCPGraph* low = m_plot->addGraph();
            low->setData(curves[i].steps, curves[i].low, true);
            low->setPen(Qt::NoPen);
            low->removeFromLegend();
            QCPGraph* high = m_plot->addGraph();
            high->setData(curves[i].steps, curves[i].high, true);
            high->setPen(Qt::NoPen);
            QColor fill = runColor(i);
            fill.setAlpha(60);
            high->setBrush(fill);
            high->setChannelFillGraph(low);
            high->removeFromLegend();
        }
        QCPGraph* g = m_plot->addGraph();
        g->setData(curves[i].steps, curves[i].values, true);
        g->setPen(QPen(runColor(i), 1.5));
        g->setName(curves[i].name);
    }
    m_plot->legend->setVisible(!curves.empty());
    // many curves: a smaller legend covers less of them
    QFont legendFont = font();
    if (curves.size() > 4) legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    m_plot->legend->setFont(legendFont);
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace gt::widgets
