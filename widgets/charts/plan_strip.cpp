#include "widgets/charts/plan_strip.h"

#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gt::widgets {

PlanStrip::PlanStrip(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_map(new QCPColorMap(m_plot->xAxis, m_plot->yAxis))
    , m_trainedDots(m_plot->addGraph())
    , m_scale(new QCPColorScale(m_plot)) {
    m_plot->setObjectName("PlanStrip");
    followPalette(m_plot);
    m_plot->setMinimumHeight(120);
    m_plot->xAxis->setLabel(tr("selection round (green: trained; tensor 0 = input side)"));
    m_plot->yAxis->setLabel(tr("tensor #"));
    QSharedPointer<QCPAxisTickerFixed> rounds(new QCPAxisTickerFixed);
    rounds->setTickStep(1.0);
    rounds->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(rounds);
    m_map->setInterpolate(false);
    m_scale->axis()->setLabel(tr("log10 importance / round's largest"));
    m_scale->setBarWidth(10);
    m_map->setColorScale(m_scale);
    m_plot->plotLayout()->take(m_scale); // shown in importance mode only
    m_trainedDots->setLineStyle(QCPGraph::lsNone);
    m_trainedDots->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(0xff, 0xff, 0xff, 220), 3.5));
    setMode(Mode::Selection);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    connect(m_plot, &QCustomPlot::mouseMove, this, &PlanStrip::onMouseMove);
}

void PlanStrip::setRounds(std::vector<Round> rounds) {
    m_rounds = std::move(rounds);
    m_dirty = true;
    replot();
}

void PlanStrip::setMode(Mode mode) {
    m_mode = mode;
    if (mode == Mode::Selection) {
        QCPColorGradient g;
        g.setColorStopAt(0, QColor(0xe8, 0xe8, 0xe8));
        g.setColorStopAt(1, QColor(0x2c, 0xa0, 0x2c).darker(120));
        g.setLevelCount(2);
        m_map->setGradient(g);
        m_map->setDataRange(QCPRange(0, 1));
    } else {
        m_map->setGradient(viridisGradient());
        m_map->setDataRange(QCPRange(-4, 0)); // log10 of importance / the round's largest
    }
    const bool shown = m_plot->plotLayout()->hasElement(0, 1);
    if (mode == Mode::Importance && !shown) {
        m_plot->plotLayout()->addElement(0, 1, m_scale);
        applyPalette(m_plot);
    } else if (mode == Mode::Selection && shown) {
        m_plot->plotLayout()->take(m_scale);
        m_plot->plotLayout()->simplify();
    }
    m_dirty = true;
    replot();
}

double PlanStrip::cellValue(int round, int tensor) const {
    const auto& r = m_rounds.at(static_cast<size_t>(round));
    if (m_mode == Mode::Selection || r.importance.empty()) return r.selected.at(tensor);
    double top = 0;
    for (double v : r.importance)
        top = std::max(top, v);
    const double v = r.importance.at(static_cast<size_t>(tensor));
    return top > 0 && v > 0 ? std::max(-4.0, std::log10(v / top)) : -4.0;
}

void PlanStrip::addRound(Round round) {
    m_rounds.push_back(std::move(round));
    m_dirty = true;
}

void PlanStrip::clear() {
    m_rounds.clear();
    m_map->data()->clear();
    m_dirty = false;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlanStrip::setTensorNames(std::vector<QString> names) {
    m_names = std::move(names);
}

void PlanStrip::replot() {
    if (m_dirty && !m_rounds.empty()) {
        const int tensors = static_cast<int>(m_rounds.front().selected.size());
        const int rounds = static_cast<int>(m_rounds.size());
        // Cell centres at whole rounds and tensor indices. A colour map needs two columns to
        // know its cell width, so one round is drawn twice and the axis shows only the first.
        const int columns = std::max(2, rounds);
        m_map->data()->setSize(columns, tensors);
        m_map->data()->setRange(QCPRange(0, columns - 1), QCPRange(0, tensors - 1));
        QVector<double> dotX, dotY;
        for (int x = 0; x < columns; ++x) {
            const int round = std::min(x, rounds - 1);
            const auto& sel = m_rounds[static_cast<size_t>(round)].selected;
            for (int y = 0; y < tensors; ++y) {
                const bool have = y < static_cast<int>(sel.size());
                m_map->data()->setCell(x, y, have ? cellValue(round, y) : 0);
                if (have && sel[y] && x < rounds) dotX.push_back(x), dotY.push_back(y);
            }
        }
        if (m_mode == Mode::Importance) m_trainedDots->setData(dotX, dotY, true);
        m_plot->xAxis->setRange(-0.5, rounds - 0.5);
        m_plot->yAxis->setRange(-0.5, tensors - 0.5);
        m_dirty = false;
    } else if (m_dirty) { // no rounds (any more)
        m_map->data()->clear();
        m_dirty = false;
    }
    m_trainedDots->setVisible(m_mode == Mode::Importance);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlanStrip::onMouseMove(QMouseEvent* event) {
    const int x = static_cast<int>(std::lround(m_plot->xAxis->pixelToCoord(event->pos().x())));
    const int y = static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(event->pos().y())));
    if (x < 0 || x >= static_cast<int>(m_rounds.size()) || y < 0 ||
        y >= static_cast<int>(m_rounds[static_cast<size_t>(x)].selected.size())) {
        QToolTip::hideText();
        return;
    }
    const auto& r = m_rounds[static_cast<size_t>(x)];
    const QString name = y < static_cast<int>(m_names.size()) ? m_names[static_cast<size_t>(y)]
                                                              : tr("tensor %1").arg(y);
    QString head = tr("round %1 from step %2").arg(x).arg(r.step);
    if (r.share >= 0) head += tr(" (planned share %1)").arg(r.share, 0, 'f', 3);
    QString line =
        tr("%1: %2").arg(name, r.selected[static_cast<size_t>(y)] ? tr("trained") : tr("frozen"));
    if (y < static_cast<int>(r.importance.size()))
        line += tr(", importance %1").arg(r.importance[static_cast<size_t>(y)], 0, 'g', 4);
    QToolTip::showText(event->globalPosition().toPoint(), head + '\n' + line, m_plot);
}

} // namespace gt::widgets
