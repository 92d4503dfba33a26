#include "widgets/charts/plan_strip.h"

#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>

namespace gt::widgets {

PlanStrip::PlanStrip(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_map(new QCPColorMap(m_plot->xAxis, m_plot->yAxis)) {
    m_plot->setObjectName("PlanStrip");
    followPalette(m_plot);
    m_plot->setMinimumHeight(120);
    m_plot->xAxis->setLabel(tr("selection round (green: trained; tensor 0 = input side)"));
    m_plot->yAxis->setLabel(tr("tensor #"));
    QSharedPointer<QCPAxisTickerFixed> rounds(new QCPAxisTickerFixed);
    rounds->setTickStep(1.0);
    rounds->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(rounds);
    QCPColorGradient g;
    g.setColorStopAt(0, QColor(0xe8, 0xe8, 0xe8));
    g.setColorStopAt(1, QColor(0x2c, 0xa0, 0x2c).darker(120));
    g.setLevelCount(2);
    m_map->setGradient(g);
    m_map->setDataRange(QCPRange(0, 1));
    m_map->setInterpolate(false);
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
        for (int x = 0; x < columns; ++x) {
            const auto& sel = m_rounds[static_cast<size_t>(std::min(x, rounds - 1))].selected;
            for (int y = 0; y < tensors; ++y)
                m_map->data()->setCell(x, y, y < static_cast<int>(sel.size()) ? sel[y] : 0);
        }
        m_plot->xAxis->setRange(-0.5, rounds - 0.5);
        m_plot->yAxis->setRange(-0.5, tensors - 0.5);
        m_dirty = false;
    } else if (m_dirty) { // no rounds (any more)
        m_map->data()->clear();
        m_dirty = false;
    }
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
    QToolTip::showText(event->globalPosition().toPoint(),
                       head + '\n' +
                           tr("%1: %2").arg(name, r.selected[static_cast<size_t>(y)]
                                                      ? tr("trained")
                                                      : tr("frozen")),
                       m_plot);
}

} // namespace gt::widgets
