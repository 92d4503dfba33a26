#include "widgets/charts/pareto_chart.h"

#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace gt::widgets {

std::vector<size_t> paretoFront(const std::vector<ParetoPoint>& pts) {
    std::vector<size_t> order(pts.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return pts[a].cost != pts[b].cost ? pts[a].cost < pts[b].cost
                                          : pts[a].rouge1 > pts[b].rouge1;
    });
    std::vector<size_t> front;
    double best = -1e300;
    for (size_t i : order)
        if (pts[i].rouge1 > best) { // better than everything cheaper
            front.push_back(i);
            best = pts[i].rouge1;
        }
    return front;
}

ParetoChart::ParetoChart(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    m_plot->setObjectName("ParetoPlot");
    followPalette(m_plot);
    m_plot->yAxis->setLabel(tr("final ROUGE-1 (F1 x 100)"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    auto* l = new QVBoxLayout(this);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_plot);
}

void ParetoChart::setPoints(const std::vector<ParetoPoint>& pts, const QString& costLabel) {
    m_plot->clearGraphs();
    m_plot->clearItems();
    m_plot->xAxis->setLabel(costLabel);
    // One graph per method: distinct marker and colour; full FT and LoRA are references.
    struct Style {
        QColor color;
        QCPScatterStyle::ScatterShape shape;
    };
    const std::map<QString, Style> styles = {
        {"full", {QColor(0x7f, 0x7f, 0x7f), QCPScatterStyle::ssSquare}},
        {"lora", {QColor(0x94, 0x67, 0xbd), QCPScatterStyle::ssTriangle}},
        {"greentrainer", {QColor(0x2c, 0xa0, 0x2c), QCPScatterStyle::ssDisc}},
        {"top-k-blocks", {QColor(0xff, 0x7f, 0x0e), QCPScatterStyle::ssDiamond}},
        {"prefix", {QColor(0x8c, 0x56, 0x4b), QCPScatterStyle::ssTriangleInverted}},
        {"lisa", {QColor(0xd6, 0x27, 0x28), QCPScatterStyle::ssStar}},
        {"badam", {QColor(0x17, 0xbe, 0xcf), QCPScatterStyle::ssCrossSquare}},
        {"freezeout", {QColor(0xe3, 0x77, 0xc2), QCPScatterStyle::ssPlusCircle}}};
    std::map<QString, QCPGraph*> graphs;
    for (const auto& p : pts) {
        auto& g = graphs[p.method];
        if (!g) {
            const auto it = styles.find(p.method);
            const Style s = it != styles.end()
                                ? it->second
                                : Style{QColor(0x1f, 0x77, 0xb4), QCPScatterStyle::ssCross};
            g = m_plot->addGraph();
            g->setName(p.method == "full" ? tr("full FT") : p.method);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(s.shape, s.color, s.color, 9));
        }
        g->addData(p.cost, p.rouge1);
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(p.cost, p.rouge1);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(QStringLiteral(" %1").arg(p.runId));
        label->setColor(m_plot->palette().color(QPalette::PlaceholderText));
    }
    m_front = paretoFront(pts);
    if (m_front.size() > 1) {
        auto* line = m_plot->addGraph();
        line->setName(tr("Pareto front"));
        line->setLineStyle(QCPGraph::lsStepLeft);
        line->setPen(QPen(QColor(0x2c, 0xa0, 0x2c, 140), 1.5, Qt::DashLine));
        for (size_t i : m_front)
            line->addData(pts[i].cost, pts[i].rouge1);
    }
    m_plot->rescaleAxes();
    const auto pad = [](QCPAxis* a, double lo) {
        const double span = std::max(1e-6, a->range().size());
        a->setRange(std::min(a->range().lower - 0.08 * span, lo), a->range().upper + 0.12 * span);
    };
    pad(m_plot->xAxis, 0.0);
    pad(m_plot->yAxis, m_plot->yAxis->range().lower);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace gt::widgets
