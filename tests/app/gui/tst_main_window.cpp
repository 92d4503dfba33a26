// The workbench window builds every page offscreen, navigates, and remembers its state.
#include "app/gui/about_dialog.h"
#include "app/gui/main_window.h"
#include "app/gui/model_controller.h"
#include "tests/support/shared_data.h"
#include "widgets/panels/model_data_page.h"
#include "widgets/panels/preflight_view.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/train_page.h"

#include <QAction>
#include <QApplication>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void eachPageBuildsAlone();
    void windowHasTheFourPagesInOrder();
    void shortcutsSwitchPages();
    void geometryAndPageAreRemembered();
    void aboutNamesEveryLicence();
    void openingAModelFillsThePages();
    void aBadModelIsReportedNotFatal();
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // settings go to a throwaway location
    QCoreApplication::setOrganizationName("greentrainer-test");
    QCoreApplication::setApplicationName("tst_main_window");
    QSettings().clear();
}

void TestMainWindow::eachPageBuildsAlone() {
    gt::widgets::ModelDataPage a;
    gt::widgets::TensorsPage b;
    gt::widgets::TrainPage c;
    gt::widgets::RunsPage d;
    for (gt::widgets::WorkbenchPage* p : {static_cast<gt::widgets::WorkbenchPage*>(&a),
                                          static_cast<gt::widgets::WorkbenchPage*>(&b),
                                          static_cast<gt::widgets::WorkbenchPage*>(&c),
                                          static_cast<gt::widgets::WorkbenchPage*>(&d)}) {
        p->show();
        QVERIFY(QTest::qWaitForWindowExposed(p));
        QVERIFY(!p->title().isEmpty());
        QVERIFY(!p->emptyText().isEmpty());
    }
}

void TestMainWindow::windowHasTheFourPagesInOrder() {
    gt::app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.pageCount(), 4);
    const QStringList expected{"Model & Data", "Tensors", "Train", "Runs"};
    auto* nav = w.findChild<QListWidget*>("PageList");
    QVERIFY(nav);
    QCOMPARE(nav->count(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(w.page(i)->title(), expected[i]);
        QCOMPARE(nav->item(i)->text(), expected[i]);
    }
    nav->setCurrentRow(2);
    QCOMPARE(w.currentPage(), 2);
}

void TestMainWindow::shortcutsSwitchPages() {
    gt::app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(w.currentPage(), 3);
    QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(w.currentPage(), 1);
}

void TestMainWindow::geometryAndPageAreRemembered() {
    {
        gt::app::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resize(900, 640);
        w.showPage(3);
        w.close();
    }
    gt::app::MainWindow again;
    QCOMPARE(again.currentPage(), 3);
    QCOMPARE(again.size(), QSize(900, 640));
}

void TestMainWindow::aboutNamesEveryLicence() {
    const QString html = gt::app::AboutDialog::aboutHtml();
    for (const char* s : {"GPL-3.0-or-later", "QCustomPlot", "LibTorch", "BSD-3-Clause", "Qt",
                          "LGPL-3.0", "SQLite", "nlohmann/json", "MIT"})
        QVERIFY2(html.contains(s), s);
    gt::app::AboutDialog dlg;
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
}

void TestMainWindow::openingAModelFillsThePages() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/bloom_6head_postres");
    gt::app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.showPage(0);
    QVERIFY(w.openModel(dir));
    QCOMPARE(w.currentPage(), 1); // straight to the Tensors page
    auto* data = static_cast<gt::widgets::ModelDataPage*>(w.page(0));
    QCOMPARE(data->summaryValue("Heads"), QString("6"));
    auto* tensors = static_cast<gt::widgets::TensorsPage*>(w.page(1));
    QVERIFY(tensors->contentShown());
    QVERIFY(w.windowTitle().startsWith("BLOOM"));
    QVERIFY(w.modelController()->recentModels().contains(QFileInfo(dir).absoluteFilePath()));
    // The pre-flight card gets this machine's GEMM rate from the controller, off the GUI thread.
    QTRY_VERIFY_WITH_TIMEOUT(tensors->preflightView()->card().has_value(), 30'000);
    QVERIFY(tensors->preflightView()->card()->secondsPerStep > 0);
    // A pin made on the Tensors page goes with the Train page's next GreenTrainer run.
    auto* train = static_cast<gt::widgets::TrainPage*>(w.page(2));
    tensors->pinTensors({0}, gt::green::Pin::Out);
    const auto job = train->job();
    QCOMPARE(job.options.exclude, std::vector<std::string>{gt::green::exactNamePattern(
                                      tensors->explorer()->catalogue()[0].name)});
    QVERIFY(job.options.include.empty());
    tensors->clearPins();
    QVERIFY(train->job().options.exclude.empty());
}

void TestMainWindow::aBadModelIsReportedNotFatal() {
    gt::app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy failed(w.modelController(), &gt::app::ModelController::failed);
    QVERIFY(!w.openModel("/nonexistent/model"));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains("/nonexistent/model"));
    QVERIFY(w.statusBar()->currentMessage().startsWith("Could not open the model"));
    QTRY_VERIFY(QApplication::activeModalWidget() || w.findChild<QMessageBox*>());
    auto* box = w.findChild<QMessageBox*>();
    QVERIFY(box && box->text().contains("cannot open"));
    box->close();
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
