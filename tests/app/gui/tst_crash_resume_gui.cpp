// A crash never costs a run (issue #25), in the workbench: a child process running the Train
// page's controller (gui_train_child) is killed with SIGKILL at random steps, 20 times over
// the four methods. Every time the store passes PRAGMA integrity_check, the Runs page reads
// the run "interrupted" and offers Resume; clicking it continues the same stored run on a
// Train page whose charts go on without a gap or a repeated step, and the final weights are
// bit-identical to a run that was never interrupted.
#include "app/gui/training_controller.h"
#include "core/store/experiment_store.h"
#include "tests/support/crash_checks.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"
#include "widgets/charts/training_charts.h"
#include "widgets/models/run_table_model.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/train_page.h"

#include <qcustomplot.h>

#include <QDir>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt;

class TestCrashResumeGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedWorkbenchRunsResumeFromTheRunsPage();

private:
    /// Runs the child to its end (at < 0) or kills it once it reports step `at`.
    bool runChild(const QString& home, const QString& method, int at);

    QTemporaryDir m_dir;
    QString m_model, m_pairs;
};

void TestCrashResumeGui::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    m_model = m_dir.filePath("model");
    QDir().mkpath(m_model);
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model));
    m_pairs = m_dir.filePath("pairs.jsonl");
    std::ofstream out(m_pairs.toStdString());
    for (int i = 0; i < 12; ++i) // closed at the end of the function, before any child reads
        out << R"({"source": "the tool )" << i << R"( reads the files of the )"
            << (i % 3 ? "editor" : "archive") << R"(", "target": "a )"
            << (i % 3 ? "editor" : "archive") << R"( tool"})"
            << "\n";
}

bool TestCrashResumeGui::runChild(const QString& home, const QString& method, int at) {
    QDir().mkpath(home);
    QProcess p;
    p.start(QStringLiteral(GT_GUI_CHILD),
            {m_model, m_pairs, home + "/runs.sqlite", home + "/export", method});
    if (!p.waitForStarted()) return false;
    if (at < 0) return p.waitForFinished(120'000) && p.exitCode() == 0;
    const QByteArray mark = "step " + QByteArray::number(at) + "\n";
    QByteArray out;
    while (!out.contains(mark) && p.waitForReadyRead(60'000))
        out += p.readAllStandardOutput();
    p.kill();
    p.waitForFinished();
    return out.contains(mark) && p.exitStatus() == QProcess::CrashExit;
}

void TestCrashResumeGui::killedWorkbenchRunsResumeFromTheRunsPage() {
    const QStringList methods = {"full", "greentrainer", "top-k", "lora"};
    QMap<QString, QString> reference;
    for (const QString& m : methods) {
        QVERIFY2(runChild(m_dir.filePath("ref-" + m), m, -1), qPrintable(m));
        reference[m] = m_dir.filePath("ref-" + m + "/export/model.safetensors");
    }
    QRandomGenerator rng(2025); // fixed: a failure names its kill and can be replayed
    for (int i = 0; i < 20; ++i) {
        const QString method = methods[i % 4];
        // After the first checkpoint: GreenTrainer writes one before step 1, the others at 3.
        const int at = method == "greentrainer" ? rng.bounded(1, 40) : rng.bounded(4, 40);
        const QByteArray what =
            QString("kill %1: %2 at step %3").arg(i).arg(method).arg(at).toUtf8();
        const QString home = m_dir.filePath(QString("kill%1").arg(i));
        const QString db = home + "/runs.sqlite";
        QVERIFY2(runChild(home, method, at), what);
        QCOMPARE(gt::test::integrityCheck(db), QString("ok"));

        // The Runs page reads the dead run as interrupted and offers Resume.
        widgets::RunsPage runs;
        widgets::TrainPage page;
        app::TrainingController controller;
        controller.attach(&page);
        connect(&runs, &widgets::RunsPage::resumeRequested, &controller,
                [&](qint64 id) { controller.resumeStoredRun(db, id); });
        runs.setStorePath(db.toStdString());
        QCOMPARE(runs.table()->model()->rowCount(), 1);
        const QModelIndex status = runs.table()->model()->index(0, widgets::RunTableModel::Status);
        QVERIFY2(status.data().toString() == "interrupted", what);
        runs.selectRuns({1});
        QVERIFY2(runs.resumeButton()->isEnabled(), what);
        QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
        QTest::mouseClick(runs.resumeButton(), Qt::LeftButton);
        QVERIFY2(page.isTraining(), what);
        QVERIFY(ended.wait(120'000));
        QVERIFY2(ended.front().front().toLongLong() == 1,
                 what + page.log()->toPlainText().toUtf8());

        // The charts continue the stored curve: steps 1..60, each once.
        const auto* loss = page.charts()->lossPlot()->graph(0)->data().data();
        QCOMPARE(loss->size(), 60);
        for (int k = 0; k < loss->size(); ++k)
            QCOMPARE(loss->at(k)->key, double(k + 1));
        const std::string differ = gt::test::weightsDiffer(
            reference[method].toStdString(), (home + "/export/model.safetensors").toStdString());
        QVERIFY2(differ.empty(), what + " differs in " + differ.c_str());
        const store::ExperimentStore s(db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
        QCOMPARE(s.run(1)->status, store::RunStatus::Finished);
        QCOMPARE(s.series(1, "train/loss").size(), size_t{60});
    }
}

QTEST_MAIN(TestCrashResumeGui)
#include "tst_crash_resume_gui.moc"
