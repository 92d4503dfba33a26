#include "widgets/panels/run_compare_panel.h"

#include "core/store/cost_share.h"
#include "core/store/run_export.h"
#include "core/store/run_queries.h"
#include "widgets/charts/loss_overlay_chart.h"
#include "widgets/charts/pareto_chart.h"
#include "widgets/charts/plan_strip.h"
#include "widgets/charts/plot_export.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace gt::widgets {

RunComparePanel::RunComparePanel(QWidget* parent)
    : QWidget(parent)
    , m_loss(new LossOverlayChart(this))
    , m_diff(new QTableWidget(this))
    , m_pareto(new ParetoChart(this))
    , m_charts(new QTabWidget(this))
    , m_costAxis(new QComboBox(this))
    , m_history(new PlanStrip(this)) {
    setObjectName("RunComparePanel");
    m_diff->setObjectName("ConfigDiff");
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->verticalHeader()->hide();
    m_diff->horizontalHeader()->setStretchLastSection(true);
    m_charts->setObjectName("RunCharts");
    m_charts->addTab(m_loss, tr("Loss curves"));
    m_charts->addTab(buildParetoTab(), tr("ROUGE vs cost"));
    m_history->setToolTip(tr("What the first selected run trained in each selection round"));
    m_charts->addTab(m_history, tr("Selection over time"));
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_charts);
    split->addWidget(m_diff);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

QWidget* RunComparePanel::buildParetoTab() {
    auto* tab = new QWidget(this);
    auto* col = new QVBoxLayout(tab);
    col->setContentsMargins(0, 4, 0, 0);
    m_costAxis->setObjectName("ParetoCost");
    m_costAxis->addItem(tr("cost = planned FLOPs (share of full FT)"));
    m_costAxis->addItem(tr("cost = training time (share of the full-FT run)"));
    m_costAxis->addItem(tr("cost = energy (share of the full-FT run, same method)"));
    m_costAxis->addItem(tr("cost = energy, kJ"));
    m_costAxis->addItem(tr("cost = carbon, gCO2e"));
    connect(m_costAxis, &QComboBox::currentIndexChanged, this, &RunComparePanel::updatePareto);
    col->addWidget(m_costAxis, 0, Qt::AlignLeft);
    col->addWidget(m_pareto, 1);
    return tab;
}

void RunComparePanel::showRuns(const store::RunQueries* store, const std::vector<int64_t>& ids) {
    std::vector<LossCurve> curves;
    for (size_t i = 0; store && i < ids.size(); ++i) {
        LossCurve c;
        for (const auto& p : store->series(ids[i], "train/loss", 4000)) {
            c.steps.push_back(static_cast<double>(p.step));
            c.values.push_back(p.value);
        }
        const auto run = store->run(ids[i]);
        c.name = QStringLiteral("%1 %2").arg(ids[i]).arg(run ? QString::fromStdString(run->name)
                                                             : QString());
        curves.push_back(std::move(c));
    }
    m_loss->setCurves(curves);
    showDiff(store, ids);
}

/// The configuration keys that differ between two or more runs, one column per run.
void RunComparePanel::showDiff(const store::RunQueries* store, const std::vector<int64_t>& ids) {
    m_diff->clear();
    m_diff->setRowCount(0);
    if (!store || ids.size() < 2) {
        m_diff->setColumnCount(1);
        m_diff->setHorizontalHeaderLabels(
            {tr("select two or more runs to compare their configurations")});
        return;
    }
    const auto diff = store::configDiff(*store, ids);
    m_diff->setColumnCount(static_cast<int>(ids.size()) + 1);
    QStringList headers{tr("differs")};
    for (int64_t id : ids)
        headers << tr("run %1").arg(id);
    m_diff->setHorizontalHeaderLabels(headers);
    m_diff->setRowCount(static_cast<int>(diff.size()));
    for (size_t r = 0; r < diff.size(); ++r) {
        m_diff->setItem(static_cast<int>(r), 0,
                        new QTableWidgetItem(QString::fromStdString(diff[r].key)));
        for (size_t c = 0; c < diff[r].values.size(); ++c)
            m_diff->setItem(static_cast<int>(r), static_cast<int>(c) + 1,
                            new QTableWidgetItem(diff[r].values[c]
                                                     ? QString::fromStdString(*diff[r].values[c])
                                                     : tr("(absent)")));
    }
    m_diff->resizeColumnsToContents();
}

void RunComparePanel::showHistory(const store::RunQueries* store, int64_t id) {
    std::vector<PlanStrip::Round> rounds;
    std::vector<QString> names;
    QString title = tr("selection round (green: trained; tensor 0 = input side)");
    if (store && id > 0) {
        if (const auto run = store->run(id))
            title = tr("selection rounds of run %1 %2 (green: trained; tensor 0 = input side)")
                        .arg(id)
                        .arg(QString::fromStdString(run->name));
        for (int round : store->snapshotRounds(id)) {
            const auto rows = store->tensorSnapshots(id, round);
            PlanStrip::Round r;
            r.step = store->snapshotStep(id, round);
            for (const auto& t : rows) {
                r.selected.push_back(t.selected ? 1 : 0);
                if (names.size() < rows.size()) names.push_back(QString::fromStdString(t.tensor));
            }
            rounds.push_back(std::move(r));
        }
    }
    m_history->plot()->xAxis->setLabel(title);
    m_history->setTensorNames(std::move(names));
    m_history->setRounds(std::move(rounds));
}

void RunComparePanel::setAllRuns(std::vector<store::RunRecord> runs,
                                 std::vector<std::optional<double>> rouge1) {
    m_runs = std::move(runs);
    m_rouge1 = std::move(rouge1);
    updatePareto();
}

void RunComparePanel::updatePareto() {
    const auto axis = static_cast<store::CostAxis>(m_costAxis->currentIndex());
    std::vector<ParetoPoint> pts;
    QStringList methods; // the energy methods of the points shown: the axis names them all
    for (size_t i = 0; i < m_runs.size(); ++i) {
        const auto& run = m_runs[i];
        const auto cost = store::costShare(run, m_runs, axis);
        if (!m_rouge1[i] || !cost) continue;
        pts.push_back({run.id, QString::fromStdString(run.name), QString::fromStdString(run.method),
                       *cost, *m_rouge1[i]});
        const QString method = QString::fromStdString(run.energyMethod);
        if (!method.isEmpty() && !methods.contains(method)) methods << method;
    }
    const QString how =
        methods.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(methods.join(", "));
    QString label;
    switch (axis) {
    case store::CostAxis::TrainingTime:
        label = tr("training time, share of full fine-tuning");
        break;
    case store::CostAxis::MeasuredEnergy:
        label = tr("energy, share of full fine-tuning") + how;
        break;
    case store::CostAxis::EnergyKj:
        label = tr("energy, kJ") + how;
        break;
    case store::CostAxis::Co2Grams:
        label = tr("carbon, gCO2e") + how;
        break;
    default:
        label = tr("planned FLOPs per step, share of full fine-tuning");
    }
    m_pareto->setPoints(pts, label);
}

void RunComparePanel::showChart(int index) {
    m_charts->setCurrentIndex(index);
}

QCustomPlot* RunComparePanel::lossPlot() const {
    return m_loss->plot();
}

bool RunComparePanel::exportChart(const QString& file) const {
    const int tab = m_charts->currentIndex();
    QCustomPlot* plot = tab == 0 ? m_loss->plot() : tab == 1 ? m_pareto->plot() : m_history->plot();
    return exportPlot(plot, file, tr("GreenTrainer Workbench chart"));
}

} // namespace gt::widgets
