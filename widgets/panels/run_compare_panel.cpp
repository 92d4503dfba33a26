#include "widgets/panels/run_compare_panel.h"

#include "core/store/cost_share.h"
#include "core/store/parallel_axes.h"
#include "core/store/run_curves.h"
#include "core/store/run_export.h"
#include "core/store/run_queries.h"
#include "core/store/seed_groups.h"
#include "widgets/charts/loss_overlay_chart.h"
#include "widgets/charts/parallel_coordinates.h"
#include "widgets/charts/pareto_chart.h"
#include "widgets/charts/plan_strip.h"
#include "widgets/charts/plot_export.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace gt::widgets {

RunComparePanel::RunComparePanel(QWidget* parent)
    : QWidget(parent)
    , m_loss(new LossOverlayChart(this))
    , m_lossAxis(new QComboBox(this))
    , m_lossSeries(new QComboBox(this))
    , m_smoothing(new QDoubleSpinBox(this))
    , m_groupSeeds(new QCheckBox(tr("Group seeds"), this))
    , m_groups(new QTableWidget(this))
    , m_parallel(new ParallelCoordinatesChart(this))
    , m_parallelColour(new QComboBox(this))
    , m_historyMode(new QComboBox(this))
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
    m_charts->addTab(buildLossTab(), tr("Loss curves"));
    m_charts->addTab(buildParetoTab(), tr("ROUGE vs cost"));
    m_charts->addTab(buildHistoryTab(), tr("Selection over time"));
    m_charts->addTab(buildParallelTab(), tr("Parallel coordinates"));
    m_groups->setObjectName("SeedGroups");
    m_groups->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_groups->verticalHeader()->hide();
    m_groups->setToolTip(tr("The selected runs grouped by everything but their seed: each "
                            "outcome as mean ± 95% Student-t interval over the group's seeds"));
    m_charts->addTab(m_groups, tr("Seed groups"));
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

QWidget* RunComparePanel::buildLossTab() {
    auto* tab = new QWidget(this);
    auto* col = new QVBoxLayout(tab);
    col->setContentsMargins(0, 4, 0, 0);
    auto* row = new QHBoxLayout;
    m_lossAxis->setObjectName("LossXAxis");
    for (auto a : {store::CurveAxis::Step, store::CurveAxis::Epoch, store::CurveAxis::WallSeconds,
                   store::CurveAxis::CumulativeFlops, store::CurveAxis::Energy})
        m_lossAxis->addItem(tr("x = %1").arg(QString::fromStdString(store::curveAxisLabel(a))));
    m_lossAxis->setToolTip(tr("Line runs of different lengths or speeds up by epoch, wall time, "
                              "the FLOPs or the energy they spent"));
    m_lossSeries->setObjectName("LossSeries");
    m_lossSeries->addItem(tr("y = training loss"), "train/loss");
    m_lossSeries->addItem(tr("y = planned share of a full step"), "planned_share");
    m_lossSeries->addItem(tr("y = step time (ms)"), "step_ms");
    m_lossSeries->setToolTip(tr("The planned cost per step changes over a run where the method "
                                "re-plans (GreenTrainer rounds, LISA and BAdam periods, "
                                "FreezeOut's freezes); the step time shows what it measured"));
    m_smoothing->setObjectName("LossSmoothing");
    m_smoothing->setRange(0.0, 0.99);
    m_smoothing->setSingleStep(0.05);
    m_smoothing->setDecimals(2);
    m_smoothing->setPrefix(tr("smoothing "));
    m_smoothing->setToolTip(tr("Exponential moving average weight, bias-corrected so that the "
                               "start is not pulled towards zero (0: raw curves)"));
    m_groupSeeds->setObjectName("GroupSeeds");
    m_groupSeeds->setToolTip(tr("Runs that differ only by seed: one mean curve with its 95% "
                                "t-interval band over the seeds, on the span all of them cover"));
    row->addWidget(m_lossSeries);
    row->addWidget(m_lossAxis);
    row->addWidget(m_smoothing);
    row->addWidget(m_groupSeeds);
    row->addStretch(1);
    col->addLayout(row);
    col->addWidget(m_loss, 1);
    connect(m_lossAxis, &QComboBox::currentIndexChanged, this, &RunComparePanel::redrawLoss);
    connect(m_lossSeries, &QComboBox::currentIndexChanged, this, &RunComparePanel::redrawLoss);
    connect(m_smoothing, &QDoubleSpinBox::valueChanged, this, &RunComparePanel::redrawLoss);
    connect(m_groupSeeds, &QCheckBox::toggled, this, &RunComparePanel::redrawLoss);
    return tab;
}

QWidget* RunComparePanel::buildHistoryTab() {
    auto* tab = new QWidget(this);
    auto* col = new QVBoxLayout(tab);
    col->setContentsMargins(0, 4, 0, 0);
    m_historyMode->setObjectName("HistoryMode");
    m_historyMode->addItem(tr("trained in each round"));
    m_historyMode->addItem(tr("importance in each round (drift)"));
    m_historyMode->setToolTip(tr("Importance: each tensor's probed importance per round, log "
                                 "scale relative to the round's most important tensor; white "
                                 "dots mark the trained tensors"));
    connect(m_historyMode, &QComboBox::currentIndexChanged, this, &RunComparePanel::redrawHistory);
    m_history->setToolTip(tr("What the first selected run trained in each selection round"));
    col->addWidget(m_historyMode, 0, Qt::AlignLeft);
    col->addWidget(m_history, 1);
    return tab;
}

QWidget* RunComparePanel::buildParallelTab() {
    auto* tab = new QWidget(this);
    auto* col = new QVBoxLayout(tab);
    col->setContentsMargins(0, 4, 0, 0);
    auto* row = new QHBoxLayout;
    m_parallelColour->setObjectName("ParallelColour");
    m_parallelColour->setToolTip(tr("The outcome that colours the lines"));
    auto* hint = new QLabel(tr("drag along an axis to filter the table; click it to clear"), tab);
    hint->setEnabled(false);
    row->addWidget(m_parallelColour);
    row->addWidget(hint, 1);
    col->addLayout(row);
    col->addWidget(m_parallel, 1);
    connect(m_parallelColour, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_parallel->setColourAxis(m_parallelColour->itemData(i).toInt()); });
    connect(m_parallel, &ParallelCoordinatesChart::brushChanged, this,
            &RunComparePanel::brushChanged);
    return tab;
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
    m_store = store;
    m_ids = store ? ids : std::vector<int64_t>{};
    redrawLoss();
    showDiff(store, ids);
    showGroups();
}

namespace {

/// "12 gt-0.5", or the id alone when the run is gone.
QString runLabel(const store::RunQueries& store, int64_t id) {
    const auto run = store.run(id);
    return QStringLiteral("%1 %2").arg(id).arg(run ? QString::fromStdString(run->name) : QString());
}

/// What tells a seed group apart, short: "greentrainer, rho 0.5" (empty values left out).
QString groupLabel(const store::SeedGroup& g) {
    QStringList parts;
    for (const auto& [key, value] : g.settings) {
        if (value.empty() || parts.size() == 3) continue;
        const QString v = QString::fromStdString(value);
        parts << (key == "run.method"
                      ? v
                      : QString::fromStdString(key).remove(QRegularExpression("^run\\.")) + ' ' +
                            v);
    }
    return parts.isEmpty() ? QObject::tr("runs") : parts.join(", ");
}

} // namespace

/// A run's chosen series (the loss by default) against the chosen x-axis, smoothed as asked.
store::Curve RunComparePanel::lossCurve(int64_t id) const {
    store::Curve c =
        store::runCurve(*m_store, id, static_cast<store::CurveAxis>(m_lossAxis->currentIndex()),
                        m_lossSeries->currentData().toString().toStdString());
    if (m_smoothing->value() > 0) c.y = store::emaSmooth(c.y, m_smoothing->value());
    return c;
}

LossCurve RunComparePanel::runLossCurve(int64_t id) const {
    const store::Curve c = lossCurve(id);
    LossCurve l;
    l.name = runLabel(*m_store, id);
    l.steps = QVector<double>(c.x.begin(), c.x.end());
    l.values = QVector<double>(c.y.begin(), c.y.end());
    return l;
}

/// A seed group's mean curve with its band (a group of one is its run's curve).
LossCurve RunComparePanel::groupLossCurve(const store::SeedGroup& g) const {
    if (g.runIds.size() < 2) return runLossCurve(g.runIds.front());
    std::vector<store::Curve> members;
    for (int64_t id : g.runIds)
        members.push_back(lossCurve(id));
    const store::BandCurve band = store::meanBand(members, 300);
    LossCurve l;
    l.name = tr("%1 (mean ± 95% CI, n=%2)").arg(groupLabel(g)).arg(g.runIds.size());
    l.steps = QVector<double>(band.x.begin(), band.x.end());
    l.values = QVector<double>(band.mean.begin(), band.mean.end());
    l.low = QVector<double>(band.low.begin(), band.low.end());
    l.high = QVector<double>(band.high.begin(), band.high.end());
    return l;
}

void RunComparePanel::redrawLoss() {
    std::vector<LossCurve> curves;
    try {
        if (m_store && m_groupSeeds->isChecked()) {
            for (const auto& g : store::groupBySeed(*m_store, m_ids))
                curves.push_back(groupLossCurve(g));
        } else if (m_store) {
            for (int64_t id : m_ids)
                curves.push_back(runLossCurve(id));
        }
    } catch (const std::exception&) { // a run deleted under us: the next refresh redraws
        curves.clear();
    }
    const auto axis = static_cast<store::CurveAxis>(m_lossAxis->currentIndex());
    m_loss->setCurves(curves, QString::fromStdString(store::curveAxisLabel(axis)),
                      m_lossSeries->currentText().mid(4));
}

/// The seed groups of the selected runs: one column per group, outcomes as mean ± interval.
void RunComparePanel::showGroups() {
    m_groups->clear();
    m_groups->setRowCount(0);
    std::vector<store::SeedGroup> groups;
    try {
        if (m_store && !m_ids.empty()) groups = store::groupBySeed(*m_store, m_ids);
    } catch (const std::exception&) {
        groups.clear();
    }
    if (groups.empty()) {
        m_groups->setColumnCount(1);
        m_groups->setHorizontalHeaderLabels({tr("select runs to group them by seed")});
        return;
    }
    QStringList headers{tr("outcome")};
    for (size_t g = 0; g < groups.size(); ++g)
        headers << tr("group %1").arg(g + 1);
    m_groups->setColumnCount(static_cast<int>(groups.size()) + 1);
    m_groups->setHorizontalHeaderLabels(headers);
    auto addRow = [&](const QString& label, auto cell) {
        const int r = m_groups->rowCount();
        m_groups->insertRow(r);
        m_groups->setItem(r, 0, new QTableWidgetItem(label));
        for (size_t g = 0; g < groups.size(); ++g)
            m_groups->setItem(r, static_cast<int>(g) + 1, new QTableWidgetItem(cell(g)));
    };
    addRow(tr("runs"), [&](size_t g) {
        QStringList ids;
        for (int64_t id : groups[g].runIds)
            ids << QString::number(id);
        return ids.join(", ");
    });
    addRow(tr("seeds"), [&](size_t g) {
        QStringList seeds;
        for (const auto& s : groups[g].seeds)
            seeds << QString::fromStdString(s);
        return seeds.join(", ");
    });
    for (size_t k = 0; k < groups.front().settings.size(); ++k)
        addRow(QString::fromStdString(groups.front().settings[k].first),
               [&](size_t g) { return QString::fromStdString(groups[g].settings[k].second); });
    std::vector<std::vector<std::optional<store::MeanInterval>>> stats;
    for (const auto& g : groups)
        stats.push_back(store::groupOutcome(*m_store, g));
    for (size_t i = 0; i < store::outcomeFields().size(); ++i) {
        const int decimals = store::outcomeFields()[i].decimals;
        addRow(QString::fromUtf8(store::outcomeFields()[i].label), [&](size_t g) {
            const auto& m = stats[g][i];
            if (!m) return QStringLiteral("–");
            QString t = QString::number(m->mean, 'f', decimals);
            if (m->halfWidth)
                t += QStringLiteral(" ± ") + QString::number(*m->halfWidth, 'f', decimals);
            return t + QStringLiteral(" (n=%1)").arg(m->n);
        });
    }
    m_groups->resizeColumnsToContents();
}

void RunComparePanel::setParallelRuns(const store::RunQueries* store,
                                      const std::vector<int64_t>& ids) {
    std::vector<store::ParallelAxis> axes;
    std::vector<QString> names;
    try {
        if (store && !ids.empty()) axes = store::parallelAxes(*store, ids);
        for (int64_t id : ids)
            names.push_back(runLabel(*store, id));
    } catch (const std::exception&) {
        axes.clear();
    }
    m_parallel->setData(axes, store ? ids : std::vector<int64_t>{}, names);
    QSignalBlocker quiet(m_parallelColour);
    m_parallelColour->clear();
    m_parallelColour->addItem(tr("one colour"), QString());
    for (const auto& a : axes)
        if (a.outcome)
            m_parallelColour->addItem(tr("colour by %1").arg(QString::fromStdString(a.label)),
                                      QString::fromStdString(a.key));
    // the outcome the user chose last (ROUGE-1 until they choose), where these runs have it
    const int pick = m_parallelColour->findData(m_colourKey);
    m_parallelColour->setCurrentIndex(std::max(0, pick));
    colourParallelBy(m_parallelColour->currentData().toString());
}

void RunComparePanel::colourParallelBy(const QString& key) {
    int axis = -1;
    for (size_t a = 0; a < m_parallel->axes().size(); ++a)
        if (QString::fromStdString(m_parallel->axes()[a].key) == key) axis = static_cast<int>(a);
    m_parallel->setColourAxis(axis);
}

std::optional<std::vector<int64_t>> RunComparePanel::brushedRuns() const {
    if (!m_parallel->anyBrush()) return std::nullopt;
    return m_parallel->passingRuns();
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
    m_store = store;
    m_historyRun = store ? id : 0;
    redrawHistory();
}

void RunComparePanel::redrawHistory() {
    const bool importance = m_historyMode->currentIndex() == 1;
    std::vector<PlanStrip::Round> rounds;
    std::vector<QString> names;
    const QString what =
        importance ? tr("importance, log scale; dots: trained") : tr("green: trained");
    QString title = tr("selection round (%1; tensor 0 = input side)").arg(what);
    if (m_store && m_historyRun > 0) {
        const int64_t id = m_historyRun;
        if (const auto run = m_store->run(id))
            title = tr("selection rounds of run %1 %2 (%3; tensor 0 = input side)")
                        .arg(id)
                        .arg(QString::fromStdString(run->name), what);
        for (int round : m_store->snapshotRounds(id)) {
            const auto rows = m_store->tensorSnapshots(id, round);
            PlanStrip::Round r;
            r.step = m_store->snapshotStep(id, round);
            bool haveImportance = true;
            for (const auto& t : rows)
                haveImportance &= t.importance.has_value();
            for (const auto& t : rows) {
                r.selected.push_back(t.selected ? 1 : 0);
                if (haveImportance) r.importance.push_back(*t.importance);
                if (names.size() < rows.size()) names.push_back(QString::fromStdString(t.tensor));
            }
            rounds.push_back(std::move(r));
        }
    }
    m_history->plot()->xAxis->setLabel(title);
    m_history->setTensorNames(std::move(names));
    m_history->setMode(importance ? PlanStrip::Mode::Importance : PlanStrip::Mode::Selection);
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
    if (tab == ParallelTab) return m_parallel->exportTo(file);
    if (tab == GroupsTab) return false; // a table: Export Table writes the runs
    QCustomPlot* plot = tab == LossTab     ? m_loss->plot()
                        : tab == ParetoTab ? m_pareto->plot()
                                           : m_history->plot();
    return exportPlot(plot, file, tr("GreenTrainer Workbench chart"));
}

} // namespace gt::widgets
