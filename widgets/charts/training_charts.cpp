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
    p->setMinimumSize(200, 150); // three columns beside the form on a 1280-pixel screen
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
    , m_energy(makePlot("EnergyPlot", tr("energy, kJ")))
    , m_carbon(makePlot("CarbonPlot", tr("rho of the round")))
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
    // Energy (left) and CO2 (right), this run and full fine-tuning at this run's energy per FLOP.
    addGraph(m_energy, tr("energy"), kOrange, Qt::SolidLine)->setPen(QPen(kOrange, 2.2));
    addGraph(m_energy, tr("full FT (per FLOP)"), kGrey, Qt::DashLine);
    m_energy->yAxis2->setLabel(tr("gCO2e"));
    addGraph(m_energy, tr("CO2"), kGreen, Qt::SolidLine, m_energy->yAxis2);
    addGraph(m_energy, tr("full FT CO2"), kGreen.lighter(140), Qt::DotLine, m_energy->yAxis2);
    m_energy->xAxis->setLabel(tr("step (energy cumulative)"));
    // rho per round as a step line over the grid's intensity (right)
    auto* rho = addGraph(m_carbon, tr("rho"), kBlue, Qt::SolidLine);
    rho->setLineStyle(QCPGraph::lsStepLeft);
    rho->setPen(QPen(kBlue, 2.2));
    m_carbon->yAxis2->setLabel(tr("grid gCO2e/kWh"));
    addGraph(m_carbon, tr("grid intensity"), kRed, Qt::SolidLine, m_carbon->yAxis2);
    addGraph(m_speed, tr("step time"), kRed, Qt::SolidLine);
    m_speed->yAxis2->setVisible(true);
    m_speed->yAxis2->setLabel(tr("tokens/s"));
    addGraph(m_speed, tr("tokens/s"), kBlue, Qt::SolidLine, m_speed->yAxis2);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_rouge, 0, 1);
    grid->addWidget(m_flops, 0, 2);
    grid->addWidget(m_speed, 1, 0);
    grid->addWidget(m_energy, 1, 1);
    grid->addWidget(m_carbon, 1, 2);
    grid->addWidget(m_strip, 2, 0, 1, 3);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 2);
    for (QCPGraph* g : {m_energy->graph(2), m_energy->graph(3), m_carbon->graph(1)})
        g->removeFromLegend();
    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(40);
    connect(&m_replotTimer, &QTimer::timeout, this, &TrainingCharts::replot);
}

void TrainingCharts::clear() {
    for (auto* p : {m_loss, m_rouge, m_flops, m_speed, m_energy, m_carbon})
        for (int i = 0; i < p->graphCount(); ++i)
            p->graph(i)->data()->clear();
    m_strip->clear();
    m_energy->yAxis2->setVisible(false);
    m_carbon->yAxis2->setVisible(false);
    // CO2 and the grid enter the legends when a run has a grid intensity
    for (QCPGraph* g : {m_energy->graph(2), m_energy->graph(3), m_carbon->graph(1)})
        g->removeFromLegend();
    setEnergyMethod({});
    m_smoothed = m_cumulative = m_cumulativeFull = 0;
    m_steps = 0;
    m_lastRoundRho = -1;
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
    addEnergy(x, p);
    addGrid(x, p);
    m_speed->graph(0)->addData(x, m.stepMillis);
    m_speed->graph(1)->addData(x, m.tokensPerSecond);
    scheduleReplot();
}

void TrainingCharts::addEnergy(double x, const api::TrainProgress& p) {
    if (!p.energyJoules) return;
    // Full fine-tuning at this run's energy per FLOP: what the same run would have cost
    // without the plan (probes and validation included in the per-FLOP figure).
    const double perFlop = m_cumulative > 0 ? m_cumulativeFull / m_cumulative : 1.0;
    m_energy->graph(0)->addData(x, *p.energyJoules / 1000.0);
    m_energy->graph(1)->addData(x, *p.energyJoules / 1000.0 * perFlop);
    if (p.co2Grams) {
        if (!m_energy->yAxis2->visible()) {
            m_energy->yAxis2->setVisible(true);
            m_energy->graph(2)->addToLegend();
            m_energy->graph(3)->addToLegend();
        }
        m_energy->graph(2)->addData(x, *p.co2Grams);
        m_energy->graph(3)->addData(x, *p.co2Grams * perFlop);
    }
}

void TrainingCharts::addGrid(double x, const api::TrainProgress& p) {
    if (p.gridGPerKwh) {
        if (!m_carbon->yAxis2->visible()) {
            m_carbon->yAxis2->setVisible(true);
            m_carbon->graph(1)->addToLegend();
        }
        m_carbon->graph(1)->addData(x, *p.gridGPerKwh);
    }
    // the rho step line reaches the newest step, so its last round shows its length
    if (m_lastRoundRho >= 0) m_carbon->graph(0)->addData(x, m_lastRoundRho);
}

void TrainingCharts::setEnergyMethod(const QString& method) {
    m_energy->graph(0)->setName(method.isEmpty() ? tr("energy") : tr("energy, %1").arg(method));
}

bool TrainingCharts::showsEnergy() const {
    return !m_energy->graph(0)->data()->isEmpty();
}

bool TrainingCharts::showsCarbon() const {
    return !m_energy->graph(2)->data()->isEmpty();
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
    if (r.rho) {
        m_lastRoundRho = *r.rho;
        m_carbon->graph(0)->addData(static_cast<double>(r.step), *r.rho);
    }
    scheduleReplot();
}

void TrainingCharts::scheduleReplot() {
    if (!m_replotTimer.isActive()) m_replotTimer.start();
}

void TrainingCharts::replot() {
    for (auto* p : {m_loss, m_rouge, m_flops, m_energy, m_carbon}) {
        p->rescaleAxes();
    }
    // rho lives in (0, 1]: a fixed axis makes a schedule's moves comparable across runs
    if (!m_carbon->graph(0)->data()->isEmpty()) m_carbon->yAxis->setRange(0, 1.05);
    m_speed->graph(0)->rescaleAxes();
    m_speed->graph(1)->rescaleAxes();
    m_speed->xAxis->rescale();
    for (auto* p : {m_loss, m_rouge, m_flops, m_speed, m_energy, m_carbon})
        p->replot(QCustomPlot::rpQueuedReplot);
    m_strip->replot();
    ++m_replots;
}

} // namespace gt::widgets
