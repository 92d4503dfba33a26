#include "app/gui/main_window.h"

#include "app/gui/about_dialog.h"
#include "app/gui/app_settings.h"
#include "widgets/panels/model_data_page.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/train_page.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

namespace gt::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_nav(new QListWidget(this))
    , m_stack(new QStackedWidget(this)) {
    setWindowTitle(tr("GreenTrainer Workbench"));
    setObjectName("MainWindow");
    m_nav->setObjectName("PageList");
    m_nav->setIconSize(QSize(22, 22));
    m_nav->setSpacing(2);
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setMaximumWidth(200);

    addPage(new widgets::ModelDataPage, "document-open", QStyle::SP_DirOpenIcon);
    addPage(new widgets::TensorsPage, "view-grid", QStyle::SP_FileDialogDetailedView);
    addPage(new widgets::TrainPage, "media-playback-start", QStyle::SP_MediaPlay);
    addPage(new widgets::RunsPage, "view-list-details", QStyle::SP_FileDialogListView);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    auto* splitter = new QSplitter(this);
    splitter->setObjectName("MainSplitter");
    splitter->addWidget(m_nav);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    buildMenus();
    statusBar()->showMessage(tr("Ready. Open a model to begin."));
    restoreSettings();
}

void MainWindow::addPage(widgets::WorkbenchPage* page, const QString& iconName,
                         QStyle::StandardPixmap fallback) {
    m_stack->addWidget(page);
    auto* item = new QListWidgetItem(QIcon::fromTheme(iconName, style()->standardIcon(fallback)),
                                     page->title(), m_nav);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(page->title()).arg(m_stack->count()));
    item->setSizeHint(QSize(0, 36));
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
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
