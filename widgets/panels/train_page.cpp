#include "widgets/panels/train_page.h"

#include "core/api/starter_recipe.h"
#include "widgets/charts/training_charts.h"
#include "widgets/panels/preflight_view.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

#include <stdexcept>
#include <thread>

namespace gt::widgets {
namespace {

QSpinBox* spin(int lo, int hi, int value, const QString& tip, const QString& special = {}) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    s->setAccelerated(true);
    if (!special.isEmpty()) s->setSpecialValueText(special);
    return s;
}

/// A non-negative figure whose 0 means "not set" (`unset` shown then).
QDoubleSpinBox* limit(const char* name, double max, int decimals, const QString& suffix,
                      const QString& unset, const QString& tip) {
    auto* s = new QDoubleSpinBox;
    s->setObjectName(name);
    s->setRange(0, max);
    s->setDecimals(decimals);
    s->setSuffix(suffix);
    s->setSpecialValueText(unset);
    s->setToolTip(tip);
    s->setAccelerated(true);
    return s;
}

QString hms(double seconds) {
    return QTime(0, 0).addSecs(static_cast<int>(seconds + 0.5)).toString("h:mm:ss");
}

} // namespace

TrainPage::TrainPage(QWidget* parent)
    : WorkbenchPage(
          tr("Train"),
          tr("Fine-tune with GreenTrainer(rho) or a baseline (full FT, top-k blocks, LoRA, "
             "prefix tuning, LISA, BAdam, FreezeOut) and watch loss, ROUGE and FLOPs "
             "live."),
          parent)
    , m_charts(new TrainingCharts(this))
    , m_preflight(new PreflightView(this))
    , m_progress(new QProgressBar(this))
    , m_log(new QPlainTextEdit(this)) {
    setObjectName("TrainPage");
    setEmptyText(tr("Nothing to train yet.\nOpen a model directory with weights first."));
    m_progress->setObjectName("TrainProgress");
    m_progress->setFormat(tr("idle"));
    m_progress->setValue(0);
    m_log->setObjectName("TrainLog");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("The run's log appears here."));
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_preflight);
    right->addWidget(m_charts);
    right->addWidget(m_log);
    right->setStretchFactor(1, 5);
    right->setStretchFactor(2, 1);
    right->setCollapsible(0, false);
    m_preflight->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_preflight->setToolTip(tr("Predicted when the run makes its first plan, then measured over "
                               "its first steps after the warm-up step."));
    right->setSizes({90, 560, 110});
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(buildForm());
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The form fits the column's width (combos shrink to it); only the height scrolls.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formScroll = scroll;
    // A wheel turned over the form scrolls it; it changes a field only once that has focus
    // (clicked or tabbed to), so scrolling past Batch size does not set it to 1.
    for (QWidget* w : scroll->widget()->findChildren<QWidget*>())
        if (qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QComboBox*>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    for (QComboBox* c : {m_dataset, m_method, m_schedule}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }
    // The run's buttons and progress stay in view below the form, however far it scrolls.
    auto* left = new QWidget(this);
    left->setMinimumWidth(300);
    left->setMaximumWidth(360);
    auto* leftCol = new QVBoxLayout(left);
    leftCol->setContentsMargins(0, 0, 0, 0);
    leftCol->addWidget(scroll, 1);
    leftCol->addWidget(buildRunControls());
    auto* content = new QWidget(this);
    auto* row = new QHBoxLayout(content);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(left);
    row->addWidget(right, 1);
    setContent(content);

    showPins();
    updateEnabled();
}

TrainPage::~TrainPage() = default;

bool TrainPage::eventFilter(QObject* watched, QEvent* event) {
    auto* w = qobject_cast<QWidget*>(watched);
    if (event->type() == QEvent::Wheel && w && !w->hasFocus()) {
        QCoreApplication::sendEvent(m_formScroll->viewport(), event);
        return true;
    }
    return WorkbenchPage::eventFilter(watched, event);
}

void TrainPage::showPlanRound(const api::PlanRound& r) {
    m_charts->addPlanRound(r);
    int n = 0;
    for (auto s : r.selected)
        n += s;
    appendLog(tr("selection round %1 at step %2: trains %3 of %4 tensors, planned %5% of "
                 "full fine-tuning")
                  .arg(r.round)
                  .arg(r.step)
                  .arg(n)
                  .arg(r.selected.size())
                  .arg(100 * r.share, 0, 'f', 1));
}

void TrainPage::showEvaluation(const api::EvalPoint& e) {
    m_charts->addEvaluation(e);
    appendLog(tr("validation at step %1: loss %2, ROUGE-1/2/L %3 / %4 / %5")
                  .arg(e.step)
                  .arg(e.loss, 0, 'f', 4)
                  .arg(e.rouge1, 0, 'f', 2)
                  .arg(e.rouge2, 0, 'f', 2)
                  .arg(e.rougeL, 0, 'f', 2));
}

QWidget* TrainPage::buildForm() {
    auto* form = new QWidget;
    auto* col = new QVBoxLayout(form);
    col->setContentsMargins(0, 0, 8, 0);
    m_modelLabel = new QLabel(tr("No model"), form);
    m_modelLabel->setObjectName("TrainModel");
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    col->addWidget(m_modelLabel);

    auto* data = new QGroupBox(tr("Data"), form);
    auto* df = new QFormLayout(data);
    m_dataset = new QComboBox(data);
    m_dataset->setObjectName("DatasetKind");
    m_dataset->addItem(tr("Debian descriptions (built-in)"), "debian");
    m_dataset->addItem(tr("SciTLDR folder"), "scitldr");
    m_dataset->addItem(tr("DialogSum folder"), "dialogsum");
    m_dataset->addItem(tr("JSONL/CSV file (source, target)"), "file");
    m_dataPath = new QLineEdit(data);
    m_dataPath->setObjectName("DatasetPath");
    m_dataPath->setPlaceholderText(tr("built-in"));
    auto* browse = new QToolButton(data);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the dataset folder or file"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString kind = m_dataset->currentData().toString();
        const QString p = kind == "file"
                              ? QFileDialog::getOpenFileName(this, tr("Dataset file"), {},
                                                             tr("Datasets (*.jsonl *.json *.csv "
                                                                "*.tsv *.gz)"))
                              : QFileDialog::getExistingDirectory(this, tr("Dataset folder"));
        if (!p.isEmpty()) m_dataPath->setText(p);
    });
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_dataPath, 1);
    pathRow->addWidget(browse);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        const bool builtin = m_dataset->currentData().toString() == "debian";
        m_dataPath->setEnabled(!builtin);
        m_dataPath->setPlaceholderText(builtin ? tr("built-in") : tr("path"));
    });
    m_dataPath->setEnabled(false);
    const api::StarterRecipe recipe; // the defaults `gt demo` runs with
    m_limit = spin(0, 10'000'000, static_cast<int>(recipe.trainExamples),
                   tr("Train on the first N pairs (0 = all)"), tr("all"));
    m_evalExamples = spin(0, 100000, static_cast<int>(recipe.evalExamples),
                          tr("Validation pairs scored (generation + ROUGE)"), tr("none"));
    df->addRow(tr("Dataset"), m_dataset);
    df->addRow(tr("Path"), pathRow);
    df->addRow(tr("Train pairs"), m_limit);
    df->addRow(tr("Validation pairs"), m_evalExamples);
    col->addWidget(data);

    auto* method = new QGroupBox(tr("Method"), form);
    auto* mf = new QFormLayout(method);
    m_method = new QComboBox(method);
    m_method->setObjectName("Method");
    m_method->addItem(tr("GreenTrainer (rho)"), "greentrainer");
    m_method->addItem(tr("Full fine-tuning"), "full");
    m_method->addItem(tr("LoRA"), "lora");
    m_method->addItem(tr("Top-k blocks"), "top-k");
    m_method->addItem(tr("Prefix tuning"), "prefix");
    m_method->addItem(tr("LISA (sampled blocks)"), "lisa");
    m_method->addItem(tr("BAdam (one block at a time)"), "badam");
    m_method->addItem(tr("FreezeOut (progressive freezing)"), "freezeout");
    m_rho = new QDoubleSpinBox(method);
    m_rho->setRange(0.05, 1.0);
    m_rho->setSingleStep(0.05);
    m_rho->setValue(recipe.rho);
    m_rho->setToolTip(tr("FLOPs objective: one step costs at most rho x full fine-tuning"));
    m_k = spin(1, 1000, 2, tr("Train the last k transformer blocks"));
    m_rank = spin(1, 1024, 8, tr("LoRA rank r (alpha 32, dropout 0.1, q/v projections)"));
    mf->addRow(tr("Method"), m_method);
    mf->addRow(tr("rho"), m_rho);
    const train::TrainOptions defaults;
    m_prefixTokens = spin(1, 4096, defaults.prefixTokens,
                          tr("Virtual tokens whose keys and values enter every layer (peft's "
                             "num_virtual_tokens), trained through a tanh MLP"));
    m_lisaLayers = spin(1, 1000, defaults.lisaLayers,
                        tr("Transformer blocks drawn at random each period (gamma); the "
                           "embeddings and the head always train"));
    m_lisaInterval = spin(1, 1000000, static_cast<int>(defaults.lisaInterval),
                          tr("Steps before LISA draws new blocks (K)"));
    m_badamInterval = spin(1, 1000000, static_cast<int>(defaults.badamInterval),
                           tr("Steps before BAdam moves to the next block (K); the block it "
                              "leaves loses its Adam state"));
    m_badamOrder = new QComboBox(method);
    m_badamOrder->setObjectName("BadamOrder");
    m_badamOrder->addItem(tr("random (reshuffled each cycle)"), "random");
    m_badamOrder->addItem(tr("ascending (input to output)"), "ascending");
    m_badamOrder->addItem(tr("descending (output to input)"), "descending");
    m_freezeStart = new QDoubleSpinBox(method);
    m_freezeStart->setObjectName("FreezeStart");
    m_freezeStart->setRange(0.0, 1.0);
    m_freezeStart->setSingleStep(0.05);
    m_freezeStart->setValue(defaults.freezeStart);
    m_freezeStart->setToolTip(tr("Share of the steps after which block 0 freezes; block i "
                                 "freezes at t0 + (1 - t0) i / blocks"));
    m_prefixTokens->setObjectName("PrefixTokens");
    m_lisaLayers->setObjectName("LisaLayers");
    m_lisaInterval->setObjectName("LisaInterval");
    m_badamInterval->setObjectName("BadamInterval");
    // Each method's own settings on a page of their own, the page of the chosen method shown
    // (one row, not a column of disabled fields).
    m_methodSettings = new QStackedWidget(method);
    m_methodSettings->setObjectName("MethodSettings");
    const auto page = [&](const QString& key, std::vector<std::pair<QString, QWidget*>> rows) {
        auto* w = new QWidget(m_methodSettings);
        auto* f = new QFormLayout(w);
        f->setContentsMargins(0, 0, 0, 0);
        if (rows.empty()) f->addRow(new QLabel(tr("no settings of its own"), w));
        for (const auto& [label, field] : rows)
            f->addRow(label, field);
        m_settingsPage[key] = m_methodSettings->addWidget(w);
    };
    page("greentrainer", {});
    page("full", {});
    page("lora", {{tr("LoRA rank"), m_rank}});
    page("top-k", {{tr("Blocks k"), m_k}});
    page("prefix", {{tr("Virtual tokens"), m_prefixTokens}});
    page("lisa", {{tr("Sampled blocks"), m_lisaLayers}, {tr("Draw every"), m_lisaInterval}});
    page("badam", {{tr("Switch every"), m_badamInterval}, {tr("Block order"), m_badamOrder}});
    page("freezeout", {{tr("Freeze from"), m_freezeStart}});
    mf->addRow(tr("Settings"), m_methodSettings);
    m_pinLabel = new QLabel(method);
    m_pinLabel->setObjectName("TrainPins");
    m_pinLabel->setWordWrap(true);
    m_pinLabel->setToolTip(tr("Pinned on the Tensors page (Pin in, Pin out): a GreenTrainer run "
                              "trains the pinned-in tensors at every round, never the pinned-out "
                              "ones, and stores the pins with the run"));
    mf->addRow(tr("Pins"), m_pinLabel);
    connect(m_method, &QComboBox::currentIndexChanged, this, &TrainPage::updateEnabled);
    col->addWidget(method);

    auto* hyper = new QGroupBox(tr("Hyperparameters"), form);
    auto* hf = new QFormLayout(hyper);
    m_lr = new QDoubleSpinBox(hyper);
    m_lr->setDecimals(6);
    m_lr->setRange(1e-6, 1.0);
    m_lr->setSingleStep(1e-4);
    m_lr->setValue(recipe.learningRate);
    m_lr->setToolTip(tr("Peak learning rate, linear decay to 0 (the paper: 2e-5 on OPT-2.7B)"));
    m_batch = spin(1, 4096, static_cast<int>(recipe.batchSize), tr("Sequences per step"));
    m_seqLen = spin(16, 65536, static_cast<int>(recipe.seqLen),
                    tr("Prompt + summary tokens (sources are cut to fit)"));
    m_steps = spin(1, 10'000'000, static_cast<int>(recipe.steps), tr("Optimizer steps"));
    m_evalEvery = spin(0, 10'000'000, 50, tr("Steps between validation passes (0 = at the end)"),
                       tr("at end"));
    m_threads =
        spin(0, 1024, std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1),
             tr("LibTorch threads; one core is left to the window by default"), tr("all"));
    hf->addRow(tr("Learning rate"), m_lr);
    hf->addRow(tr("Batch size"), m_batch);
    hf->addRow(tr("Length"), m_seqLen);
    hf->addRow(tr("Steps"), m_steps);
    hf->addRow(tr("Validate every"), m_evalEvery);
    m_checkpointMinutes = new QDoubleSpinBox(hyper);
    m_checkpointMinutes->setObjectName("CheckpointMinutes");
    m_checkpointMinutes->setRange(0, 1440);
    m_checkpointMinutes->setDecimals(1);
    m_checkpointMinutes->setSuffix(tr(" min"));
    m_checkpointMinutes->setSpecialValueText(tr("no timer"));
    m_checkpointMinutes->setValue(api::TrainJob{}.checkpointMinutes);
    m_checkpointMinutes->setToolTip(
        tr("Training minutes between checkpoints; one is also written after every selection "
           "round and on Pause and Stop, so a crash loses at most this much (Runs page: "
           "Resume)"));
    hf->addRow(tr("Threads"), m_threads);
    hf->addRow(tr("Checkpoint every"), m_checkpointMinutes);
    col->addWidget(hyper);
    col->addWidget(buildFootprintGroup(form));
    col->addStretch(1);
    return form;
}

QWidget* TrainPage::buildRunControls() {
    auto* form = new QWidget;
    auto* col = new QVBoxLayout(form);
    col->setContentsMargins(0, 4, 8, 0);
    m_start = new QPushButton(tr("&Start"), form);
    m_start->setObjectName("StartTraining");
    m_start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_start->setToolTip(tr("Start training (Ctrl+Enter)"));
    m_pause = new QPushButton(tr("&Pause"), form);
    m_pause->setObjectName("PauseTraining");
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pause->setToolTip(tr("Hold the run after the current step, keeping it in memory; press "
                           "again to continue (Ctrl+P)"));
    connect(m_pause, &QPushButton::toggled, this, &TrainPage::setPaused);
    m_stop = new QPushButton(tr("S&top"), form);
    m_stop->setObjectName("StopTraining");
    m_stop->setToolTip(tr("Stop after the current step; a checkpoint is kept for Resume"));
    m_resume = new QPushButton(tr("&Resume"), form);
    m_resume->setObjectName("ResumeTraining");
    m_resume->setToolTip(tr("Continue the stopped run from its checkpoint"));
    connect(m_start, &QPushButton::clicked, this, &TrainPage::startTraining);
    connect(m_stop, &QPushButton::clicked, this, &TrainPage::stopTraining);
    connect(m_resume, &QPushButton::clicked, this, &TrainPage::resumeTraining);
    auto* buttons = new QGridLayout; // two by two: four buttons do not fit the column's width
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_stop, 1, 0);
    buttons->addWidget(m_resume, 1, 1);
    col->addLayout(buttons);
    col->addWidget(m_progress);
    m_status = new QLabel(form);
    m_status->setObjectName("TrainStatus");
    m_status->setWordWrap(true);
    col->addWidget(m_status);
    return form;
}

QWidget* TrainPage::buildFootprintGroup(QWidget* parent) {
    auto* box = new QGroupBox(tr("Energy and carbon"), parent);
    auto* f = new QFormLayout(box);
    m_grid = new QLineEdit(box);
    m_grid->setObjectName("GridSource");
    m_grid->setPlaceholderText(tr("g/kWh, country or trace CSV"));
    m_grid->setToolTip(tr("The grid's carbon intensity: a number in gCO2e/kWh, a country code "
                          "or name (Our World in Data annual averages), or a CSV trace with "
                          "time and g_per_kwh columns (resources/grid ships one). Empty: energy "
                          "only."));
    auto* browse = new QToolButton(box);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose a grid trace (CSV)"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString p =
            QFileDialog::getOpenFileName(this, tr("Grid trace"), {}, tr("Traces (*.csv)"));
        if (!p.isEmpty()) m_grid->setText(p);
    });
    auto* gridRow = new QHBoxLayout;
    gridRow->addWidget(m_grid, 1);
    gridRow->addWidget(browse);
    m_traceSpeed = new QDoubleSpinBox(box);
    m_traceSpeed->setObjectName("TraceSpeed");
    m_traceSpeed->setRange(1e-3, 1e7);
    m_traceSpeed->setDecimals(0);
    m_traceSpeed->setValue(1);
    m_traceSpeed->setSuffix(tr(" x"));
    m_traceSpeed->setToolTip(tr("Trace seconds per wall second (a demo replays a day in "
                                "minutes at 3600 x)"));
    m_schedule = new QComboBox(box);
    m_schedule->setObjectName("RhoSchedule");
    m_schedule->addItem(tr("fixed rho"), "fixed");
    m_schedule->addItem(tr("follows the grid"), "carbon");
    m_schedule->addItem(tr("within a budget"), "budget");
    m_schedule->setToolTip(tr("Follows the grid: each selection round's rho from the trace's "
                              "intensity when it begins, the range's high end at or below the "
                              "trace's 10th percentile, its low end at or above the 90th, "
                              "linear between. Within a budget: each round the highest rho in "
                              "the range whose predicted total (from this run's measured cost "
                              "per step) stays within every limit below"));
    m_rhoLow = new QDoubleSpinBox(box);
    m_rhoHigh = new QDoubleSpinBox(box);
    for (auto [s, v] : {std::pair{m_rhoLow, 0.5}, {m_rhoHigh, 0.9}}) {
        s->setRange(0.05, 1.0);
        s->setSingleStep(0.05);
        s->setValue(v);
    }
    m_rhoLow->setObjectName("RhoLow");
    m_rhoHigh->setObjectName("RhoHigh");
    auto* range = new QHBoxLayout;
    range->addWidget(m_rhoLow);
    range->addWidget(new QLabel(QStringLiteral("–"), box));
    range->addWidget(m_rhoHigh);
    m_intervalSteps =
        spin(0, 10'000'000, 0, tr("GreenTrainer re-selects every N steps (0 = every 2 epochs)"),
             tr("2 epochs"));
    m_intervalSteps->setObjectName("IntervalSteps");
    m_powerWatts = limit("PowerWatts", 100000, 0, tr(" W"), tr("counter or CPU model"),
                         tr("Average power while training, for the estimated:user-watts "
                            "method; 0: the RAPL counter where readable, else the CPU model "
                            "(gt doctor says which)"));
    m_energyBudget = limit("EnergyBudget", 1e6, 3, tr(" kWh"), tr("no limit"),
                           tr("Within a budget: the run's energy may not exceed this"));
    m_carbonBudget = limit("CarbonBudget", 1e9, 1, tr(" g"), tr("no limit"),
                           tr("Within a budget: the run's gCO2e may not exceed this (needs a "
                              "grid intensity)"));
    m_deadline = limit("Deadline", 1e5, 2, tr(" h"), tr("no limit"),
                       tr("Within a budget: the run's training time may not exceed this"));
    f->addRow(tr("Power"), m_powerWatts);
    f->addRow(tr("Grid"), gridRow);
    f->addRow(tr("Trace speed"), m_traceSpeed);
    f->addRow(tr("Schedule"), m_schedule);
    f->addRow(tr("rho range"), range);
    f->addRow(tr("Re-select every"), m_intervalSteps);
    f->addRow(tr("Energy at most"), m_energyBudget);
    f->addRow(tr("CO2 at most"), m_carbonBudget);
    f->addRow(tr("Time at most"), m_deadline);
    connect(m_schedule, &QComboBox::currentIndexChanged, this, &TrainPage::updateEnabled);
    return box;
}

void TrainPage::setModelDir(const QString& dir) {
    m_modelDir = dir;
    m_modelLabel->setText(tr("<b>Model</b><br>%1").arg(dir.toHtmlEscaped()));
    m_modelLabel->setToolTip(dir);
    showContent(!dir.isEmpty());
    updateEnabled();
}

void TrainPage::setPins(std::vector<std::string> include, std::vector<std::string> exclude) {
    m_include = std::move(include);
    m_exclude = std::move(exclude);
    showPins();
}

void TrainPage::showPins() {
    const bool any = !m_include.empty() || !m_exclude.empty();
    m_pinLabel->setText(
        any ? tr("%1 in, %2 out (GreenTrainer)").arg(m_include.size()).arg(m_exclude.size())
            : tr("none (Tensors page: Pin in, Pin out)"));
}

void TrainPage::setStorePath(const QString& file) {
    m_storePath = file;
}

void TrainPage::setDataset(const QString& kind, const QString& path) {
    const int i = m_dataset->findData(kind);
    if (i >= 0) m_dataset->setCurrentIndex(i);
    m_dataPath->setText(path);
}

api::TrainJob TrainPage::job() const {
    api::TrainJob j;
    j.modelDir = m_modelDir.toStdString();
    const QString kind = m_dataset->currentData().toString();
    const QString path = m_dataPath->text().trimmed();
    if (kind == "file") {
        if (path.isEmpty()) throw std::invalid_argument("choose a dataset file");
        j.trainFile = path.toStdString();
        j.holdOut = 0.1; // a seeded tenth of the file validates (ROUGE, loss)
    } else {
        j.preset = kind.toStdString();
        if (kind != "debian") {
            if (path.isEmpty()) throw std::invalid_argument("choose the dataset folder");
            j.dataDir = path.toStdString();
        }
    }
    j.maxTrainExamples = static_cast<size_t>(m_limit->value());
    j.evalExamples = static_cast<size_t>(m_evalExamples->value());
    j.evalEvery = m_evalEvery->value();
    j.batchSize = m_batch->value();
    j.maxLength = m_seqLen->value();
    j.maxNewTokens = api::StarterRecipe{}.maxNewTokens;
    j.dbPath = m_storePath.toStdString();
    j.tags = {"gui"};
    auto& o = j.options;
    o.method = train::parseMethod(m_method->currentData().toString().toStdString());
    o.rho = m_rho->value();
    o.topBlocks = m_k->value();
    o.loraRank = m_rank->value();
    o.prefixTokens = m_prefixTokens->value();
    o.lisaLayers = m_lisaLayers->value();
    o.lisaInterval = m_lisaInterval->value();
    o.badamInterval = m_badamInterval->value();
    o.badamOrder = m_badamOrder->currentData().toString().toStdString();
    o.freezeStart = m_freezeStart->value();
    o.learningRate = m_lr->value();
    o.maxSteps = m_steps->value();                 // the step count decides, whatever the epochs
    if (o.method == train::Method::GreenTrainer) { // the other methods choose no tensors
        o.include = m_include;
        o.exclude = m_exclude;
    }
    o.threads = m_threads->value();
    j.checkpointMinutes = m_checkpointMinutes->value();
    readFootprint(j);
    return j;
}

void TrainPage::readFootprint(api::TrainJob& j) const {
    auto& f = j.footprint;
    const QString grid = m_grid->text().trimmed();
    bool number = false;
    const double g = grid.toDouble(&number);
    if (grid.isEmpty()) {
    } else if (number) {
        if (g < 0) throw std::invalid_argument("the grid intensity must be >= 0 g/kWh");
        f.gridIntensity = g;
    } else if (grid.endsWith(".csv", Qt::CaseInsensitive) || QFileInfo(grid).isFile()) {
        f.gridTrace = grid.toStdString();
    } else {
        f.gridCountry = grid.toStdString();
    }
    f.traceSpeed = m_traceSpeed->value();
    f.rhoSchedule = m_schedule->currentData().toString().toStdString();
    f.rhoLow = m_rhoLow->value();
    f.rhoHigh = m_rhoHigh->value();
    j.options.reselectEverySteps = m_intervalSteps->value();
    f.powerWatts = m_powerWatts->value();
    if (f.rhoSchedule == "fixed") return;
    if (j.options.method != train::Method::GreenTrainer)
        throw std::invalid_argument(f.rhoSchedule == "carbon"
                                        ? "a rho that follows the grid is for GreenTrainer"
                                        : "a rho within a budget is for GreenTrainer");
    if (!(f.rhoLow < f.rhoHigh))
        throw std::invalid_argument("the rho range must run from low to high");
    if (f.rhoSchedule == "carbon" && f.gridTrace.empty())
        throw std::invalid_argument(
            "a rho that follows the grid needs a grid trace (a CSV file) in Grid");
    if (f.rhoSchedule != "budget") return;
    f.energyBudgetKwh = m_energyBudget->value();
    f.carbonBudgetGrams = m_carbonBudget->value();
    f.deadlineHours = m_deadline->value();
    if (f.energyBudgetKwh <= 0 && f.carbonBudgetGrams <= 0 && f.deadlineHours <= 0)
        throw std::invalid_argument(
            "a rho within a budget needs a limit: energy, CO2 or time at most");
    if (f.carbonBudgetGrams > 0 && grid.isEmpty())
        throw std::invalid_argument("a CO2 limit needs a grid intensity in Grid");
}

bool TrainPage::startTraining() {
    if (m_running) return false;
    api::TrainJob j;
    try {
        j = job();
    } catch (const std::exception& e) {
        showFailed(QString::fromStdString(e.what()));
        return false;
    }
    m_charts->clear();
    m_preflight->clear();
    m_card.reset();
    m_log->clear();
    m_lastCheckpoint.clear();
    m_progress->setRange(0, static_cast<int>(j.options.maxSteps));
    m_progress->setValue(0);
    m_progress->setFormat(tr("loading…"));
    m_status->clear();
    appendLog(tr("starting %1 on %2").arg(m_method->currentText(), m_modelDir));
    m_running = true;
    m_paused = false;
    updateEnabled();
    Q_EMIT startRequested(j);
    return true;
}

bool TrainPage::resumeTraining() {
    if (m_running || m_lastCheckpoint.isEmpty()) return false;
    appendLog(tr("resuming from %1").arg(m_lastCheckpoint));
    const QString dir = m_lastCheckpoint;
    m_lastCheckpoint.clear();
    m_running = true;
    m_paused = false;
    updateEnabled();
    Q_EMIT resumeRequested(dir, m_storePath);
    return true;
}

void TrainPage::restoreRun(const api::TrainJob& job, qint64 runId, const QString& checkpoint) {
    if (m_running) return;
    showJob(job);
    m_charts->clear();
    m_preflight->clear();
    m_card.reset();
    m_log->clear();
    m_status->clear();
    m_runId = runId;
    m_lastCheckpoint = checkpoint;
    m_progress->setRange(0, static_cast<int>(job.options.maxSteps));
    m_progress->setValue(0);
    m_progress->setFormat(tr("run %1: resumable").arg(runId));
    appendLog(tr("run %1 from the store; Resume continues from %2").arg(runId).arg(checkpoint));
    updateEnabled();
}

/// The form as `job` had it (what a restored run trains with; the checkpoint decides).
void TrainPage::showJob(const api::TrainJob& job) {
    setModelDir(QString::fromStdString(job.modelDir));
    if (job.preset.empty())
        setDataset("file", QString::fromStdString(job.trainFile));
    else
        setDataset(QString::fromStdString(job.preset), QString::fromStdString(job.dataDir));
    const auto& o = job.options;
    for (int i = 0; i < m_method->count(); ++i) // the items' data are the methods' short names
        if (train::parseMethod(m_method->itemData(i).toString().toStdString()) == o.method)
            m_method->setCurrentIndex(i);
    m_rho->setValue(o.rho);
    m_k->setValue(o.topBlocks);
    m_rank->setValue(o.loraRank);
    m_prefixTokens->setValue(o.prefixTokens);
    m_lisaLayers->setValue(o.lisaLayers);
    m_lisaInterval->setValue(static_cast<int>(o.lisaInterval));
    m_badamInterval->setValue(static_cast<int>(o.badamInterval));
    m_badamOrder->setCurrentIndex(
        std::max(0, m_badamOrder->findData(QString::fromStdString(o.badamOrder))));
    m_freezeStart->setValue(o.freezeStart);
    m_lr->setValue(o.learningRate);
    m_steps->setValue(static_cast<int>(o.maxSteps));
    m_threads->setValue(o.threads);
    m_checkpointMinutes->setValue(job.checkpointMinutes);
    m_limit->setValue(static_cast<int>(job.maxTrainExamples));
    m_evalExamples->setValue(static_cast<int>(job.evalExamples));
    m_evalEvery->setValue(static_cast<int>(job.evalEvery));
    m_batch->setValue(static_cast<int>(job.batchSize));
    m_seqLen->setValue(static_cast<int>(job.maxLength));
    const auto& f = job.footprint;
    m_grid->setText(f.gridIntensity >= 0     ? QString::number(f.gridIntensity)
                    : !f.gridTrace.empty()   ? QString::fromStdString(f.gridTrace)
                    : !f.gridCountry.empty() ? QString::fromStdString(f.gridCountry)
                                             : QString());
    m_traceSpeed->setValue(f.traceSpeed);
    m_schedule->setCurrentIndex(
        std::max(0, m_schedule->findData(QString::fromStdString(f.rhoSchedule))));
    m_rhoLow->setValue(f.rhoLow);
    m_rhoHigh->setValue(f.rhoHigh);
    m_intervalSteps->setValue(static_cast<int>(o.reselectEverySteps));
    m_powerWatts->setValue(f.powerWatts);
    setPins(o.include, o.exclude); // a resumed run keeps its pins
    m_energyBudget->setValue(f.energyBudgetKwh);
    m_carbonBudget->setValue(f.carbonBudgetGrams);
    m_deadline->setValue(f.deadlineHours);
}

void TrainPage::stopTraining() {
    if (!m_running) return;
    Q_EMIT stopRequested();
    m_progress->setFormat(tr("stopping after this step…"));
    appendLog(tr("stop requested"));
}

void TrainPage::setPaused(bool paused) {
    if (!m_running || paused == m_paused) return;
    m_paused = paused;
    Q_EMIT pauseRequested(paused);
    {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(paused);
    }
    m_pause->setText(paused ? tr("Continue") : tr("&Pause"));
    m_progress->setFormat(paused ? tr("paused after step %v of %m") : tr("step %v / %m"));
    appendLog(paused ? tr("paused (the run waits after its current step)") : tr("continued"));
}

void TrainPage::showProgress(const api::TrainProgress& p) {
    m_charts->addStep(p);
    if (p.preflight && p.preflight != m_card) { // predicted, then once more when measured
        m_card = p.preflight;
        m_preflight->showCard(*m_card);
        if (m_card->measured)
            m_charts->setEnergyMethod(QString::fromStdString(m_card->measured->energyMethod));
    }
    m_progress->setMaximum(static_cast<int>(p.totalSteps));
    m_progress->setValue(static_cast<int>(p.step.step));
    if (!m_paused) // the pause's text stays until Continue
        m_progress->setFormat(tr("step %v / %m — ETA %1").arg(hms(p.etaSeconds)));
    m_status->setText(
        tr("loss %1 · %2 ms/step · %3 tokens/s · planned %4% of full")
            .arg(p.step.loss, 0, 'f', 4)
            .arg(p.step.stepMillis, 0, 'f', 0)
            .arg(p.step.tokensPerSecond, 0, 'f', 0)
            .arg(p.step.fullMacs > 0 ? 100 * p.step.plannedMacs / p.step.fullMacs : 0.0, 0, 'f',
                 1));
    if (p.step.step % 10 == 0 || p.step.step == p.totalSteps)
        appendLog(tr("step %1/%2  loss %3  lr %4")
                      .arg(p.step.step)
                      .arg(p.totalSteps)
                      .arg(p.step.loss, 0, 'f', 4)
                      .arg(p.step.learningRate, 0, 'g', 3));
}

void TrainPage::showFinished(const api::TrainOutcome& o) {
    m_running = m_paused = false;
    m_runId = o.runId;
    m_progress->setFormat(o.stopped ? tr("stopped at step %v") : tr("finished: %v steps"));
    if (o.stopped) m_lastCheckpoint = QString::fromStdString(o.checkpointDir);
    appendLog(o.stopped ? tr("run %1 stopped after %2 steps; Resume continues from %3")
                              .arg(o.runId)
                              .arg(o.steps)
                              .arg(m_lastCheckpoint)
                        : tr("run %1 finished: %2 steps in %3, planned %4% of full FT")
                              .arg(o.runId)
                              .arg(o.steps)
                              .arg(hms(o.wallSeconds))
                              .arg(100 * o.plannedShare, 0, 'f', 1));
    if (o.energyJoules)
        appendLog(tr("energy %1 kJ, %2 (%3)")
                      .arg(*o.energyJoules / 1000, 0, 'f', 2)
                      .arg(QString::fromStdString(o.energyMethod))
                      .arg(QString::fromStdString(o.energySource)));
    if (o.co2Grams)
        appendLog(tr("carbon %1 gCO2e (%2)")
                      .arg(*o.co2Grams, 0, 'f', 3)
                      .arg(QString::fromStdString(o.gridSource)));
    if (o.rouge1)
        m_status->setText(tr("validation ROUGE-1/2/L %1 / %2 / %3")
                              .arg(*o.rouge1, 0, 'f', 2)
                              .arg(*o.rouge2, 0, 'f', 2)
                              .arg(*o.rougeL, 0, 'f', 2));
    updateEnabled();
    Q_EMIT runEnded(o.runId);
}

void TrainPage::showFailed(const QString& message) {
    m_running = m_paused = false;
    m_progress->setFormat(tr("failed"));
    m_status->setText(tr("<span style='color:#c0392b'>%1</span>").arg(message.toHtmlEscaped()));
    appendLog(tr("error: %1").arg(message));
    updateEnabled();
    Q_EMIT runEnded(0);
}

void TrainPage::appendLog(const QString& line) {
    m_log->appendPlainText(QTime::currentTime().toString("HH:mm:ss  ") + line);
}

void TrainPage::updateEnabled() {
    const bool running = m_running;
    const QString method = m_method->currentData().toString();
    const QString schedule = m_schedule->currentData().toString();
    const bool scheduled = schedule != "fixed"; // the grid or the budget sets rho
    m_rho->setEnabled(method == "greentrainer" && !scheduled);
    m_rhoLow->setEnabled(scheduled);
    m_rhoHigh->setEnabled(scheduled);
    for (QDoubleSpinBox* s : {m_energyBudget, m_carbonBudget, m_deadline})
        s->setEnabled(schedule == "budget");
    m_k->setEnabled(method == "top-k");
    m_rank->setEnabled(method == "lora");
    if (const auto it = m_settingsPage.find(method); it != m_settingsPage.end()) {
        // the row as tall as the shown page, not as the tallest one
        for (int i = 0; i < m_methodSettings->count(); ++i)
            m_methodSettings->widget(i)->setSizePolicy(QSizePolicy::Preferred,
                                                       i == it->second ? QSizePolicy::Preferred
                                                                       : QSizePolicy::Ignored);
        m_methodSettings->setCurrentIndex(it->second);
        m_methodSettings->adjustSize();
    }
    m_start->setEnabled(!running && !m_modelDir.isEmpty());
    m_stop->setEnabled(running);
    m_pause->setEnabled(running);
    if (!running) {
        const QSignalBlocker block(m_pause);
        m_pause->setChecked(false);
        m_pause->setText(tr("&Pause"));
    }
    m_resume->setEnabled(!running && !m_lastCheckpoint.isEmpty());
}

} // namespace gt::widgets
