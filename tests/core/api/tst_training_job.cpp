// The run as a composition, end to end on the shipped starter model and the built-in task with
// a store in a temporary folder: every cadence the job asks for happens at its steps and
// lands in the store (metrics, selection rounds, evaluations, one checkpoint artifact, the
// export), a failure inside the loop leaves a failed run with its metrics, and a stop leaves a
// resumable run that finishes as the same stored run. Checkpoints by default: a run writes
// them beside the store (after each selection round, on a time cadence, on Pause) and a
// finished run removes them.
#include "core/api/builtin_resources.h"
#include "core/api/run_checkpoint.h"
#include "core/api/training_job.h"
#include "core/store/experiment_store.h"
#include "core/train/checkpoint_folder.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <stdexcept>

using namespace gt;
namespace fs = std::filesystem;

class TestTrainingJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void everyCadenceLandsInTheStore();
    void failureInsideTheLoopLeavesAFailedRun();
    void stopThenResumeFinishesTheSameRun();
    void defaultCheckpointsLiveBesideTheStoreUntilTheRunFinishes();
    void pauseWritesACheckpointBeforeItHolds();

private:
    api::TrainJob job() const {
        api::TrainJob j;
        j.modelDir = api::starterModelDir().string();
        j.preset = "debian";
        j.maxTrainExamples = 16;
        j.batchSize = 4; // 4 steps an epoch
        j.maxLength = 96;
        j.evalExamples = 2;
        j.maxNewTokens = 4;
        j.dbPath = m_dir->filePath("runs.sqlite").toStdString();
        auto& o = j.options;
        o.method = train::Method::GreenTrainer;
        o.rho = 0.7;
        o.reselectEveryEpochs = 1;
        o.maxSteps = 6;
        o.learningRate = 1e-4;
        o.threads = 2;
        return j;
    }
    store::ExperimentStore reader() const {
        return store::ExperimentStore(m_dir->filePath("runs.sqlite").toStdString(),
                                      store::ExperimentStore::Mode::ReadOnly);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestTrainingJob::everyCadenceLandsInTheStore() {
    api::TrainJob j = job();
    j.evalEvery = 2;
    j.checkpointEvery = 3;
    j.checkpointDir = m_dir->filePath("ckpt").toStdString();
    j.exportDir = m_dir->filePath("export").toStdString();
    int progress = 0;
    std::vector<int64_t> evalSteps;
    std::vector<int> rounds;
    api::TrainCallbacks cb;
    cb.onProgress = [&](const api::TrainProgress& p) { QCOMPARE(p.step.step, ++progress); };
    cb.onEvaluation = [&](const api::EvalPoint& e) { evalSteps.push_back(e.step); };
    cb.onPlan = [&](const api::PlanRound& r) { rounds.push_back(r.round); };
    const api::TrainOutcome out = api::runTraining(j, cb, nullptr);

    QCOMPARE(out.steps, int64_t{6});
    QVERIFY(!out.stopped);
    QCOMPARE(progress, 6);
    // every 2 steps, but not at the last one: the finished run's evaluation is that one
    QCOMPARE(evalSteps, (std::vector<int64_t>{2, 4, 6}));
    QCOMPARE(rounds, (std::vector<int>{0, 1})); // a round per epoch: steps 0 and 4
    const auto db = reader();
    const auto run = db.run(out.runId);
    QCOMPARE(run->status, store::RunStatus::Finished);
    QCOMPARE(db.series(out.runId, "train/loss").size(), size_t{6});
    QCOMPARE(db.series(out.runId, "planned_macs").size(), size_t{6});
    QCOMPARE(db.evaluations(out.runId).size(), size_t{3});
    QCOMPARE(db.snapshotRounds(out.runId), (std::vector<int>{0, 1}));
    QCOMPARE(db.snapshotStep(out.runId, 1), int64_t{4});
    const auto artifacts = db.artifacts(out.runId);
    QCOMPARE(artifacts.size(), size_t{2}); // the checkpoint folder (5 writes) and the export
    QCOMPARE(artifacts[0].kind, std::string("checkpoint"));
    QCOMPARE(artifacts[0].path, j.checkpointDir);
    QCOMPARE(*artifacts[0].step, int64_t{0}); // the first: after selection round 0
    QCOMPARE(artifacts[1].kind, std::string("model"));
    // rounds (steps 0, 4), every 3 steps (3, 6) and the end; a named folder keeps the last two
    const train::CheckpointFolder folder(j.checkpointDir);
    QCOMPARE(folder.checkpoints(), (std::vector<fs::path>{folder.pathFor(6), folder.pathFor(4)}));
    QVERIFY(fs::exists(fs::path(j.exportDir) / "model.safetensors"));
    QVERIFY(fs::exists(fs::path(j.exportDir) / "tokenizer.json"));
    QVERIFY(out.plannedShare > 0 && out.plannedShare <= 0.7 + 1e-9);
    QVERIFY(run->configJson.find("\"probe_batches\"") != std::string::npos);
}

void TestTrainingJob::failureInsideTheLoopLeavesAFailedRun() {
    api::TrainCallbacks cb;
    cb.onProgress = [](const api::TrainProgress& p) {
        if (p.step.step == 2) throw std::runtime_error("disk full while reporting");
    };
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, api::runTraining(job(), cb, nullptr));
    const auto db = reader();
    const auto runs = db.listRuns({});
    QCOMPARE(runs.size(), size_t{1});
    QCOMPARE(runs[0].status, store::RunStatus::Failed);
    QCOMPARE(db.series(runs[0].id, "train/loss").size(), size_t{2}); // nothing lost
}

void TestTrainingJob::stopThenResumeFinishesTheSameRun() {
    std::atomic<bool> stop{false};
    api::TrainCallbacks cb;
    cb.onProgress = [&](const api::TrainProgress& p) {
        if (p.step.step == 2) stop = true;
    };
    const api::TrainOutcome first = api::runTraining(job(), cb, &stop);
    QVERIFY(first.stopped);
    QCOMPARE(first.steps, int64_t{2});
    // no checkpoint folder was asked for: the run's default one beside the store
    QCOMPARE(
        fs::path(first.checkpointDir),
        api::defaultCheckpointFolder(m_dir->filePath("runs.sqlite").toStdString(), first.runId));
    QCOMPARE(reader().run(first.runId)->status, store::RunStatus::Stopped);
    const api::TrainOutcome second = api::resumeTraining(first.checkpointDir);
    QCOMPARE(second.runId, first.runId);
    QCOMPARE(second.steps, int64_t{6});
    const auto db = reader();
    QCOMPARE(db.run(first.runId)->status, store::RunStatus::Finished);
    QCOMPARE(db.series(first.runId, "train/loss").size(), size_t{6}); // no gap, no duplicate
    QCOMPARE(db.listRuns({}).size(), size_t{1});
    // resumed from its default folder, the finished run still removes it
    QVERIFY(!fs::exists(first.checkpointDir));
}

void TestTrainingJob::defaultCheckpointsLiveBesideTheStoreUntilTheRunFinishes() {
    api::TrainJob j = job();
    j.checkpointEvery = 2;
    bool checked = false;
    api::TrainCallbacks cb;
    const fs::path folder =
        api::defaultCheckpointFolder(m_dir->filePath("runs.sqlite").toStdString(), 1);
    cb.onProgress = [&](const api::TrainProgress& p) {
        if (p.step.step != 5) return;
        // While it runs: the newest two of rounds 0 and 1 (steps 0, 4) and steps 2 and 4,
        // found through the store as Resume finds them.
        const train::CheckpointFolder f(folder);
        QCOMPARE(f.checkpoints(), (std::vector<fs::path>{f.pathFor(4), f.pathFor(2)}));
        QCOMPARE(*api::latestCheckpoint(reader(), 1), f.pathFor(4));
        QCOMPARE(api::readCheckpoint(f.pathFor(4)).round, 1);
        checked = true;
    };
    const api::TrainOutcome out = api::runTraining(j, cb, nullptr);
    QVERIFY(checked);
    QCOMPARE(out.runId, int64_t{1});
    QVERIFY(!fs::exists(folder)); // finished: the crash insurance is gone, and so is its row
    for (const auto& a : reader().artifacts(out.runId))
        QVERIFY(a.kind != "checkpoint");
    QVERIFY(!api::latestCheckpoint(reader(), out.runId));

    j.checkpoints = false; // --no-checkpoints: nothing until a stop
    std::atomic<bool> stop{false};
    cb.onProgress = [&](const api::TrainProgress& p) {
        if (p.step.step == 3) {
            QVERIFY(!fs::exists(api::defaultCheckpointFolder(j.dbPath, 2)));
            stop = true;
        }
    };
    const api::TrainOutcome stopped = api::runTraining(j, cb, &stop);
    QVERIFY(stopped.stopped);
    QCOMPARE(api::readCheckpoint(*api::latestCheckpoint(reader(), 2)).step, int64_t{3});
    // deleting the run with its artifacts removes its checkpoints
    store::ExperimentStore(j.dbPath).deleteRuns({2}, true);
    QVERIFY(!fs::exists(api::defaultCheckpointFolder(j.dbPath, 2)));
}

void TestTrainingJob::pauseWritesACheckpointBeforeItHolds() {
    std::atomic<bool> pause{false}, stop{false};
    api::TrainCallbacks cb;
    cb.pause = &pause;
    cb.onProgress = [&](const api::TrainProgress& p) {
        if (p.step.step == 2) pause = true;
    };
    int holds = 0;
    cb.onPaused = [&] {
        ++holds; // what a crash while paused would resume from: the paused step
        QCOMPARE(api::readCheckpoint(*api::latestCheckpoint(reader(), 1)).step, int64_t{2});
        pause = false;
        stop = true;
    };
    api::TrainJob j = job();
    j.checkpointMinutes = 0;
    const api::TrainOutcome out = api::runTraining(j, cb, &stop);
    QCOMPARE(holds, 1);
    QVERIFY(out.stopped);
    QCOMPARE(out.steps, int64_t{2});
}

QTEST_GUILESS_MAIN(TestTrainingJob)
#include "tst_training_job.moc"
