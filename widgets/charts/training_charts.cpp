#include "widgets/charts/training_charts.h"

#include "widgets/charts/plan_strip.h"

#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QGridLayout>

namespace gt::widgets {
namespace {

const QColor kBlue(0x1f, 0x77, 0xb4), kOrange(0xff, 0x7f, 0x0e), kGreen(0x2c, 0xa0, 0x2c),
    kRed(0xd6, 0x27, 0x28), kGrey(0x7f, 0x7f, 0x7f);

QCPGraph* addGraph(QCustomPlot* p, const QString& name, const QColor& c, Qt::PenStyle style,
                   QCPAxis* y = nullptr) {
    auto* g = p->addGraph(p->xAxis, y ? y : p->yAxis);
    g->setName(name);
    g->setPen(QPen(c, 1.6, style));
    return g;
}

} // namespace

QCustomPlot* TrainingCharts::makePlot(const QString& name, const QString& yLabel) {
    auto* p = new QCustomPlot(this);
    p->setObjectName(name);
    followPalette(p);
    p->setMinimumSize(260, 170);
    p->xAxis->setLabel(tr("step"));
    p->yAxis->setLabel(yLabel);
    p->legend->setVisible(true);
    p->legend->setFont(QFont(font().family(), font().pointSize() - 1));
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->setNoAntialiasingOnDrag(true);
    return p;
}

TrainingCharts::TrainingCharts(QWidget* parent)
    : QWidget(parent)
    , m_loss(makePlot("LossPlot", tr("training loss")))
    , m_rouge(makePlot("RougePlot", tr("validation ROUGE (F1 x 100)")))
    , m_flops(makePlot("FlopsPlot", tr("cumulative TFLOPs")))
    , m_speed(makePlot("SpeedPlot", tr("ms per step")))
    , m_strip(new PlanStrip(this)) {
    addGraph(m_loss, tr("loss"), kBlue.lighter(150), Qt::SolidLine);
    addGraph(m_loss, tr("smoothed (EMA 0.9)"), kBlue, Qt::SolidLine)->setPen(QPen(kBlue, 2.2));
    for (auto [name, c] :
         {std::pair{tr("ROUGE-1"), kBlue}, {tr("ROUGE-2"), kOrange}, {tr("ROUGE-L"), kGreen}}) {
        auto* g = addGraph(m_rouge, name, c, Qt::SolidLine);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    }
    addGraph(m_flops, tr("this run"), kGreen, Qt::SolidLine)->setPen(QPen(kGreen, 2.2));
    addGraph(m_flops, tr("full fine-tuning"), kGrey, Qt::DashLine);
    // Measured energy (RAPL) on the right axis; shown once a step reports it.
    m_flops->yAxis2->setLabel(tr("measured energy, kJ"));
    auto* energy =
        addGraph(m_flops, tr("energy (measured)"), kOrange, Qt::SolidLine, m_flops->yAxis2);
    energy->setVisible(false);
    energy->removeFromLegend();
    addGraph(m_speed, tr("step time"), kRed, Qt::SolidLine);
    m_speed->yAxis2->setVisible(true);
    m_speed->yAxis2->setLabel(tr("tokens/s"));
    addGraph(m_speed, tr("tokens/s"), kBlue, Qt::SolidLine, m_speed->yAxis2);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_rouge, 0, 1);
    grid->addWidget(m_flops, 1, 0);
    grid->addWidget(m_speed, 1, 1);
    grid->addWidget(m_strip, 2, 0, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 2);
    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(40);
    connect(&m_replotTimer, &QTimer::timeout, this, &TrainingCharts::replot);
}

void TrainingCharts::clear() {
    for (auto* p : {m_loss, m_rouge, m_flops, m_speed})
        for (int i = 0; i < p->graphCount(); ++i)
            p->graph(i)->data()->clear();
    m_strip->clear();
    m_flops->graph(2)->setVisible(false);
    m_flops->graph(2)->removeFromLegend();
    m_flops->yAxis2->setVisible(false);
    m_smoothed = m_cumulative = m_cumulativeFull = 0;
    m_steps = 0;
    replot();
}

void TrainingCharts::addStep(const api::TrainProgress& p) {
    const auto& m = p.step;
    const double x = static_cast<double>(m.step);
    m_smoothed = m_steps == 0 ? m.loss : 0.9 * m_smoothed + 0.1 * m.loss;
    ++m_steps;
    m_loss->graph(0)->addData(x, m.loss);
    m_loss->graph(1)->addData(x, m_smoothed);
    m_cumulative += 2 * m.plannedMacs / 1e12; // FLOPs = 2 x MACs
    m_cumulativeFull += 2 * m.fullMacs / 1e12;
    m_flops->graph(0)->addData(x, m_cumulative);
    m_flops->graph(1)->addData(x, m_cumulativeFull);
    if (p.energyJoules) {
        QCPGraph* energy = m_flops->graph(2);
        if (!energy->visible()) {
            energy->setVisible(true);
            energy->addToLegend();
            m_flops->yAxis2->setVisible(true);
        }
        energy->addData(x, *p.energyJoules / 1000.0);
    }
    m_speed->graph(0)->addData(x, m.stepMillis);
    m_speed->graph(1)->addData(x, m.tokensPerSecond);
    scheduleReplot();
}

bool TrainingCharts::showsEnergy() const {
    return m_flops->graph(2)->visible();
}

void TrainingCharts::addEvaluation(const api::EvalPoint& e) {
    const double x = static_cast<double>(e.step);
    m_rouge->graph(0)->addData(x, e.rouge1);
    m_rouge->graph(1)->addData(x, e.rouge2);
    m_rouge->graph(2)->addData(x, e.rougeL);
    scheduleReplot();
}

void TrainingCharts::addPlanRound(const api::PlanRound& r) {
    m_strip->addRound({r.step, r.share, r.selected});
    scheduleReplot();
}

void TrainingCharts::scheduleReplot() {
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

void TrainingCharts::replot() {
    for (auto* p : {m_loss, m_rouge, m_flops}) {
        p->rescaleAxes();
    }
    m_speed->graph(0)->rescaleAxes();
    m_speed->graph(1)->rescaleAxes();
    m_speed->xAxis->rescale();
    for (auto* p : {m_loss, m_rouge, m_flops, m_speed})
        p->replot(QCustomPlot::rpQueuedReplot);
    m_strip->replot();
    ++m_replots;
}

} // namespace gt::widgets
