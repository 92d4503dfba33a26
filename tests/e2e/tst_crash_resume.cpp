// A crash never costs a run (issue #25), from the command line: `gt train` with its default
// checkpoints is killed with SIGKILL at random steps, 20 times over the four methods. Every
// time the store passes PRAGMA integrity_check, `gt runs list` shows the run "interrupted"
// before anything opens the store for writing, and `gt resume --run ID` finishes it with
// weights bit-identical to a run that was never interrupted, and curves without gaps or
// repeated points.
#include "core/io/safetensors_file.h"
#include "core/store/experiment_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <cstring>
#include <fstream>

using gt::store::ExperimentStore;
using gt::store::RunStatus;

class TestCrashResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedRunsResumeToTheSameWeights();
    void resumeByIdRefusesWhatCannotBeResumed();

private:
    /// A 60-step run (3 steps an epoch, an evaluation every 4 steps) of `method`. GreenTrainer
    /// keeps the default checkpoints (one after each selection round, every 6 steps); the
    /// others add one every 3 steps. Long enough that a kill lands mid-run although a step of
    /// the tiny model takes milliseconds.
    QStringList trainArgs(const QString& method, const QString& db, const QString& out) const;
    /// Starts `gt train` and kills it (SIGKILL) once it reports step `at`.
    void killAt(const QStringList& args, int at);
    static QString integrity(const QString& db);

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

QString TestCrashResume::integrity(const QString& db) {
    sqlite3* h = nullptr;
    QString result = "cannot open";
    if (sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, nullptr);
        result = sqlite3_step(s) == SQLITE_ROW
                     ? QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)))
                     : "no answer";
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return result;
}

void TestCrashResume::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model.path()));
    {
        std::ofstream train(m_dir.filePath("t.jsonl").toStdString());
        std::ofstream val(m_dir.filePath("v.jsonl").toStdString());
        const char* words[] = {"the rain in spain", "stays mainly in", "the plain and the hills",
                               "are green in may"};
        for (int i = 0; i < 8; ++i) {
            const std::string src =
                std::string(words[i % 4]) + " " + words[(i + 1) % 4] + " " + words[(i + 2) % 4];
            (i < 6 ? train : val)
                << nlohmann::json{{"source", src}, {"target", words[i % 4]}}.dump() << "\n";
        }
    }
    for (const QString m : {"full", "greentrainer", "top-k", "lora"}) {
        const QString out = m_dir.filePath("ref-" + m);
        const auto r = gt::test::runGt(trainArgs(m, m_dir.filePath("ref.sqlite"), out));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        m_reference[m] = out + "/model.safetensors";
    }
}

void TestCrashResume::killedRunsResumeToTheSameWeights() {
    const QStringList methods = {"full", "greentrainer", "top-k", "lora"};
    QRandomGenerator rng(25); // fixed: a failure names its kill and can be replayed
    for (int i = 0; i < 20; ++i) {
        const QString method = methods[i % 4];
        // After the first checkpoint: GreenTrainer writes one before step 1, the others at 3.
        const int at = method == "greentrainer" ? rng.bounded(1, 40) : rng.bounded(4, 40);
        QVERIFY(QDir(m_dir.path()).mkpath(QString("kill%1").arg(i)));
        const QString home = m_dir.filePath(QString("kill%1").arg(i));
        const QString db = home + "/runs.sqlite", out = home + "/export";
        const QByteArray what =
            QString("kill %1: %2 at step %3").arg(i).arg(method).arg(at).toUtf8();
        killAt(trainArgs(method, db, out), at);

        QCOMPARE(integrity(db), QString("ok"));
        const auto list = gt::test::runGt({"runs", "list", "--db", db});
        QVERIFY2(list.code == 0 && list.out.contains("interrupted"), what + list.out.toUtf8());
        const auto resumed = gt::test::runGt({"resume", "--run", "1", "--db", db});
        QVERIFY2(resumed.code == 0, what + resumed.err.toUtf8());
        QVERIFY2(resumed.out.contains("finished after 60 steps"), what + resumed.out.toUtf8());

        const auto a = gt::io::SafetensorsFile::open(m_reference[method].toStdString());
        const auto b = gt::io::SafetensorsFile::open((out + "/model.safetensors").toStdString());
        QCOMPARE(a.tensors().size(), b.tensors().size());
        for (const auto& t : a.tensors()) {
            const auto* u = b.find(t.name);
            QVERIFY2(u && u->bytes == t.bytes && std::memcmp(t.data, u->data, t.bytes) == 0,
                     what + " " + t.name.c_str());
        }
        const ExperimentStore s(db.toStdString(), ExperimentStore::Mode::ReadOnly);
        QCOMPARE(s.run(1)->status, RunStatus::Finished);
        const auto loss = s.series(1, "train/loss");
        QCOMPARE(loss.size(), size_t{60});
        for (size_t k = 0; k < loss.size(); ++k)
            QCOMPARE(loss[k].step, static_cast<int64_t>(k + 1));
        QList<int64_t> evalSteps;
        for (const auto& e : s.evaluations(1))
            evalSteps << e.step;
        QList<int64_t> expected;
        for (int64_t step = 4; step <= 60; step += 4)
            expected << step;
        QCOMPARE(evalSteps, expected);
        // the same selection rounds at the same steps as the uninterrupted run: a resume from
        // a round's checkpoint does not select again
        const ExperimentStore ref(m_dir.filePath("ref.sqlite").toStdString(),
                                  ExperimentStore::Mode::ReadOnly);
        const int64_t refId = methods.indexOf(method) + 1;
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
    const QString db = m_dir.filePath("ref.sqlite"); // four finished runs
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

QTEST_GUILESS_MAIN(TestCrashResume)
#include "tst_crash_resume.moc"
