#include "widgets/panels/tensors_page.h"

#include "core/api/memory_policy.h"
#include "core/api/preflight.h"
#include "core/api/starter_recipe.h"
#include "core/green/budget.h"
#include "widgets/charts/tensor_heatmap.h"
#include "widgets/models/tensor_table_model.h"
#include "widgets/panels/plan_summary.h"
#include "widgets/panels/preflight_view.h"
#include "widgets/panels/probe_bar.h"
#include "widgets/panels/rho_control.h"
#include "widgets/panels/why_tensor_view.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace gt::widgets {

TensorsPage::TensorsPage(QWidget* parent)
    : WorkbenchPage(tr("Tensors"),
                    tr("Where the backward cost and the importance of the model sit, tensor by "
                       "tensor; drag rho to see what GreenTrainer would train."),
                    parent)
    , m_modelLabel(new QLabel(this))
    , m_rho(new RhoControl(this))
    , m_heatmap(new TensorHeatmap(this))
    , m_summary(new PlanSummary(this))
    , m_preflight(new PreflightView(this))
    , m_why(new WhyTensorView(this))
    , m_probe(new ProbeBar(this))
    , m_model(new TensorTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_planTimer(new QTimer(this))
    , m_preflightTimer(new QTimer(this))
    , m_whyTimer(new QTimer(this)) {
    setObjectName("TensorsPage");
    setEmptyText(tr("No model loaded.\nOpen a model directory or a bare config.json "
                    "(File › Open Model, Ctrl+O, or drop it on the window) to see its costs."));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TensorTableModel::SortRole);
    m_table->setObjectName("TensorTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TensorTableModel::Index, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_why);
    rightLayout->addWidget(m_preflight);
    rightLayout->addStretch(1);
    m_preflight->setToolTip(tr("A run of the plan above: the Train page's steps, threads, power "
                               "and grid, this page's batch and length; time from this "
                               "machine's GEMM rate, measured once"));
    // The summary, the explanation and the card can outgrow a short window: they scroll
    // (vertically only) rather than clip.
    m_side = new QScrollArea(this);
    m_side->setObjectName("TensorsSideScroll");
    m_side->setWidget(right);
    m_side->setWidgetResizable(true);
    m_side->setFrameShape(QFrame::NoFrame);
    m_side->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName("TensorsTopSplitter");
    top->addWidget(m_heatmap);
    top->addWidget(m_side);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName("TensorsSplitter");
    split->addWidget(top);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildControls());
    auto* probeRow = new QHBoxLayout;
    probeRow->addWidget(m_probe, 1);
    probeRow->addWidget(buildPinBar());
    layout->addLayout(probeRow);
    layout->addWidget(m_rho);
    layout->addWidget(split, 1);
    setContent(content);

    m_heatmap->setTooltipProvider([this](const std::vector<int>& t) { return tooltipFor(t); });
    connect(m_heatmap, &TensorHeatmap::cellClicked, this, &TensorsPage::selectTensorsInTable);
    connect(m_heatmap, &TensorHeatmap::cellMenuRequested, this, &TensorsPage::showPinMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TensorsPage::onTableSelectionChanged);
    // A slow selector (the paper's DP at high rho: tens of ms) would queue up slider moves;
    // then the moves waiting in the event queue collapse into one re-plan.
    m_planTimer->setSingleShot(true);
    m_planTimer->setInterval(0);
    connect(m_planTimer, &QTimer::timeout, this, &TensorsPage::refreshPlan);
    // The card reads the power table and the grid trace: once the slider rests, not per move.
    m_preflightTimer->setSingleShot(true);
    m_preflightTimer->setInterval(120);
    connect(m_preflightTimer, &QTimer::timeout, this, &TensorsPage::refreshPreflight);
    connect(this, &TensorsPage::planChanged, m_preflightTimer, qOverload<>(&QTimer::start));
    m_whyTimer->setSingleShot(true);
    m_whyTimer->setInterval(120);
    connect(m_whyTimer, &QTimer::timeout, this, &TensorsPage::refreshWhy);
    connect(this, &TensorsPage::planChanged, m_whyTimer, qOverload<>(&QTimer::start));
    connect(m_rho, &RhoControl::valueChanged, this, &TensorsPage::onRhoMoved);
    connect(m_probe, &ProbeBar::probed, this, &TensorsPage::onProbed);
}

void TensorsPage::setJobSource(std::function<api::TrainJob()> source) {
    m_jobSource = source;
    m_probe->setJobSource(std::move(source));
}

void TensorsPage::setGemmRate(int threads, double gflops) {
    m_gemmRates[threads] = gflops;
    refreshPreflight();
}

void TensorsPage::showGemmRateFailed(int threads, const QString& message) {
    m_gemmErrors[threads] = message;
    refreshPreflight();
}

void TensorsPage::showEvent(QShowEvent* event) {
    WorkbenchPage::showEvent(event);
    fitSideColumn(); // size hints of a page never shown are not final
    m_preflightTimer->start();
}

void TensorsPage::refreshPreflight() {
    m_preflightTimer->stop();
    if (!m_explorer) return;
    m_preflight->clear();
    if (m_plan.selected.empty()) {
        m_preflight->setNote(tr("No plan at this rho."));
        return;
    }
    api::TrainJob job;
    try {
        if (m_jobSource) job = m_jobSource();
    } catch (const std::exception& e) {
        m_preflight->setNote(tr("The Train page's form: %1").arg(e.what()));
        return;
    }
    const int threads = job.options.threads;
    const auto rate = m_gemmRates.find(threads);
    if (rate == m_gemmRates.end()) {
        if (const auto e = m_gemmErrors.find(threads); e != m_gemmErrors.end()) {
            m_preflight->setNote(tr("No GEMM rate to predict time from: %1").arg(e->second));
            return;
        }
        m_preflight->setNote(tr("Measuring this machine's GEMM rate…"));
        if (!m_gemmRequested[threads]) {
            m_gemmRequested[threads] = true;
            Q_EMIT gemmRateRequested(threads);
        }
        return;
    }
    api::PreflightInput in;
    in.config = m_explorer->config();
    in.catalogue = m_explorer->catalogue();
    in.shape = m_explorer->shape();
    in.plan = m_plan;
    in.steps = job.options.maxSteps > 0 ? job.options.maxSteps : api::StarterRecipe{}.steps;
    in.gemmGflops = rate->second;
    in.threads = threads;
    in.runtimeBytes = api::residentBytes(); // a GUI run trains in this process
    in.footprint = job.footprint;
    try {
        m_preflight->showCard(api::preflight(in));
    } catch (const std::exception& e) {
        m_preflight->setNote(tr("The Train page's energy and carbon: %1").arg(e.what()));
        return;
    }
    const QString at = threads == 1  ? tr("1 thread")
                       : threads > 1 ? tr("%1 threads").arg(threads)
                                     : tr("all cores");
    m_preflight->setNote(tr("%1 steps on %2 (Train page), batch %3 × %4 tokens, GEMM %5 GFLOP/s")
                             .arg(in.steps)
                             .arg(at)
                             .arg(in.shape.batch)
                             .arg(in.shape.seqLen)
                             .arg(rate->second, 0, 'f', 1));
}

void TensorsPage::onProbed(const api::ImportanceOutcome& outcome) {
    // The model may have changed while the probe ran: only matching names are applied.
    const auto& cat = m_explorer ? &m_explorer->catalogue() : nullptr;
    bool same = cat && outcome.names.size() == cat->size();
    for (size_t i = 0; same && i < outcome.names.size(); ++i)
        same = outcome.names[i] == (*cat)[i].name;
    if (!same) return;
    m_explorer->setImportance(outcome.importance, outcome.label());
    setMetric(Metric::Importance);
    refreshCosts();
}

QWidget* TensorsPage::buildPinBar() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_pinLabel = new QLabel(box);
    m_pinLabel->setObjectName("PinSummary");
    auto button = [&](const char* name, const QString& text, const QString& tip, auto act) {
        auto* b = new QPushButton(text, box);
        b->setObjectName(name);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, act);
        row->addWidget(b);
        // the same in the table's context menu
        auto* a = new QAction(text, m_table);
        connect(a, &QAction::triggered, this, act);
        m_table->addAction(a);
        return b;
    };
    row->addWidget(m_pinLabel);
    m_pinIn = button("PinIn", tr("Pin in"),
                     tr("Always train the tensors selected in the table (or right-click a "
                        "cell); the DP fills the rest of the budget around them"),
                     [this] { pinTensors(selectedTensors(), green::Pin::In); });
    m_pinOut = button("PinOut", tr("Pin out"), tr("Never train the selected tensors"),
                      [this] { pinTensors(selectedTensors(), green::Pin::Out); });
    m_unpin = button("Unpin", tr("Unpin"), tr("Let the DP decide the selected tensors again"),
                     [this] { pinTensors(selectedTensors(), green::Pin::Free); });
    m_clearPins =
        button("ClearPins", tr("Clear pins"), tr("Unpin every tensor"), [this] { clearPins(); });
    return box;
}

std::vector<int> TensorsPage::selectedTensors() const {
    std::vector<int> tensors;
    for (const QModelIndex& idx : m_table->selectionModel()->selectedRows())
        tensors.push_back(m_proxy->mapToSource(idx).row());
    std::sort(tensors.begin(), tensors.end());
    return tensors;
}

QPushButton* TensorsPage::pinButton(green::Pin pin) const {
    return pin == green::Pin::In ? m_pinIn : pin == green::Pin::Out ? m_pinOut : m_unpin;
}

void TensorsPage::pinTensors(const std::vector<int>& tensors, green::Pin pin) {
    if (!m_explorer || tensors.empty()) return;
    if (m_pins.state.empty()) m_pins.state.assign(m_explorer->catalogue().size(), green::Pin::Free);
    for (int t : tensors)
        if (t >= 0 && static_cast<size_t>(t) < m_pins.state.size()) m_pins.state[t] = pin;
    if (!m_pins.any()) m_pins = {};
    refreshPins();
}

void TensorsPage::clearPins() {
    if (!m_pins.any()) return;
    m_pins = {};
    refreshPins();
}

void TensorsPage::refreshPins() {
    const int in = m_pins.count(green::Pin::In), out = m_pins.count(green::Pin::Out);
    m_pinLabel->setText(m_pins.any() ? tr("%1 pinned in, %2 out").arg(in).arg(out) : QString());
    m_clearPins->setEnabled(m_pins.any());
    m_heatmap->setPins(m_pins);
    m_model->setPins(m_pins);
    refreshPlan();
    Q_EMIT pinsChanged();
}

std::vector<std::string> TensorsPage::pinPatterns(green::Pin pin) const {
    std::vector<std::string> out;
    for (size_t i = 0; i < m_pins.state.size() && m_explorer; ++i)
        if (m_pins.state[i] == pin)
            out.push_back(green::exactNamePattern(m_explorer->catalogue()[i].name));
    return out;
}

void TensorsPage::showPinMenu(const QList<int>& tensors, const QPoint& globalPos) {
    if (!m_explorer || tensors.isEmpty()) return;
    const auto& cat = m_explorer->catalogue();
    const auto& first = cat[static_cast<size_t>(tensors.front())];
    std::vector<int> cell(tensors.begin(), tensors.end()), block, role;
    for (size_t i = 0; i < cat.size(); ++i) {
        if (cat[i].block == first.block) block.push_back(static_cast<int>(i));
        if (cat[i].role == first.role) role.push_back(static_cast<int>(i));
    }
    const QString blockName =
        first.block < 0 ? tr("the tensors outside blocks") : tr("block %1").arg(first.block);
    const QString roleName = QString::fromStdString(model::roleName(first.role));
    QMenu menu(this);
    for (auto [what, set] : {std::pair{tr("this cell"), cell},
                             {blockName, block},
                             {tr("every %1").arg(roleName), role}}) {
        menu.addSection(what);
        menu.addAction(tr("Pin in"), this, [this, set] { pinTensors(set, green::Pin::In); });
        menu.addAction(tr("Pin out"), this, [this, set] { pinTensors(set, green::Pin::Out); });
        menu.addAction(tr("Unpin"), this, [this, set] { pinTensors(set, green::Pin::Free); });
    }
    menu.addSeparator();
    menu.addAction(tr("Clear all pins"), this, &TensorsPage::clearPins)->setEnabled(m_pins.any());
    menu.exec(globalPos);
}

QWidget* TensorsPage::buildControls() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_modelLabel->setObjectName("TensorsModelLabel");
    QFont bold = m_modelLabel->font();
    bold.setBold(true);
    m_modelLabel->setFont(bold);
    auto combo = [&](const char* name, const QString& tip, QStringList items) {
        auto* c = new QComboBox(box);
        c->setObjectName(name);
        c->addItems(items);
        c->setToolTip(tip);
        return c;
    };
    m_metric = combo("MetricCombo", tr("What the heatmap colours show"),
                     {tr("dW cost"), tr("dY cost"), tr("backward cost (dW + dY)"),
                      tr("forward cost"), tr("importance")});
    // The chain order is not a separate choice: each accounting is defined along one order
    // (green::chainOrder), and the other pairings mis-state what a plan costs.
    m_accounting = combo(
        "AccountingCombo",
        tr("exact: every matmul charged where backprop pays it, along the true "
           "execution order; paper: the released GreenTrainer code's rules, "
           "along the parameter registration order its code walks"),
        {tr("exact accounting (execution order)"), tr("paper accounting (registration order)")});
    m_selector = combo("SelectorCombo",
                       tr("exact: optimal and never over budget; paper: the paper's DP with its "
                          "quirks (1000 cost units, floor rounding)"),
                       {tr("exact DP"), tr("paper DP")});
    m_batch = new QSpinBox(box);
    m_batch->setObjectName("BatchSpin");
    m_batch->setRange(1, 4096);
    m_batch->setValue(4);
    m_batch->setPrefix(tr("batch "));
    m_seqLen = new QSpinBox(box);
    m_seqLen->setObjectName("SeqLenSpin");
    m_seqLen->setRange(1, 1 << 20);
    m_seqLen->setValue(512);
    m_seqLen->setPrefix(tr("length "));
    m_seqLen->setToolTip(tr("Padded tokens per sequence (prompt + target)"));
    row->addWidget(m_modelLabel, 1);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_metric, m_accounting, m_selector, m_batch, m_seqLen})
        row->addWidget(w);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &TensorsPage::refreshValues);
    connect(m_accounting, &QComboBox::currentIndexChanged, this, &TensorsPage::refreshCosts);
    connect(m_selector, &QComboBox::currentIndexChanged, this, &TensorsPage::refreshPlan);
    for (QSpinBox* s : {m_batch, m_seqLen})
        connect(s, &QSpinBox::editingFinished, this, [this] {
            if (!m_explorer) return;
            m_explorer->setShape({m_batch->value(), m_seqLen->value()});
            refreshCosts();
        });
    return box;
}

void TensorsPage::setExplorer(std::shared_ptr<api::CostExplorer> explorer) {
    m_probe->stop(); // a probe of the previous model is of no use any more
    m_explorer = std::move(explorer);
    const bool hadPins = m_pins.any();
    m_pins = {}; // pins name another model's tensors
    m_pinLabel->clear();
    m_clearPins->setEnabled(false);
    if (hadPins) Q_EMIT pinsChanged();
    showContent(m_explorer != nullptr);
    if (!m_explorer) return;
    m_modelLabel->setText(QString::fromStdString(m_explorer->displayName()));
    m_modelLabel->setToolTip(QString::fromStdString(m_explorer->path().string()));
    m_batch->setValue(static_cast<int>(m_explorer->shape().batch));
    m_seqLen->setValue(static_cast<int>(m_explorer->shape().seqLen));
    m_heatmap->setGrid(TensorGrid::build(m_explorer->catalogue()));
    refreshCosts();
}

void TensorsPage::setRho(double rho) {
    m_rho->setValue(rho);
    if (m_planTimer->isActive()) { // a programmatic change is planned at once
        m_planTimer->stop();
        refreshPlan();
    }
}

void TensorsPage::onRhoMoved() {
    if (m_lastPlanMs > m_coalesceAboveMs)
        m_planTimer->start();
    else
        refreshPlan();
}
double TensorsPage::rho() const {
    return m_rho->value();
}
void TensorsPage::setMetric(Metric m) {
    m_metric->setCurrentIndex(static_cast<int>(m));
}

green::Accounting TensorsPage::accounting() const {
    return m_accounting->currentIndex() == 1 ? green::Accounting::Paper : green::Accounting::Exact;
}

green::SelectorOptions TensorsPage::selectorOptions() const {
    green::SelectorOptions o;
    o.kind = m_selector->currentIndex() == 1 ? green::SelectorKind::PaperDp
                                             : green::SelectorKind::ExactDp;
    o.pins = m_pins;
    return o;
}

void TensorsPage::refreshCosts() {
    if (!m_explorer) return;
    m_model->setTensors(m_explorer->catalogue(), m_explorer->costs(accounting()),
                        m_explorer->importance());
    m_table->resizeColumnsToContents();
    refreshValues();
    refreshPlan();
}

void TensorsPage::refreshValues() {
    if (!m_explorer) return;
    const auto& costs = m_explorer->costs(accounting()).costs;
    const auto metric = static_cast<Metric>(m_metric->currentIndex());
    if (metric == Metric::Importance) {
        m_heatmap->setValues(
            m_explorer->importance(),
            tr("importance (%1)").arg(QString::fromStdString(m_explorer->importanceSource())),
            false);
        return;
    }
    std::vector<double> v(costs.size());
    for (size_t i = 0; i < costs.size(); ++i) {
        const auto& c = costs[i];
        const double macs = metric == Metric::Dw         ? c.dw
                            : metric == Metric::Dy       ? c.dy
                            : metric == Metric::Backward ? c.dw + c.dy
                                                         : c.forward;
        v[i] = 2.0 * macs / 1e9; // GFLOP
    }
    m_heatmap->setValues(v, m_metric->currentText() + tr(", GFLOP per step"), true);
}

void TensorsPage::refreshPlan() {
    if (!m_explorer) return;
    QElapsedTimer clock;
    clock.start();
    // measured when this function returns, whichever way it returns
    const auto measure = qScopeGuard([&] { m_lastPlanMs = clock.nsecsElapsed() / 1e6; });
    try {
        m_plan = m_explorer->plan(rho(), accounting(), selectorOptions());
    } catch (const green::InfeasibleRho& e) {
        showPlanError(QString::fromStdString(e.what()));
        return;
    } catch (const green::PinsExceedBudget& e) {
        showPlanError(QString::fromStdString(e.what()));
        return;
    } catch (const std::invalid_argument& e) { // pins with the paper's DP
        showPlanError(QString::fromStdString(e.what()));
        return;
    }
    m_heatmap->setSelection(m_plan.selected, m_plan.deepest);
    m_model->setSelection(m_plan.selected);
    const QString deepest =
        m_plan.deepest < 0 ? QString()
                           : QString::fromStdString(m_explorer->catalogue()[m_plan.deepest].name);
    m_summary->showPlan(m_plan, static_cast<int>(m_explorer->catalogue().size()), deepest,
                        QString::fromStdString(m_explorer->importanceSource()));
    fitSideColumn();
    Q_EMIT planChanged();
}

/// A scroll area hints no width of its own: it is kept as wide as its figures need, so that
/// it only ever scrolls vertically.
void TensorsPage::fitSideColumn() {
    const int want = std::max(m_summary->sizeHint().width(), m_preflight->sizeHint().width()) +
                     style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4;
    if (want > m_side->minimumWidth()) m_side->setMinimumWidth(want);
}

/// No plan at this rho (or with these pins): nothing drawn as trained, and why.
void TensorsPage::showPlanError(const QString& message) {
    m_plan = green::Plan{};
    m_heatmap->setSelection(std::vector<uint8_t>(m_explorer->catalogue().size(), 0), -1);
    m_model->setSelection(std::vector<uint8_t>(m_explorer->catalogue().size(), 0));
    m_summary->showError(message, m_explorer->headroom(rho(), accounting()));
    fitSideColumn();
    Q_EMIT planChanged();
}

void TensorsPage::selectTensorsInTable(const QList<int>& tensors) {
    QItemSelection sel;
    for (int t : tensors) {
        const QModelIndex src = m_model->index(t, 0);
        const QModelIndex idx = m_proxy->mapFromSource(src);
        sel.select(idx, idx.siblingAtColumn(TensorTableModel::ColumnCount - 1));
    }
    // Ctrl+click adds a cell to the selection, so that several cells can be pinned at once.
    const bool extend = QGuiApplication::keyboardModifiers() & Qt::ControlModifier;
    m_table->selectionModel()->select(sel, extend ? QItemSelectionModel::Select
                                                  : QItemSelectionModel::ClearAndSelect);
    if (!tensors.isEmpty())
        m_table->scrollTo(m_proxy->mapFromSource(m_model->index(tensors.front(), 0)));
}

void TensorsPage::onTableSelectionChanged() {
    std::vector<int> tensors;
    for (const QModelIndex& idx : m_table->selectionModel()->selectedRows())
        tensors.push_back(m_proxy->mapToSource(idx).row());
    m_heatmap->setHighlightedTensors(tensors);
    m_whyTimer->start();
}

void TensorsPage::refreshWhy() {
    m_whyTimer->stop();
    if (!m_explorer) return;
    const std::vector<int> tensors = selectedTensors();
    if (tensors.size() != 1) {
        m_why->showNote(tensors.empty() ? QString()
                                        : tr("%1 tensors selected: select one to see why it is "
                                             "trained or not.")
                                              .arg(tensors.size()));
        return;
    }
    if (m_plan.selected.empty()) {
        m_why->showNote(tr("No plan at this rho: nothing to explain."));
        return;
    }
    try {
        const auto e = green::explainTensor(
            m_explorer->catalogue(), m_explorer->costs(accounting()), m_explorer->importance(),
            m_plan, selectorOptions(), tensors.front());
        m_why->showExplanation(e, m_explorer->catalogue(), m_plan);
    } catch (const std::exception& e) {
        m_why->showNote(QString::fromStdString(e.what()));
    }
}

QString TensorsPage::tooltipFor(const std::vector<int>& tensors) const {
    if (!m_explorer) return {};
    const auto& cat = m_explorer->catalogue();
    const auto& costs = m_explorer->costs(accounting()).costs;
    QString html;
    for (int t : tensors) {
        const auto& info = cat[t];
        const QString shape = TensorTableModel::shapeText(info.shape);
        const bool trained = !m_plan.selected.empty() && m_plan.selected[t];
        html += tr("<b>%1</b> [%2]<br>forward %3 · dW %4 · dY %5 GFLOP<br>importance %6 · %7<br>")
                    .arg(QString::fromStdString(info.name), shape)
                    .arg(2 * costs[t].forward / 1e9, 0, 'f', 3)
                    .arg(2 * costs[t].dw / 1e9, 0, 'f', 3)
                    .arg(2 * costs[t].dy / 1e9, 0, 'f', 3)
                    .arg(m_explorer->importance()[t], 0, 'g', 4)
                    .arg(trained ? tr("<span style='color:#2e9e4f'>trained</span>") : tr("frozen"));
        if (m_plan.selected.empty()) continue;
        // what it costs this plan: cheap (no re-planning), so it can follow the pointer
        const auto e =
            green::explainTensor(cat, m_explorer->costs(accounting()), m_explorer->importance(),
                                 m_plan, selectorOptions(), t, false);
        html += tr("%1 %2 GFLOP (%3% of a full step) · %4 importance per GFLOP<br>")
                    .arg(e.selected ? tr("costs the plan") : tr("would add"))
                    .arg(2 * e.addedMacs() / 1e9, 0, 'f', 3)
                    .arg(100 * e.shareOfStep, 0, 'f', 2)
                    .arg(e.valuePerGMac / 2, 0, 'g', 3);
    }
    if (!html.isEmpty() && !m_plan.selected.empty())
        html += tr("<i>Click to see why, and what would change it.</i>");
    return html;
}

} // namespace gt::widgets
