// The experiment store on real SQLite files: round trips, queries, migrations, bad files,
// a full disk, crashes of the writer (SIGKILL) and concurrent readers.
#include "core/store/experiment_store.h"
#include "core/store/migrations.h"
#include "core/store/run_export.h"
#include "core/store/sqlite_db.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace gt::store;
namespace fs = std::filesystem;

class TestExperimentStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void createAppendReadRoundTrip();
    void downsamplingKeepsExtremes();
    void evaluationsSnapshotsAndArtifacts();
    void listFiltersAndSorts();
    void configDiffShowsOnlyDifferences();
    void exportsCsvAndJson();
    void renameTagAndDeleteWithArtifacts();
    void migrationFromVersion1KeepsData();
    void newerSchemaIsReadOnly();
    void notADatabase();
    void truncatedDatabase();
    void readOnlyDirectory();
    void diskFullRollsBackAndNothingLooksFinished();
    void killedWriterLosesNothingCommitted();
    void readerSeesNewRowsWhileWriterRuns();
    void readerThreadDoesNotBlockWriterThread();
    void deadWriterReadsInterruptedWithoutAWrite();
    void rewindForgetsWhatCameAfterTheCheckpoint();
    void snapshotsReadBackInPlanOrder();
    void readOnlyOpenUpgradesAnOlderStore();

private:
    fs::path dbPath() const { return fs::path(m_dir->path().toStdString()) / "runs.sqlite"; }
    static int64_t newRun(ExperimentStore& s, const std::string& name, const std::string& method,
                          std::optional<double> rho = std::nullopt,
                          const std::string& config = "{}") {
        NewRun r;
        r.name = name;
        r.method = method;
        r.rho = rho;
        r.configJson = config;
        return s.createRun(r);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestExperimentStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestExperimentStore::createAppendReadRoundTrip() {
    ExperimentStore s(dbPath());
    QCOMPARE(s.schemaVersion(), ExperimentStore::latestSchemaVersion());
    NewRun nr;
    nr.name = "gt-0.5";
    nr.method = "greentrainer";
    nr.rho = 0.5;
    nr.modelPath = "/models/opt";
    nr.tags = {"paper", "opt"};
    nr.configJson = R"({"lr": 2e-5})";
    const int64_t id = s.createRun(nr);
    s.appendMetrics(
        id, {{"train/loss", 1, 2.5, 0.0, 0.1}, {"train/loss", 2, 2.0, 0.0, 0.2}, {"lr", 1, 2e-5}});
    s.appendMetrics(id, {{"train/loss", 2, 1.9}}); // a resumed run re-logs step 2
    const auto r = s.run(id);
    QVERIFY(r);
    QCOMPARE(r->name, std::string("gt-0.5"));
    QCOMPARE(r->status, RunStatus::Running);
    QCOMPARE(*r->rho, 0.5);
    QCOMPARE(r->tags, (std::vector<std::string>{"opt", "paper"}));
    QVERIFY(!r->softwareVersion.empty());
    QVERIFY(r->createdAt.size() == 24 && r->createdAt.back() == 'Z');
    QCOMPARE(s.seriesNames(id), (std::vector<std::string>{"lr", "train/loss"}));
    const auto loss = s.series(id, "train/loss");
    QCOMPARE(loss.size(), size_t{2});
    QCOMPARE(loss[1].value, 1.9);
    QCOMPARE(*loss[0].wallSeconds, 0.1);
    const auto last = s.lastMetrics(id);
    QCOMPARE(last.size(), size_t{2});
    QCOMPARE(last[1].step, int64_t{2});
    s.finishRun(id, RunStatus::Finished,
                {.wallSeconds = 12.5,
                 .energyJoules = 300.0,
                 .plannedMacs = 1e12,
                 .fullMacs = 2e12,
                 .energySource = "estimate"});
    const auto done = s.run(id);
    QCOMPARE(done->status, RunStatus::Finished);
    QCOMPARE(*done->energyJoules, 300.0);
    QVERIFY(!done->finishedAt.empty());
    QVERIFY(!s.run(999));
}

void TestExperimentStore::downsamplingKeepsExtremes() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "r", "full");
    std::vector<MetricPoint> pts;
    for (int i = 0; i < 10000; ++i)
        pts.push_back({"loss", i, i == 4321 ? 100.0 : 1.0 + (i % 7) * 0.01});
    s.appendMetrics(id, pts);
    const auto down = s.series(id, "loss", 200);
    QVERIFY(down.size() <= 200 && down.size() >= 100);
    QVERIFY(std::any_of(down.begin(), down.end(),
                        [](const SeriesPoint& p) { return p.value == 100.0; }));
    QVERIFY(
        std::is_sorted(down.begin(), down.end(), [](auto& a, auto& b) { return a.step < b.step; }));
}

void TestExperimentStore::evaluationsSnapshotsAndArtifacts() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "r", "greentrainer", 0.5);
    Evaluation e;
    e.step = 100;
    e.examples = 2;
    e.rouge1 = 31.5;
    e.valLoss = 2.25;
    e.samples = {{"src a", "pred a", "ref a"}, {"src b", "pred b", "ref b"}};
    s.addEvaluation(id, e);
    const auto evals = s.evaluations(id, true);
    QCOMPARE(evals.size(), size_t{1});
    QCOMPARE(*evals[0].rouge1, 31.5);
    QVERIFY(!evals[0].rouge2);
    QCOMPARE(evals[0].samples[1].prediction, std::string("pred b"));
    s.addTensorSnapshots(
        id, 0, 0, {{"fc1.weight", 1, 2, 3, 0.5, true}, {"q.bias", 1, 1, 0, std::nullopt, false}});
    s.addTensorSnapshots(id, 1, 500, {{"fc1.weight", 1, 2, 3, 0.7, false}});
    QCOMPARE(s.snapshotRounds(id), (std::vector<int>{0, 1}));
    const auto round0 = s.tensorSnapshots(id, 0);
    QCOMPARE(round0.size(), size_t{2});
    s.addArtifact(id, "checkpoint", "/tmp/ckpt-1", 100);
    QCOMPARE(s.artifacts(id).at(0).step.value(), int64_t{100});
}

void TestExperimentStore::listFiltersAndSorts() {
    ExperimentStore s(dbPath());
    const int64_t a = newRun(s, "alpha", "full");
    const int64_t b = newRun(s, "beta", "greentrainer", 0.5);
    const int64_t c = newRun(s, "gamma", "greentrainer", 0.7);
    s.addTag(b, "keep");
    s.finishRun(a, RunStatus::Finished);
    QCOMPARE(s.listRuns().size(), size_t{3});
    QCOMPARE(s.listRuns({.method = "greentrainer"}).size(), size_t{2});
    QCOMPARE(s.listRuns({.tag = "keep"}).at(0).id, b);
    QCOMPARE(s.listRuns({.status = RunStatus::Finished}).at(0).id, a);
    QCOMPARE(s.listRuns({.text = "amm"}).at(0).id, c);
    const auto byRho = s.listRuns({.sortBy = "rho", .descending = true});
    QCOMPARE(byRho.front().id, c);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.listRuns({.sortBy = "id; DROP TABLE runs"}));
}

void TestExperimentStore::configDiffShowsOnlyDifferences() {
    ExperimentStore s(dbPath());
    const int64_t a =
        newRun(s, "a", "full", std::nullopt, R"({"lr": 2e-5, "batch": 4, "opt": {"wd": 0.01}})");
    const int64_t b = newRun(s, "b", "greentrainer", 0.5,
                             R"({"lr": 2e-5, "batch": 8, "opt": {"wd": 0.01, "beta": 0.9}})");
    const auto diff = configDiff(s, {a, b});
    std::vector<std::string> keys;
    for (const auto& d : diff)
        keys.push_back(d.key);
    QCOMPARE(keys, (std::vector<std::string>{"batch", "opt.beta", "run.method", "run.rho"}));
    QCOMPARE(*diff[0].values[0], std::string("4"));
    QVERIFY(!diff[1].values[0]); // absent in run a
    QVERIFY_THROWS_EXCEPTION(StoreError, configDiff(s, {a, 12345}));
}

void TestExperimentStore::exportsCsvAndJson() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "r", "full", std::nullopt, R"({"lr": 0.001})");
    s.appendMetrics(id, {{"train/loss", 1, 2.5, 0.25}, {"eval,odd", 2, 1.0}});
    std::ostringstream csv;
    exportCsv(s, id, csv);
    QCOMPARE(QString::fromStdString(csv.str()),
             QString("run_id,series,step,epoch,wall_s,value\n%1,\"eval,odd\",2,,,1\n"
                     "%1,train/loss,1,0.25,,2.5\n")
                 .arg(id));
    std::ostringstream js;
    exportJson(s, id, js);
    const auto j = nlohmann::json::parse(js.str());
    QCOMPARE(j["series"]["train/loss"][0][1].get<double>(), 2.5);
    QCOMPARE(j["config"]["lr"].get<double>(), 0.001);
}

void TestExperimentStore::renameTagAndDeleteWithArtifacts() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "old", "full");
    s.renameRun(id, "new");
    s.addTag(id, "x");
    s.addTag(id, "x");
    s.removeTag(id, "missing");
    QCOMPARE(s.run(id)->name, std::string("new"));
    QCOMPARE(s.run(id)->tags.size(), size_t{1});
    const std::string ckpt = (fs::path(m_dir->path().toStdString()) / "ckpt").string();
    fs::create_directories(ckpt);
    std::ofstream(ckpt + "/model.safetensors") << "x";
    s.addArtifact(id, "checkpoint", ckpt, 10);
    s.appendMetrics(id, {{"loss", 1, 1.0}});
    // a running run refuses the whole call, the finished one beside it included
    const int64_t done = newRun(s, "done", "full");
    s.finishRun(done, RunStatus::Finished);
    try {
        s.deleteRuns({done, id}, true);
        QFAIL("expected a refusal");
    } catch (const StoreError& e) {
        QVERIFY2(QString(e.what()).contains("run " + QString::number(id) + " is still running"),
                 e.what());
    }
    QVERIFY(s.run(done) && fs::exists(ckpt)); // nothing deleted
    s.finishRun(id, RunStatus::Stopped);
    const auto removed = s.deleteRuns({id}, true);
    QCOMPARE(removed, (std::vector<std::string>{ckpt}));
    QVERIFY(!fs::exists(ckpt));
    QVERIFY(!s.run(id));
    QVERIFY(s.series(id, "loss").empty()); // cascaded
    QVERIFY_THROWS_EXCEPTION(StoreError, s.renameRun(id, "gone"));
}

void TestExperimentStore::migrationFromVersion1KeepsData() {
    {
        Database db(dbPath(), false);
        migrate(db, 1);
        QCOMPARE(schemaVersion(db), 1);
        db.exec(
            "INSERT INTO runs (name, created_at, method) VALUES ('v1 run', '2026-01-01', 'full')");
        db.exec("INSERT INTO metrics (run_id, name, step, value) VALUES (1, 'loss', 7, 3.5)");
    }
    ExperimentStore s(dbPath());
    QCOMPARE(s.schemaVersion(), ExperimentStore::latestSchemaVersion());
    const auto r = s.run(1);
    QVERIFY(r);
    QCOMPARE(r->name, std::string("v1 run"));
    QCOMPARE(r->status, RunStatus::Interrupted); // its writer (pid 0) is gone
    QCOMPARE(s.series(1, "loss").at(0).value, 3.5);
    QVERIFY(!r->energyJoules);        // a column migration 2 added
    s.addEvaluation(1, Evaluation{}); // and a table it added
}

void TestExperimentStore::newerSchemaIsReadOnly() {
    {
        ExperimentStore s(dbPath());
        newRun(s, "r", "full");
    }
    {
        Database db(dbPath(), false);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        ExperimentStore s(dbPath());
        QFAIL("read-write open of a newer schema must fail");
    } catch (const StoreError& e) {
        QVERIFY2(QString(e.what()).contains("schema version 99 is newer"), e.what());
    }
    ExperimentStore ro(dbPath(), ExperimentStore::Mode::ReadOnly);
    QCOMPARE(ro.listRuns().size(), size_t{1});
    QVERIFY_THROWS_EXCEPTION(StoreError, newRun(ro, "x", "full"));
}

void TestExperimentStore::notADatabase() {
    std::ofstream(dbPath()) << "this is a text file, not SQLite\n" << std::string(5000, 'x');
    try {
        ExperimentStore s(dbPath());
        QFAIL("expected StoreError");
    } catch (const StoreError& e) {
        QVERIFY2(QString(e.what()).contains("not a GreenTrainer run store"), e.what());
        QVERIFY2(QString(e.what()).contains(QString::fromStdString(dbPath().string())), e.what());
    }
}

void TestExperimentStore::truncatedDatabase() {
    {
        ExperimentStore s(dbPath());
        for (int r = 0; r < 20; ++r) {
            const int64_t id = newRun(s, "run " + std::to_string(r), "full");
            std::vector<MetricPoint> pts;
            for (int i = 0; i < 2000; ++i)
                pts.push_back({"loss", i, 1.0});
            s.appendMetrics(id, pts);
            s.finishRun(id, RunStatus::Finished);
        }
    }
    fs::resize_file(dbPath(), fs::file_size(dbPath()) / 3);
    bool failed = false;
    try {
        ExperimentStore s(dbPath());
        for (const auto& r : s.listRuns())
            (void)s.series(r.id, "loss");
    } catch (const StoreError& e) {
        failed = true;
        QVERIFY2(QString(e.what()).contains("malformed") || QString(e.what()).contains("damaged"),
                 e.what());
    }
    QVERIFY(failed);
}

void TestExperimentStore::readOnlyDirectory() {
    fs::path file;
    if (geteuid() == 0) {
        file = "/sys/greentrainer-test/runs.sqlite"; // not even root may create files here
    } else {
        const fs::path ro = fs::path(m_dir->path().toStdString()) / "ro";
        fs::create_directories(ro);
        fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        file = ro / "runs.sqlite";
    }
    try {
        ExperimentStore s(file);
        QFAIL("expected StoreError");
    } catch (const StoreError& e) {
        QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(file.string())), e.what());
        QVERIFY2(QString(e.what()).contains("cannot"), e.what());
    }
}

void TestExperimentStore::diskFullRollsBackAndNothingLooksFinished() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "big", "full");
    s.appendMetrics(id, {{"loss", 0, 1.0}});
    s.setMaxPages(40);
    int committed = 1;
    bool full = false;
    for (int b = 1; b < 1000 && !full; ++b) {
        std::vector<MetricPoint> pts;
        for (int i = 0; i < 100; ++i)
            pts.push_back({"loss", b * 100 + i, 1.0});
        try {
            s.appendMetrics(id, pts);
            committed += 100;
        } catch (const StoreError& e) {
            full = true;
            QCOMPARE(e.code(), SQLITE_FULL);
            QVERIFY2(QString(e.what()).contains("full"), e.what());
        }
    }
    QVERIFY(full);
    QCOMPARE(s.series(id, "loss").size(), static_cast<size_t>(committed)); // no partial batch
    QCOMPARE(s.run(id)->status, RunStatus::Running);
}

void TestExperimentStore::killedWriterLosesNothingCommitted() {
    { ExperimentStore created(dbPath()); } // create the file first
    QProcess writer;
    writer.start(QStringLiteral(GT_STORE_WRITER),
                 {QString::fromStdString(dbPath().string()), "100000", "200", "0"});
    QVERIFY(writer.waitForStarted());
    int committed = 0;
    while (committed < 25 && writer.waitForReadyRead(10'000)) {
        while (writer.canReadLine()) {
            const QString line = QString::fromUtf8(writer.readLine()).trimmed();
            if (line.startsWith("committed ")) committed = line.mid(10).toInt();
        }
    }
    QVERIFY(committed >= 25);
    writer.kill(); // SIGKILL, mid-append
    QVERIFY(writer.waitForFinished());
    { // a reader knows at once, before any read-write open has persisted it
        const ExperimentStore reader(dbPath(), ExperimentStore::Mode::ReadOnly);
        QCOMPARE(reader.listRuns().at(0).status, RunStatus::Interrupted);
    }
    while (writer.canReadLine()) {
        const QString line = QString::fromUtf8(writer.readAll());
        for (const QString& l : line.split('\n'))
            if (l.startsWith("committed ")) committed = l.mid(10).toInt();
    }
    ExperimentStore s(dbPath());
    const auto runs = s.listRuns();
    QCOMPARE(runs.size(), size_t{1});
    QCOMPARE(runs[0].status, RunStatus::Interrupted);
    const size_t rows = s.series(runs[0].id, "train/loss").size();
    QVERIFY2(rows >= static_cast<size_t>(committed) * 200,
             qPrintable(QString("%1 rows, %2 batches reported").arg(rows).arg(committed)));
    QCOMPARE(rows % 200, size_t{0}); // whole batches only
}

/// The status column as stored, read without the store's interpretation.
static std::string storedStatus(const fs::path& db, int64_t id) {
    Database raw(db, true);
    Statement st = raw.prepare("SELECT status FROM runs WHERE id = ?");
    st.bind(1, id);
    return st.step() ? st.columnText(0) : "";
}

void TestExperimentStore::deadWriterReadsInterruptedWithoutAWrite() {
    int64_t dead = 0, alive = 0;
    {
        ExperimentStore s(dbPath());
        dead = newRun(s, "killed", "full");
        alive = newRun(s, "mine", "full"); // this process writes it: alive
    }
    const pid_t child = fork(); // a pid that surely belonged to a process that is gone
    if (child == 0) _exit(0);
    QVERIFY(child > 0);
    waitpid(child, nullptr, 0);
    {
        Database raw(dbPath(), false);
        raw.exec("UPDATE runs SET writer_pid = " + std::to_string(child) +
                 " WHERE id = " + std::to_string(dead));
    }
    const ExperimentStore reader(dbPath(), ExperimentStore::Mode::ReadOnly);
    QCOMPARE(reader.run(dead)->status, RunStatus::Interrupted);
    QCOMPARE(reader.run(alive)->status, RunStatus::Running);
    RunFilter f;
    f.status = RunStatus::Interrupted;
    const auto interrupted = reader.listRuns(f);
    QCOMPARE(interrupted.size(), size_t{1});
    QCOMPARE(interrupted[0].id, dead);
    f.status = RunStatus::Running;
    QCOMPARE(reader.listRuns(f).size(), size_t{1});
    QCOMPARE(reader.listRuns(f)[0].id, alive);
    QCOMPARE(storedStatus(dbPath(), dead), std::string("running")); // a read wrote nothing
    { ExperimentStore writer(dbPath()); } // the next read-write open persists it
    QCOMPARE(storedStatus(dbPath(), dead), std::string("interrupted"));
    QCOMPARE(storedStatus(dbPath(), alive), std::string("running"));
}

void TestExperimentStore::rewindForgetsWhatCameAfterTheCheckpoint() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "r", "greentrainer", 0.5);
    const int64_t other = newRun(s, "o", "full");
    std::vector<MetricPoint> pts;
    for (int64_t step = 1; step <= 10; ++step)
        pts.push_back({"train/loss", step, 1.0 / static_cast<double>(step), {}, {}});
    s.appendMetrics(id, pts);
    s.appendMetrics(other, pts);
    for (int64_t step : {4, 8}) {
        Evaluation e;
        e.step = step;
        s.addEvaluation(id, e);
    }
    for (int round : {0, 1, 2})
        s.addTensorSnapshots(id, round, round * 4, {{"w", 1, 1, 1, 0.5, true}});
    s.setFullMacs(id, 1.5e9);
    s.rewindRun(id, 5, 1);
    const auto loss = s.series(id, "train/loss");
    QCOMPARE(loss.size(), size_t{5});
    QCOMPARE(loss.back().step, int64_t{5});
    QCOMPARE(s.evaluations(id).size(), size_t{1});
    QCOMPARE(s.evaluations(id)[0].step, int64_t{4});
    QCOMPARE(s.snapshotRounds(id), (std::vector<int>{0, 1}));
    QCOMPARE(s.series(other, "train/loss").size(), size_t{10}); // only that run
    QCOMPARE(*s.run(id)->fullMacs, 1.5e9);
    s.addArtifact(id, "checkpoint", "/c", 5);
    s.addArtifact(id, "model", "/m", 5);
    s.removeArtifacts(id, "checkpoint");
    QCOMPARE(s.artifacts(id).size(), size_t{1});
    QCOMPARE(s.artifacts(id)[0].kind, std::string("model"));
}

void TestExperimentStore::snapshotsReadBackInPlanOrder() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, "r", "greentrainer", 0.5);
    // catalogue order, which is not name order (layers.10 sorts before layers.2 by name)
    const std::vector<std::string> order = {"embed", "layers.2.fc", "layers.10.fc", "head"};
    std::vector<TensorSnapshot> rows;
    for (const auto& n : order)
        rows.push_back({n, 1, 1, 1, std::nullopt, n == "head"});
    s.addTensorSnapshots(id, 0, 0, rows);
    std::vector<std::string> back;
    for (const auto& t : s.tensorSnapshots(id, 0))
        back.push_back(t.tensor);
    QCOMPARE(back, order);
}

void TestExperimentStore::readOnlyOpenUpgradesAnOlderStore() {
    {
        Database db(dbPath(), false);
        migrate(db, 2);
        db.exec("INSERT INTO runs (name, created_at, method, status) "
                "VALUES ('v2 run', '2026-06-01', 'full', 'finished')");
    }
    const ExperimentStore reader(dbPath(), ExperimentStore::Mode::ReadOnly);
    QCOMPARE(reader.schemaVersion(), ExperimentStore::latestSchemaVersion());
    QCOMPARE(reader.run(1)->name, std::string("v2 run"));
    QVERIFY(reader.tensorSnapshots(1, 0).empty()); // the new column is queryable
}

void TestExperimentStore::readerSeesNewRowsWhileWriterRuns() {
    { ExperimentStore created(dbPath()); }
    QProcess writer;
    writer.start(QStringLiteral(GT_STORE_WRITER),
                 {QString::fromStdString(dbPath().string()), "40", "50", "20"});
    QVERIFY(writer.waitForStarted());
    ExperimentStore reader(dbPath(), ExperimentStore::Mode::ReadOnly);
    std::set<size_t> seen;
    double worstReadMs = 0;
    while (writer.state() != QProcess::NotRunning) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto runs = reader.listRuns();
        if (!runs.empty()) seen.insert(reader.series(runs[0].id, "train/loss").size());
        worstReadMs = std::max(worstReadMs, std::chrono::duration<double, std::milli>(
                                                std::chrono::steady_clock::now() - t0)
                                                .count());
        writer.waitForFinished(15);
    }
    QCOMPARE(writer.exitCode(), 0); // the writer never failed on a lock
    QVERIFY(QString::fromUtf8(writer.readAllStandardOutput()).contains("done"));
    QVERIFY2(seen.size() >= 5, "the reader should see the series grow while it is written");
    QVERIFY2(worstReadMs < 1000, qPrintable(QString::number(worstReadMs)));
    QCOMPARE(reader.listRuns().at(0).status, RunStatus::Finished);
}

void TestExperimentStore::readerThreadDoesNotBlockWriterThread() {
    ExperimentStore writer(dbPath());
    const int64_t id = newRun(writer, "threaded", "full");
    std::atomic<bool> stop{false};
    std::atomic<size_t> maxSeen{0};
    std::thread reader([&] {
        ExperimentStore r(dbPath(), ExperimentStore::Mode::ReadOnly); // its own connection
        while (!stop)
            maxSeen = std::max(maxSeen.load(), r.series(id, "loss").size());
    });
    for (int b = 0; b < 50; ++b) {
        std::vector<MetricPoint> pts;
        for (int i = 0; i < 100; ++i)
            pts.push_back({"loss", b * 100 + i, 1.0});
        writer.appendMetrics(id, pts);
    }
    QTRY_VERIFY_WITH_TIMEOUT(maxSeen.load() == 5000, 5000);
    stop = true;
    reader.join();
}

QTEST_GUILESS_MAIN(TestExperimentStore)
#include "tst_experiment_store.moc"
