// `gt train` end to end on a tiny real model: GreenTrainer, full fine-tuning and top-k runs
// land in the store with their steps, selection rounds and a validation evaluation.
#include "core/io/safetensors_file.h"
#include "core/store/experiment_store.h"
#include "core/train/checkpoint_folder.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <QFileInfo>
#include <QProcess>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

class TestCliTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void greenTrainerRunIsStored();
    void fullAndTopKRuns();
    void jsonReportsTheRunAndItsHeadroom();
    void usageErrors();
    void killedRunResumesToTheSameWeights();
    void interruptStopsCleanlyWithAResumableCheckpoint();
    void profileProbeFeedsPlan();
    void energyIsRecordedWhereCountersExist();
    void pinnedTensorsTrainEveryRound();
    void newBaselinesRunOnTheStarter();

private:
    QStringList common(const QString& evalExamples = "3") const {
        return {"train",
                "--model",
                m_model.path(),
                "--train",
                m_dir.filePath("train.jsonl"),
                "--validation",
                m_dir.filePath("val.jsonl"),
                "--batch",
                "2",
                "--seq-len",
                "48",
                "--max-steps",
                "6",
                "--epochs",
                "3",
                "--eval-examples",
                evalExamples,
                "--max-new-tokens",
                "6",
                "--lr",
                "1e-3",
                "--threads",
                "1",
                "--db",
                m_db};
    }
    QTemporaryDir m_dir, m_model;
    QString m_db;
};

void TestCliTrain::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model.path()));
    gt::test::writeRainPairs(m_dir.filePath("train.jsonl"), m_dir.filePath("val.jsonl"));
    m_db = m_dir.filePath("runs.sqlite");
}

void TestCliTrain::greenTrainerRunIsStored() {
    const auto r = gt::test::runGt(common() << "--method"
                                            << "greentrainer"
                                            << "--rho"
                                            << "0.6"
                                            << "--interval"
                                            << "1"
                                            << "--no-repeat-ngram"
                                            << "3"
                                            << "--name"
                                            << "gt-0.6");
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("finished after 6 steps"), qPrintable(r.out));
    QVERIFY(r.out.contains("validation: loss"));
    QVERIFY(r.err.contains("step 6/6") && r.err.contains("ETA"));
    gt::store::ExperimentStore s(m_db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns({.text = "gt-0.6"});
    QCOMPARE(runs.size(), size_t{1});
    const auto& run = runs[0];
    QCOMPARE(run.status, gt::store::RunStatus::Finished);
    QCOMPARE(run.method, std::string("greentrainer"));
    QCOMPARE(nlohmann::json::parse(run.configJson).at("no_repeat_ngram").get<int>(), 3);
    QCOMPARE(s.series(run.id, "train/loss").size(), size_t{6});
    // the resident high-water mark per step: a real process size, never falling
    const auto peak = s.series(run.id, "peak_rss_mib");
    QCOMPARE(peak.size(), size_t{6});
    QVERIFY2(peak.front().value > 50 && peak.back().value < 24 * 1024,
             qPrintable(QString::number(peak.back().value)));
    for (size_t i = 1; i < peak.size(); ++i)
        QVERIFY(peak[i].value >= peak[i - 1].value);
    QVERIFY(*run.plannedMacs <= 0.6 * *run.fullMacs * (1 + 1e-9));
    QCOMPARE(s.snapshotRounds(run.id),
             (std::vector<int>{0, 1})); // re-selected each epoch (3 steps)
    const auto evals = s.evaluations(run.id, true);
    QCOMPARE(evals.size(), size_t{1});
    QVERIFY(evals[0].rouge1.has_value() && evals[0].valLoss.has_value());
    QCOMPARE(evals[0].samples.size(), size_t{2}); // the validation file has two examples
}

void TestCliTrain::jsonReportsTheRunAndItsHeadroom() {
    const auto r = gt::test::runGt(common() << "--method"
                                            << "greentrainer"
                                            << "--rho"
                                            << "0.7"
                                            << "--name"
                                            << "json-0.7"
                                            << "--json");
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const auto j = nlohmann::json::parse(r.out.toStdString()); // stdout is the object alone
    gt::store::ExperimentStore s(m_db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns({.text = "json-0.7"});
    QCOMPARE(runs.size(), size_t{1});
    QCOMPARE(j.at("run_id").get<int64_t>(), runs[0].id);
    QCOMPARE(j.at("steps").get<int64_t>(), int64_t{6});
    QVERIFY(!j.at("stopped").get<bool>());
    QCOMPARE(j.at("validation").at("rouge1").get<double>(),
             *s.evaluations(runs[0].id).back().rouge1);
    QVERIFY(j.at("planned_share").get<double>() <= 0.7 + 1e-9);
    // The headroom is the plan's: the same numbers gt plan reports for this model and shape.
    const auto plan = gt::test::runGt({"plan", "--model", m_model.path(), "--rho", "0.7", "--batch",
                                       "2", "--seq-len", "48", "--json"});
    QVERIFY2(plan.code == 0, qPrintable(plan.err));
    const auto pj = nlohmann::json::parse(plan.out.toStdString()).at("plan");
    QVERIFY(std::abs(j.at("min_rho").get<double>() - pj.at("min_rho").get<double>()) < 1e-9);
    QVERIFY(std::abs(j.at("spare_backward_share").get<double>() -
                     pj.at("spare_backward_share").get<double>()) < 1e-9);
    QVERIFY(j.at("plan").get<std::string>().find("rho_min") != std::string::npos);
    // Full fine-tuning has no plan, so no headroom to report.
    const auto full = gt::test::runGt(common("0") << "--method"
                                                  << "full"
                                                  << "--json");
    QVERIFY2(full.code == 0, qPrintable(full.err));
    const auto fj = nlohmann::json::parse(full.out.toStdString());
    QVERIFY(!fj.contains("min_rho") && !fj.contains("validation"));
    QCOMPARE(fj.at("planned_share").get<double>(), 1.0);
}

void TestCliTrain::fullAndTopKRuns() {
    const auto full = gt::test::runGt(common() << "--method"
                                               << "full"
                                               << "--name"
                                               << "full-ft");
    QVERIFY2(full.code == 0, qPrintable(full.err));
    QVERIFY(full.out.contains("planned cost 1.000 of full"));
    const auto top = gt::test::runGt(common("0") << "--method"
                                                 << "top-k"
                                                 << "--k"
                                                 << "1"
                                                 << "--name"
                                                 << "top1");
    QVERIFY2(top.code == 0, qPrintable(top.err));
    gt::store::ExperimentStore s(m_db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.listRuns({.method = "top-k-blocks"}).size(), size_t{1});
    const auto cmp = gt::test::runGt({"runs", "compare", "--db", m_db, "1", "2"});
    QVERIFY2(cmp.code == 0, qPrintable(cmp.err));
    QVERIFY(cmp.out.contains("run.method"));
}

void TestCliTrain::usageErrors() {
    QCOMPARE(gt::test::runGt({"train", "--model", m_model.path()}).code, 2);
    const auto bad = gt::test::runGt({"train", "--model", m_model.path(), "--preset", "scitldr"});
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains("--preset scitldr needs --data DIR"), qPrintable(bad.err));
    const auto method = gt::test::runGt(common() << "--method"
                                                 << "ia3");
    QCOMPARE(method.code, 2);
    QVERIFY2(method.err.contains("unknown method 'ia3'"), qPrintable(method.err));
}

// issue #5: SIGKILL mid-run, resume from the last checkpoint, same final weights as a run
// that was never interrupted (same seed).
void TestCliTrain::killedRunResumesToTheSameWeights() {
    auto args = [&](const QString& ckpt, const QString& db) {
        return QStringList{"train",
                           "--model",
                           m_model.path(),
                           "--train",
                           m_dir.filePath("train.jsonl"),
                           "--batch",
                           "2",
                           "--seq-len",
                           "48",
                           "--max-steps",
                           "40",
                           "--epochs",
                           "20",
                           "--interval",
                           "3",
                           "--eval-examples",
                           "0",
                           "--lr",
                           "1e-3",
                           "--threads",
                           "1",
                           "--checkpoint-dir",
                           ckpt,
                           "--checkpoint-every",
                           "4",
                           "--db",
                           db};
    };
    const QString a = m_dir.filePath("straight"), b = m_dir.filePath("killed");
    const auto straight = gt::test::runGt(args(a, m_dir.filePath("a.sqlite")));
    QVERIFY2(straight.code == 0, qPrintable(straight.err));

    QProcess p;
    p.start(QStringLiteral(GT_CLI_PATH), args(b, m_dir.filePath("b.sqlite")));
    QVERIFY(p.waitForStarted());
    QString err;
    while (!err.contains("step 10/40") && p.waitForReadyRead(30'000))
        err += QString::fromUtf8(p.readAllStandardError());
    p.kill(); // SIGKILL, mid-run
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
    QVERIFY(!gt::train::CheckpointFolder(b.toStdString()).checkpoints().empty());

    const auto resumed = gt::test::runGt({"resume", "--checkpoint", b});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.out.contains("finished after 40 steps"), qPrintable(resumed.out));
    // a named checkpoint folder keeps the finished run's last state
    using gt::train::CheckpointFolder;
    const auto wa = gt::io::SafetensorsFile::open(CheckpointFolder::resolve(a.toStdString()) /
                                                  "model.safetensors");
    const auto wb = gt::io::SafetensorsFile::open(CheckpointFolder::resolve(b.toStdString()) /
                                                  "model.safetensors");
    QCOMPARE(wa.tensors().size(), wb.tensors().size());
    for (const auto& t : wa.tensors()) {
        const auto* u = wb.find(t.name);
        QVERIFY(u && u->bytes == t.bytes);
        QVERIFY2(std::memcmp(t.data, u->data, t.bytes) == 0, t.name.c_str());
    }
    gt::store::ExperimentStore s(m_dir.filePath("b.sqlite").toStdString(),
                                 gt::store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns();
    QCOMPARE(runs.size(), size_t{1}); // the resumed run continues the same stored run
    QCOMPARE(runs[0].status, gt::store::RunStatus::Finished);
    QCOMPARE(s.series(runs[0].id, "train/loss").size(), size_t{40});
}

void TestCliTrain::interruptStopsCleanlyWithAResumableCheckpoint() {
    // As a user does it: gt runs in a shell, Ctrl+C (SIGINT) arrives once training has started.
    const QString db = m_dir.filePath("int.sqlite"), err = m_dir.filePath("int.err"),
                  out = m_dir.filePath("int.out");
    const QString script = QString(R"(
"$0" train --model "$1" --train "$2" --batch 2 --seq-len 48 --max-steps 100000 --epochs 100000 \
     --eval-examples 0 --threads 1 --db "$3" >"$4" 2>"$5" &
pid=$!
for i in $(seq 1 3000); do grep -q "step 3/" "$5" 2>/dev/null && break; sleep 0.01; done
kill -INT $pid
wait $pid
echo "exit=$?" >>"$4"
)");
    QProcess sh;
    sh.start("/bin/bash", {"-c", script, QStringLiteral(GT_CLI_PATH), m_model.path(),
                           m_dir.filePath("train.jsonl"), db, out, err});
    QVERIFY(sh.waitForFinished(120'000));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY2(text.contains("exit=130"), qPrintable(text));
    QVERIFY2(text.contains("stopped after") && text.contains("gt resume --run 1"),
             qPrintable(text));
    const QString ckpt = text.section("(checkpoints in ", 1).section(')', 0, 0).trimmed();
    QVERIFY2(gt::train::isCheckpoint(gt::train::CheckpointFolder::resolve(ckpt.toStdString())),
             qPrintable(ckpt));
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.listRuns().at(0).status, gt::store::RunStatus::Stopped);
}

void TestCliTrain::profileProbeFeedsPlan() {
    const QString file = m_dir.filePath("importance.json");
    const QStringList shape{"--batch", "2", "--seq-len", "48"};
    const auto r = gt::test::runGt(QStringList{"profile", "--model", m_model.path(), "--probe", "2",
                                               "--train", m_dir.filePath("train.jsonl"),
                                               "--threads", "1", "--importance-out", file, "--json"}
                                   << shape);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("importance probe: pass 4/4"));
    const auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["probe"]["batches"].get<int>(), 2);
    double largest = 0;
    for (const auto& t : j["tensors"])
        largest = std::max(largest, std::abs(t.at("importance").get<double>()));
    QCOMPARE(largest, 1.0);
    std::ifstream in(file.toStdString());
    const auto saved = nlohmann::json::parse(in);
    QCOMPARE(saved.size(), j["tensors"].size());
    for (const auto& t : j["tensors"])
        QCOMPARE(saved.at(t["name"].get<std::string>()).get<double>(),
                 t["importance"].get<double>());
    // gt plan takes the file as its importance
    const auto plan = gt::test::runGt(QStringList{"plan", "--model", m_model.path(), "--rho", "0.6",
                                                  "--importance", file, "--json"}
                                      << shape);
    QVERIFY2(plan.code == 0, qPrintable(plan.err));
    const auto planned = nlohmann::json::parse(plan.out.toStdString())["plan"];
    QCOMPARE(QString::fromStdString(planned["importance"].get<std::string>()), file);
    QVERIFY(planned["importance_sum"].get<double>() > 0);
    // --importance-out without a probe, and a probe without data, are usage errors
    QCOMPARE(gt::test::runGt({"profile", "--model", m_model.path(), "--importance-out", file}).code,
             2);
    const auto noData = gt::test::runGt({"profile", "--model", m_model.path(), "--probe", "1"});
    QCOMPARE(noData.code, 2);
    QVERIFY(noData.err.contains("--preset"));
}

void TestCliTrain::energyIsRecordedWhereCountersExist() {
    // A powercap tree written here stands in for RAPL (a VM has none): its counter does not
    // move, so the run measures 0 J, but the source, the per-step series and the total land.
    const std::filesystem::path root = m_dir.filePath("powercap").toStdString();
    std::filesystem::create_directories(root / "intel-rapl:0");
    std::ofstream(root / "intel-rapl:0" / "energy_uj") << "123456\n";
    std::ofstream(root / "intel-rapl:0" / "name") << "package-0\n";
    const QString db = m_dir.filePath("energy.sqlite");
    qputenv("GT_POWERCAP_ROOT", QByteArray::fromStdString(root.string()));
    QStringList args = common("0");
    args[args.indexOf(m_db)] = db;
    const auto r = gt::test::runGt(args << "--method"
                                        << "full");
    qunsetenv("GT_POWERCAP_ROOT");
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("energy 0.0 J, measured:rapl (rapl: intel-rapl:0 (package-0))"),
             qPrintable(r.out));
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    const auto run = s.listRuns().at(0);
    QCOMPARE(run.energySource, std::string("rapl: intel-rapl:0 (package-0)"));
    QCOMPARE(run.energyMethod, std::string("measured:rapl"));
    QVERIFY(!run.co2Grams); // no grid intensity given: no carbon figure, not a guessed one
    QCOMPARE(run.energyJoules.value_or(-1), 0.0);
    QCOMPARE(s.series(run.id, "energy_j").size(), size_t(6));
}

void TestCliTrain::pinnedTensorsTrainEveryRound() {
    // the tiny GPT-2: pin in the last block's MLP, pin out its attention output projections
    auto r = gt::test::runGt(common() << "--rho"
                                      << "0.7"
                                      << "--interval"
                                      << "1"
                                      << "--include"
                                      << "h\\.1\\.mlp\\."
                                      << "--exclude"
                                      << "attn\\.c_proj"
                                      << "--name"
                                      << "pinned");
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    gt::store::ExperimentStore s(m_db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns({.text = "pinned"});
    QCOMPARE(runs.size(), size_t{1});
    const auto config = nlohmann::json::parse(runs[0].configJson);
    QVERIFY(config.at("include") == nlohmann::json::array({"h\\.1\\.mlp\\."}));
    QVERIFY(config.at("exclude") == nlohmann::json::array({"attn\\.c_proj"}));
    const auto rounds = s.snapshotRounds(runs[0].id);
    QCOMPARE(rounds.size(), size_t{2});
    for (int round : rounds) {
        int mlp = 0;
        for (const auto& t : s.tensorSnapshots(runs[0].id, round)) {
            if (t.tensor.find("h.1.mlp.") != std::string::npos) {
                QVERIFY2(t.selected, t.tensor.c_str());
                ++mlp;
            }
            if (t.tensor.find("attn.c_proj") != std::string::npos)
                QVERIFY2(!t.selected, t.tensor.c_str());
        }
        QCOMPARE(mlp, 4); // c_fc and c_proj, weights and biases
    }
    QVERIFY(*runs[0].plannedMacs <= 0.7 * *runs[0].fullMacs * (1 + 1e-9));

    // refused before anything is stored: a pattern that matches nothing, pins over budget, pins
    // with another method
    const size_t stored = s.listRuns({}).size();
    r = gt::test::runGt(common() << "--include"
                                 << "layers\\.0\\.");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("matches no tensor") && r.err.contains("transformer.wte.weight"),
             qPrintable(r.err));
    r = gt::test::runGt(common() << "--rho"
                                 << "0.5"
                                 << "--include"
                                 << "wte");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("raise rho or pin fewer"), qPrintable(r.err));
    r = gt::test::runGt(common() << "--method"
                                 << "full"
                                 << "--include"
                                 << "wte");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("are for GreenTrainer"), qPrintable(r.err));
    QCOMPARE(s.listRuns({}).size(), stored);
}

// Issue #22's acceptance: prefix tuning, LISA, BAdam and FreezeOut each train the starter model
// for 4 steps, and `gt runs show --json` has the planned MAC share of every round; the rounds
// come where each method's schedule puts them (FreezeOut on 6 blocks, t0 0.5, 4 steps: block 0
// freezes at step 2, blocks 1-3 at step 3).
void TestCliTrain::newBaselinesRunOnTheStarter() {
    const QString starter = QStringLiteral(GT_REPO_RESOURCES_DIR) + "/models/starter";
    const QString db = m_dir.filePath("baselines.sqlite");
    const std::map<QString, std::vector<int64_t>> roundSteps = {
        {"prefix", {0}}, {"lisa", {0, 2}}, {"badam", {0, 2}}, {"freezeout", {0, 2, 3}}};
    int64_t id = 0;
    for (const auto& [method, steps] : roundSteps) {
        const auto r = gt::test::runGt(
            {"train", "--model",  starter, "--preset",        "debian", "--limit",
             "16",    "--batch",  "2",     "--seq-len",       "64",     "--max-steps",
             "4",     "--method", method,  "--lisa-interval", "2",      "--badam-interval",
             "2",     "--lr",     "1e-3",  "--threads",       "1",      "--eval-examples",
             "0",     "--db",     db});
        QVERIFY2(r.code == 0, qPrintable(method + ": " + r.err));
        QVERIFY2(r.out.contains("finished after 4 steps"), qPrintable(r.out));
        ++id;
        const auto show =
            gt::test::runGt({"runs", "show", QString::number(id), "--json", "--db", db});
        QVERIFY2(show.code == 0, qPrintable(show.err));
        const auto j = nlohmann::json::parse(show.out.toStdString());
        QCOMPARE(QString::fromStdString(j.at("method").get<std::string>()), method);
        const double share = j.at("planned_macs").get<double>() / j.at("full_macs").get<double>();
        QVERIFY2(share > 0.2 && share < 1.0, qPrintable(method + QString(" %1").arg(share)));
        std::vector<int64_t> got;
        double previous = 2.0;
        for (const auto& round : j.at("rounds")) {
            got.push_back(round.at("step").get<int64_t>());
            const double s = round.at("planned_share").get<double>();
            QVERIFY(s > 0.0 && s <= 1.0); // FreezeOut starts as full fine-tuning
            if (method == "freezeout") QVERIFY(s < previous); // each freeze saves more
            previous = s;
        }
        QCOMPARE(got, steps);
    }
}

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
