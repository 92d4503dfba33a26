#include "app/gui/main_window.h"

#include "app/gui/about_dialog.h"
#include "app/gui/app_settings.h"
#include "app/gui/dataset_controller.h"
#include "app/gui/gemm_rate_controller.h"
#include "app/gui/model_controller.h"
#include "app/gui/probe_controller.h"
#include "app/gui/training_controller.h"
#include "core/api/builtin_resources.h"
#include "core/store/store_paths.h"
#include "widgets/panels/dataset_panel.h"
#include "widgets/panels/model_data_page.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/train_page.h"

#include <QAction>

#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <filesystem>

namespace gt::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_nav(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_models(new ModelController(this))
    , m_training(new TrainingController(this))
    , m_probe(new ProbeController(this))
    , m_gemm(new GemmRateController(m_training, this))
    , m_datasets(new DatasetController(this)) {
    setAcceptDrops(true);
    setWindowTitle(tr("GreenTrainer Workbench"));
    setObjectName("MainWindow");
    m_nav->setObjectName("PageList");
    m_nav->setIconSize(QSize(22, 22));
    m_nav->setSpacing(2);
    m_nav->setFrameShape(QFrame::NoFrame);

    addPage(new widgets::ModelDataPage, "document-open", QStyle::SP_DirOpenIcon);
    addPage(new widgets::TensorsPage, "view-grid", QStyle::SP_FileDialogDetailedView);
    addPage(new widgets::TrainPage, "media-playback-start", QStyle::SP_MediaPlay);
    addPage(new widgets::RunsPage, "view-list-details", QStyle::SP_FileDialogListView);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    auto* central = new QWidget(this);
    auto* row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    m_nav->setFixedWidth(170);
    row->addWidget(m_nav);
    row->addWidget(m_stack, 1);
    setCentralWidget(central);

    buildMenus();
    connect(m_models, &ModelController::modelOpened, this, &MainWindow::onModelOpened);
    connect(m_models, &ModelController::failed, this, &MainWindow::onModelFailed);
    connect(m_models, &ModelController::recentModelsChanged, this, &MainWindow::rebuildRecentMenu);
    statusBar()->showMessage(tr("Ready. Open a model to begin (Ctrl+O)."));
    // The Runs page reads the same store the CLI writes (read-only; refreshed when shown).
    auto* runs = static_cast<widgets::RunsPage*>(page(3));
    auto* train = static_cast<widgets::TrainPage*>(page(2));
    auto* tensors = static_cast<widgets::TensorsPage*>(page(1));
    auto* data = static_cast<widgets::ModelDataPage*>(page(0));
    m_training->attach(train);
    m_probe->attach(tensors->probeBar());
    m_gemm->attach(tensors);
    m_datasets->attach(data->datasetPanel());
    try {
        runs->setStorePath(store::defaultStorePath());
        train->setStorePath(QString::fromStdString(store::defaultStorePath().string()));
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()));
    }
    // A dataset loaded on the Model & Data page becomes the Train page's dataset.
    connect(data->datasetPanel(), &widgets::DatasetPanel::datasetChosen, train,
            [train](const QString& kind, const QString& path) { train->setDataset(kind, path); });
    // The importance probe runs the job the Train page would start; the pre-flight card
    // assumes its steps, threads, power and grid.
    tensors->setJobSource([train] { return train->job(); });
    // Pins made on the Tensors page go with the Train page's next GreenTrainer run.
    connect(tensors, &widgets::TensorsPage::pinsChanged, train, [tensors, train] {
        train->setPins(tensors->pinPatterns(green::Pin::In), tensors->pinPatterns(green::Pin::Out));
    });
    connect(train, &widgets::TrainPage::runEnded, this, [this, runs](qint64 id) {
        runs->refresh();
        if (id > 0) statusBar()->showMessage(tr("Run %1 stored; see the Runs page.").arg(id));
    });
    // Resume on the Runs page continues the run where it is watched: on the Train page.
    connect(runs, &widgets::RunsPage::resumeRequested, this, [this, runs, train](qint64 id) {
        if (m_training->resumeStoredRun(QString::fromStdString(runs->storePath().string()), id))
            showPage(m_stack->indexOf(train));
    });
    connect(m_stack, &QStackedWidget::currentChanged, this, [runs, this](int i) {
        if (page(i) == runs) runs->refresh();
    });
    restoreSettings();
}

QIcon MainWindow::playIcon() {
    // The styles' play icon is a black triangle, invisible on a dark theme: draw a green one.
    QPixmap pm(QSize(44, 44));
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x2c, 0xa0, 0x2c));
    p.drawPolygon(QPolygonF({QPointF(12, 8), QPointF(36, 22), QPointF(12, 36)}));
    p.end();
    return QIcon(pm);
}

void MainWindow::addPage(widgets::WorkbenchPage* page, const QString& iconName,
                         QStyle::StandardPixmap fallback) {
    m_stack->addWidget(page);
    QIcon icon = QIcon::fromTheme(iconName);
    if (icon.isNull())
        icon = fallback == QStyle::SP_MediaPlay ? playIcon() : style()->standardIcon(fallback);
    auto* item = new QListWidgetItem(icon, page->title(), m_nav);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(page->title()).arg(m_stack->count()));
    item->setSizeHint(QSize(0, 36));
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openDir = file->addAction(tr("&Open Model Directory…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Model Directory"));
        if (!dir.isEmpty()) openModel(dir);
    });
    openDir->setShortcut(QKeySequence::Open);
    openDir->setToolTip(tr("A Hugging Face model directory (config.json, weights, tokenizer)"));
    QAction* openCfg = file->addAction(tr("Open &config.json…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open config.json"), {},
                                                       tr("Model configuration (*.json)"));
        if (!f.isEmpty()) openModel(f);
    });
    openCfg->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recent = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open the &Starter Model"), this, [this] {
        if (!openStarterModel())
            onModelFailed(tr("The starter model is not installed (resources/models/starter)."));
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_stack->count(); ++i) {
        QAction* a = view->addAction(page(i)->title(), this, [this, i] { showPage(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About GreenTrainer Workbench"), this,
                    [this] { AboutDialog(this).exec(); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::rebuildRecentMenu() {
    m_recent->clear();
    const QStringList recent = m_models->recentModels();
    for (const QString& p : recent)
        m_recent->addAction(p, this, [this, p] { openModel(p); });
    m_recent->setEnabled(!recent.isEmpty());
}

bool MainWindow::openModel(const QString& path) {
    return m_models->open(path);
}

bool MainWindow::openStarterModel() {
    const auto dir = api::starterModelDir();
    if (!std::filesystem::exists(dir / "config.json")) return false;
    return openModel(QString::fromStdString(dir.string()));
}

void MainWindow::onModelOpened(std::shared_ptr<api::CostExplorer> explorer) {
    static_cast<widgets::ModelDataPage*>(page(0))->setExplorer(explorer);
    static_cast<widgets::TensorsPage*>(page(1))->setExplorer(explorer);
    const auto& path = explorer->path();
    const auto dir = std::filesystem::is_directory(path) ? path : path.parent_path();
    static_cast<widgets::TrainPage*>(page(2))->setModelDir(
        std::filesystem::exists(dir / "model.safetensors") ||
                std::filesystem::exists(dir / "model.safetensors.index.json")
            ? QString::fromStdString(dir.string())
            : QString());
    setWindowTitle(
        tr("%1 — GreenTrainer Workbench").arg(QString::fromStdString(explorer->displayName())));
    statusBar()->showMessage(
        tr("Loaded %1: %2 tensors, %3 M parameters")
            .arg(QString::fromStdString(explorer->displayName()))
            .arg(explorer->catalogue().size())
            .arg(static_cast<double>(explorer->catalogue().parameterCount()) / 1e6, 0, 'f', 1));
    if (currentPage() == 0) showPage(1);
}

void MainWindow::onModelFailed(const QString& message) {
    statusBar()->showMessage(tr("Could not open the model: %1").arg(message));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open the model"), message,
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, does not block the event loop
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    openModel(event->mimeData()->urls().front().toLocalFile());
    event->acceptProposedAction();
}

int MainWindow::pageCount() const {
    return m_stack->count();
}

widgets::WorkbenchPage* MainWindow::page(int index) const {
    return qobject_cast<widgets::WorkbenchPage*>(m_stack->widget(index));
}

int MainWindow::currentPage() const {
    return m_stack->currentIndex();
}

void MainWindow::showPage(int index) {
    if (index >= 0 && index < m_stack->count()) m_nav->setCurrentRow(index);
}

void MainWindow::restoreSettings() {
    AppSettings s;
    if (!restoreGeometry(s.mainWindowGeometry())) {
        // First start: a comfortable size that fits the screen.
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(avail.size().boundedTo(QSize(1280, 820)));
    }
    restoreState(s.mainWindowState());
    showPage(qBound(0, s.currentPage(), m_stack->count() - 1));
}

void MainWindow::saveSettings() const {
    AppSettings s;
    s.setMainWindowGeometry(saveGeometry());
    s.setMainWindowState(saveState());
    s.setCurrentPage(currentPage());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    event->accept();
}

} // namespace gt::app
