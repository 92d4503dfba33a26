// A crash never costs a run (issue #25), from the command line: `gt train` with its default
// checkpoints is killed with SIGKILL at random steps, 3 times for each of the eight methods. Every
// time the store passes PRAGMA integrity_check, `gt runs list` shows the run "interrupted"
// before anything opens the store for writing, and `gt resume --run ID` finishes it with
// weights bit-identical to a run that was never interrupted, and curves without gaps or
// repeated points.
#include "core/store/experiment_store.h"
#include "core/train/checkpoint_folder.h"
#include "tests/support/cli_runner.h"
#include "tests/support/crash_checks.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using gt::store::ExperimentStore;
using gt::store::RunStatus;

namespace {
const QStringList kMethods = {"full",   "greentrainer", "top-k", "lora",
                              "prefix", "lisa",         "badam", "freezeout"};
}

class TestCrashResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedRunsResumeToTheSameWeights();
    void resumeByIdRefusesWhatCannotBeResumed();
    void killedWhileWritingACheckpoint();

private:
    /// A 60-step run (3 steps an epoch, an evaluation every 4 steps) of `method`. GreenTrainer
    /// keeps the default checkpoints (one after each selection round, every 6 steps); the
    /// others add one every 3 steps. Long enough that a kill lands mid-run although a step of
    /// the tiny model takes milliseconds.
    QStringList trainArgs(const QString& method, const QString& db, const QString& out) const;
    /// Starts `gt train` and kills it (SIGKILL) once it reports step `at`.
    void killAt(const QStringList& args, int at);

    QTemporaryDir m_dir, m_model;
    QMap<QString, QString> m_reference; ///< method -> export of an uninterrupted run
};

QStringList TestCrashResume::trainArgs(const QString& method, const QString& db,
                                       const QString& out) const {
    QStringList a = {"train",
                     "--model",
                     m_model.path(),
                     "--train",
                     m_dir.filePath("t.jsonl"),
                     "--validation",
                     m_dir.filePath("v.jsonl"),
                     "--method",
                     method,
                     "--batch",
                     "2",
                     "--seq-len",
                     "48",
                     "--max-steps",
                     "60",
                     "--epochs",
                     "20",
                     "--interval",
                     "2",
                     "--eval-every",
                     "4",
                     "--eval-examples",
                     "2",
                     "--max-new-tokens",
                     "4",
                     "--lr",
                     "1e-3",
                     "--threads",
                     "1",
                     "--db",
                     db,
                     "--export",
                     out};
    if (method != "greentrainer")
        a << "--checkpoint-every"
          << "3";
    // LISA and BAdam switch blocks within the 60 steps (FreezeOut freezes from step 30)
    a << "--lisa-interval"
      << "7"
      << "--badam-interval"
      << "9";
    return a;
}

void TestCrashResume::killAt(const QStringList& args, int at) {
    QProcess p;
    p.setReadChannel(QProcess::StandardError); // the progress lines: waitForReadyRead wakes on them
    p.start(QStringLiteral(GT_CLI_PATH), args);
    QVERIFY(p.waitForStarted());
    const QString mark = QStringLiteral("step %1/60").arg(at);
    QString err;
    while (!err.contains(mark) && p.waitForReadyRead(60'000))
        err += QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(mark), qPrintable(err));
    p.kill();
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
}

void TestCrashResume::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model.path()));
    gt::test::writeRainPairs(m_dir.filePath("t.jsonl"), m_dir.filePath("v.jsonl"));
    for (const QString& m : kMethods) {
        const QString out = m_dir.filePath("ref-" + m);
        const auto r = gt::test::runGt(trainArgs(m, m_dir.filePath("ref.sqlite"), out));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        m_reference[m] = out + "/model.safetensors";
    }
}

void TestCrashResume::killedRunsResumeToTheSameWeights() {
    const QStringList methods = kMethods;
    QRandomGenerator rng(25); // fixed: a failure names its kill and can be replayed
    for (int i = 0; i < 3 * methods.size(); ++i) {
        const QString method = methods[i % methods.size()];
        // After the first checkpoint: GreenTrainer writes one before step 1, the others at 3.
        const int at = method == "greentrainer" ? rng.bounded(1, 40) : rng.bounded(4, 40);
        QVERIFY(QDir(m_dir.path()).mkpath(QString("kill%1").arg(i)));
        const QString home = m_dir.filePath(QString("kill%1").arg(i));
        const QString db = home + "/runs.sqlite", out = home + "/export";
        const QByteArray what =
            QString("kill %1: %2 at step %3").arg(i).arg(method).arg(at).toUtf8();
        killAt(trainArgs(method, db, out), at);

        QCOMPARE(gt::test::integrityCheck(db), QString("ok"));
        const auto list = gt::test::runGt({"runs", "list", "--db", db});
        QVERIFY2(list.code == 0 && list.out.contains("interrupted"), what + list.out.toUtf8());
        const auto resumed = gt::test::runGt({"resume", "--run", "1", "--db", db});
        QVERIFY2(resumed.code == 0, what + resumed.err.toUtf8());
        QVERIFY2(resumed.out.contains("finished after 60 steps"), what + resumed.out.toUtf8());

        const std::string differ = gt::test::weightsDiffer(
            m_reference[method].toStdString(), (out + "/model.safetensors").toStdString());
        QVERIFY2(differ.empty(), what + " differs in " + differ.c_str());
        const ExperimentStore s(db.toStdString(), ExperimentStore::Mode::ReadOnly);
        QCOMPARE(s.run(1)->status, RunStatus::Finished);
        const ExperimentStore ref(m_dir.filePath("ref.sqlite").toStdString(),
                                  ExperimentStore::Mode::ReadOnly);
        const int64_t refId = methods.indexOf(method) + 1;
        // every step once, each loss bit-for-bit the uninterrupted run's
        const auto loss = s.series(1, "train/loss"), refLoss = ref.series(refId, "train/loss");
        QCOMPARE(loss.size(), size_t{60});
        QCOMPARE(refLoss.size(), size_t{60});
        for (size_t k = 0; k < loss.size(); ++k) {
            QCOMPARE(loss[k].step, static_cast<int64_t>(k + 1));
            QVERIFY2(loss[k].value == refLoss[k].value, what);
        }
        QList<int64_t> evalSteps;
        for (const auto& e : s.evaluations(1))
            evalSteps << e.step;
        QList<int64_t> expected;
        for (int64_t step = 4; step <= 60; step += 4)
            expected << step;
        QCOMPARE(evalSteps, expected);
        // the same selection rounds at the same steps as the uninterrupted run: a resume from
        // a round's checkpoint does not select again

        QCOMPARE(s.snapshotRounds(1), ref.snapshotRounds(refId));
        for (int round : ref.snapshotRounds(refId))
            QCOMPARE(s.snapshotStep(1, round), ref.snapshotStep(refId, round));
        // A finished run's default checkpoint folder was crash insurance: it is gone.
        QVERIFY(QFileInfo::exists(home + "/runs.checkpoints"));
        QVERIFY(!QFileInfo::exists(home + "/runs.checkpoints/run-1"));
        QVERIFY(s.artifacts(1).size() == 1 && s.artifacts(1)[0].kind == "model");
    }
}

void TestCrashResume::resumeByIdRefusesWhatCannotBeResumed() {
    const QString db = m_dir.filePath("ref.sqlite"); // eight finished runs
    const auto finished = gt::test::runGt({"resume", "--run", "1", "--db", db});
    QCOMPARE(finished.code, 1);
    QVERIFY2(finished.err.contains("run 1 is finished"), qPrintable(finished.err));
    const auto missing = gt::test::runGt({"resume", "--run", "99", "--db", db});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("no run with id 99"), qPrintable(missing.err));
    QCOMPARE(gt::test::runGt({"resume", "--db", db}).code, 2); // neither --run nor --checkpoint
    // Stopped without checkpoints: --no-checkpoints still leaves one on Ctrl+C, but a run
    // killed before any checkpoint has nothing to continue from.
    const QString nodb = m_dir.filePath("none.sqlite");
    auto args = trainArgs("full", nodb, m_dir.filePath("none"));
    args << "--no-checkpoints";
    args.removeAt(args.indexOf("--checkpoint-every") + 1);
    args.removeAt(args.indexOf("--checkpoint-every"));
    killAt(args, 5);
    const auto none = gt::test::runGt({"resume", "--run", "1", "--db", nodb});
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains("has no checkpoint"), qPrintable(none.err));
}

// Issue #10 item 11: SIGKILL while a checkpoint is being written (its temporary folder is
// there). The previous checkpoint is intact, the store sound, and the resumed run ends with
// the weights of a run never interrupted. The starter model's 64 MB checkpoints take ~0.1 s
// to write, a window the test's polling hits.
void TestCrashResume::killedWhileWritingACheckpoint() {
    const QString starter = QStringLiteral(GT_REPO_RESOURCES_DIR) + "/models/starter";
    const auto args = [&](const QString& home) {
        return QStringList{"train",
                           "--model",
                           starter,
                           "--preset",
                           "debian",
                           "--limit",
                           "16",
                           "--batch",
                           "2",
                           "--seq-len",
                           "64",
                           "--max-steps",
                           "16",
                           "--epochs",
                           "2",
                           "--method",
                           "full",
                           "--lr",
                           "1e-3",
                           "--threads",
                           "1",
                           "--eval-examples",
                           "0",
                           "--checkpoint-every",
                           "2",
                           "--db",
                           home + "/runs.sqlite",
                           "--export",
                           home + "/export"};
    };
    QVERIFY(QDir(m_dir.path()).mkpath("write-ref"));
    const auto ref = gt::test::runGt(args(m_dir.filePath("write-ref")));
    QVERIFY2(ref.code == 0, qPrintable(ref.err));
    bool caught = false;
    for (int attempt = 0; attempt < 5 && !caught; ++attempt) {
        const QString home = m_dir.filePath(QString("write%1").arg(attempt));
        QVERIFY(QDir(m_dir.path()).mkpath(QString("write%1").arg(attempt)));
        const QDir folder(home + "/runs.checkpoints/run-1");
        QProcess p;
        p.start(QStringLiteral(GT_CLI_PATH), args(home));
        QVERIFY(p.waitForStarted());
        // Kill once a complete checkpoint exists and the next one is being written.
        while (!p.waitForFinished(1)) { // polls every millisecond
            const QStringList entries = folder.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            const bool writing = !entries.filter(".tmp-").isEmpty();
            if (writing && !entries.filter(QRegularExpression("^step-\\d+$")).isEmpty()) {
                p.kill();
                break;
            }
        }
        p.waitForFinished();
        if (p.exitStatus() != QProcess::CrashExit) continue; // it finished first: again
        const QStringList left = folder.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        caught = !left.filter(".tmp-").isEmpty(); // the torn write is still there
        if (!caught) continue;
        const auto complete =
            gt::train::CheckpointFolder(folder.path().toStdString()).checkpoints();
        QVERIFY2(!complete.empty(), qPrintable(left.join(' ')));
        QCOMPARE(gt::test::integrityCheck(home + "/runs.sqlite"), QString("ok"));
        const auto resumed =
            gt::test::runGt({"resume", "--run", "1", "--db", home + "/runs.sqlite"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains("finished after 16 steps"), qPrintable(resumed.out));
        const std::string differ = gt::test::weightsDiffer(
            (m_dir.filePath("write-ref") + "/export/model.safetensors").toStdString(),
            (home + "/export/model.safetensors").toStdString());
        QVERIFY2(differ.empty(), differ.c_str());
        QVERIFY(!QFileInfo::exists(folder.path())); // finished: leftovers and all removed
    }
    QVERIFY2(caught, "no kill landed inside a checkpoint write in 5 attempts");
}

QTEST_GUILESS_MAIN(TestCrashResume)
#include "tst_crash_resume.moc"
