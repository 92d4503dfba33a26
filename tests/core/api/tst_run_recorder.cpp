// A run's rows from creation to its final status, against a real SQLite file: metrics are
// batched but never behind anything else written, artifacts are recorded once, and a recorder
// that goes away unfinished (an exception) leaves the run "failed" with its metrics stored.
#include "core/api/run_recorder.h"

#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

using gt::api::RunRecorder;
using namespace gt::store;

class TestRunRecorder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void metricsAreBatchedButNeverBehind();
    void artifactsAreRecordedOnce();
    void unfinishedRunIsFailedWithItsMetrics();
    void resumeReopensTheSameRun();

private:
    std::filesystem::path db() const { return m_dir->filePath("runs.sqlite").toStdString(); }
    static NewRun run(const std::string& name) {
        NewRun r;
        r.name = name;
        r.method = "full";
        return r;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunRecorder::metricsAreBatchedButNeverBehind() {
    RunRecorder rec(db(), run("a"));
    const ExperimentStore reader(db(), ExperimentStore::Mode::ReadOnly);
    for (int step = 1; step < static_cast<int>(RunRecorder::flushEvery); ++step)
        rec.metric("train/loss", step, 1.0 / step, 0.1, step);
    QVERIFY(reader.series(rec.runId(), "train/loss").empty()); // still batched
    rec.metric("train/loss", 50, 0.02, 0.1, 50);               // the 50th point flushes
    QCOMPARE(reader.series(rec.runId(), "train/loss").size(), size_t{50});
    rec.metric("lr", 51, 1e-3, 0.1, 51);
    Evaluation ev;
    ev.step = 51;
    ev.rouge1 = 30.0;
    rec.evaluation(ev); // written after the metric it follows
    QCOMPARE(reader.series(rec.runId(), "lr").size(), size_t{1});
    QCOMPARE(reader.evaluations(rec.runId()).size(), size_t{1});
    rec.metric("lr", 52, 1e-3, 0.1, 52);
    RunTotals totals;
    totals.wallSeconds = 3.5;
    rec.finish(RunStatus::Finished, totals);
    const auto r = reader.run(rec.runId());
    QCOMPARE(r->status, RunStatus::Finished);
    QCOMPARE(*r->wallSeconds, 3.5);
    QCOMPARE(reader.series(rec.runId(), "lr").size(), size_t{2});
}

void TestRunRecorder::artifactsAreRecordedOnce() {
    RunRecorder rec(db(), run("b"));
    rec.artifact("checkpoint", "/tmp/ckpt", 10);
    rec.artifact("checkpoint", "/tmp/ckpt", 20); // rewritten in place: still one artifact
    rec.artifact("model", "/tmp/export", 20);
    rec.finish(RunStatus::Finished);
    const ExperimentStore reader(db(), ExperimentStore::Mode::ReadOnly);
    const auto a = reader.artifacts(rec.runId());
    QCOMPARE(a.size(), size_t{2});
    QCOMPARE(a[0].kind, std::string("checkpoint"));
    QCOMPARE(*a[0].step, int64_t{10});
    QCOMPARE(a[1].kind, std::string("model"));
}

void TestRunRecorder::unfinishedRunIsFailedWithItsMetrics() {
    int64_t id = 0;
    try {
        RunRecorder rec(db(), run("c"));
        id = rec.runId();
        rec.metric("train/loss", 1, 2.0, 0.0, 0.1);
        rec.metric("train/loss", 2, 1.5, 0.0, 0.2);
        throw std::runtime_error("the loss became nan at step 3");
    } catch (const std::runtime_error&) {
    }
    const ExperimentStore reader(db(), ExperimentStore::Mode::ReadOnly);
    QCOMPARE(reader.run(id)->status, RunStatus::Failed);
    QCOMPARE(reader.series(id, "train/loss").size(), size_t{2});
}

void TestRunRecorder::resumeReopensTheSameRun() {
    int64_t id = 0;
    {
        RunRecorder rec(db(), run("d"));
        id = rec.runId();
        rec.artifact("checkpoint", "/tmp/ck", 5);
        rec.finish(RunStatus::Stopped);
    }
    RunRecorder again(db(), run("ignored on resume"), id);
    QCOMPARE(again.runId(), id);
    again.artifact("checkpoint", "/tmp/ck", 9); // the resumed run knows its checkpoint
    again.finish(RunStatus::Finished);
    const ExperimentStore reader(db(), ExperimentStore::Mode::ReadOnly);
    QCOMPARE(reader.listRuns({}).size(), size_t{1});
    QCOMPARE(reader.run(id)->name, std::string("d"));
    QCOMPARE(reader.run(id)->status, RunStatus::Finished);
    QCOMPARE(reader.artifacts(id).size(), size_t{1});
}

QTEST_GUILESS_MAIN(TestRunRecorder)
#include "tst_run_recorder.moc"
