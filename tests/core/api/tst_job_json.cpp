// The job <-> JSON field table: every field survives a round trip, the stored configuration
// holds every training setting (the Runs page diffs it) and no path, an older checkpoint's
// missing keys keep their defaults, and a run with the retired accounting/order pairing is
// refused.
#include "core/api/job_json.h"

#include <QTest>

using namespace gt;

class TestJobJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFieldRoundTrips();
    void configHoldsTheSettingsNotThePaths();
    void olderJobsKeepDefaults();
    void retiredOrderIsRefused();
};

namespace {

/// A job with every field away from its default.
api::TrainJob unusualJob() {
    api::TrainJob j;
    j.modelDir = "/m";
    j.dataDir = "/d";
    j.preset = "dialogsum";
    j.trainFile = "/t.jsonl";
    j.validationFile = "/v.jsonl";
    j.sourceField = "dialogue";
    j.targetField = "summary";
    j.holdOut = 0.25;
    j.maxTrainExamples = 123;
    j.maxLength = 77;
    j.batchSize = 3;
    j.appendEos = false;
    j.dbPath = "/db.sqlite";
    j.runName = "named";
    j.tags = {"a", "b"};
    j.evalExamples = 9;
    j.maxNewTokens = 11;
    j.noRepeatNgram = 2;
    j.checkpointDir = "/ck";
    j.checkpointEvery = 13;
    j.checkpoints = false;
    j.checkpointMinutes = 2.5;
    j.exportDir = "/ex";
    j.evalEvery = 17;
    auto& o = j.options;
    o.method = train::Method::Lora;
    o.rho = 0.63;
    o.topBlocks = 5;
    o.loraRank = 4;
    o.loraAlpha = 8;
    o.loraDropout = 0.2;
    o.loraTargets = {"q_proj"};
    o.reselectEveryEpochs = 3;
    o.selector.kind = green::SelectorKind::PaperDp;
    o.selector.resolution = 2000;
    o.accounting = green::Accounting::Paper;
    o.paperProbe = true;
    o.probeBatches = 4;
    o.learningRate = 3e-4;
    o.weightDecay = 0.05;
    o.warmupSteps = 7;
    o.epochs = 2;
    o.maxSteps = 99;
    o.gradAccumulation = 2;
    o.clipGradNorm = 1.5;
    o.seed = 1234;
    o.threads = 3;
    return j;
}

} // namespace

void TestJobJson::everyFieldRoundTrips() {
    const api::TrainJob j = unusualJob();
    const nlohmann::json json = api::jobToJson(j);
    const api::TrainJob back = api::jobFromJson(json);
    QVERIFY2(api::jobToJson(back) == json, api::jobToJson(back).dump().c_str());
    // spot checks through the struct, not only through the JSON
    QCOMPARE(back.options.method, train::Method::Lora);
    QCOMPARE(back.options.selector.kind, green::SelectorKind::PaperDp);
    QCOMPARE(back.options.selector.resolution, int64_t{2000});
    QCOMPARE(back.options.probeBatches, 4);
    QCOMPARE(back.tags, j.tags);
    QCOMPARE(back.evalEvery, int64_t{17});
    QCOMPARE(back.holdOut, 0.25);
    QCOMPARE(back.checkpoints, false);
    QCOMPARE(back.checkpointMinutes, 2.5);
    QCOMPARE(json["order"].get<std::string>(), std::string("registration")); // paper accounting
}

void TestJobJson::configHoldsTheSettingsNotThePaths() {
    const nlohmann::json c = api::configJson(unusualJob());
    for (const char* key : {"method", "rho", "selector", "selector_resolution", "probe_batches",
                            "accounting", "order", "lr", "seed", "batch_size", "max_length"})
        QVERIFY2(c.contains(key), key);
    for (const char* key : {"model_dir", "db_path", "checkpoint_dir", "export_dir", "run_name"})
        QVERIFY2(!c.contains(key), key);
    QCOMPARE(c["method"].get<std::string>(), std::string("lora"));
    QCOMPARE(c["selector"].get<std::string>(), std::string("paper-dp"));
}

void TestJobJson::olderJobsKeepDefaults() {
    const nlohmann::json old = {{"method", "full"}, {"rho", 0.5}, {"model_dir", "/m"}};
    const api::TrainJob j = api::jobFromJson(old);
    const api::TrainJob defaults;
    QCOMPARE(j.options.method, train::Method::Full);
    QCOMPARE(j.modelDir, std::string("/m"));
    QCOMPARE(j.options.probeBatches, defaults.options.probeBatches);
    QCOMPARE(j.noRepeatNgram, defaults.noRepeatNgram);
    QCOMPARE(j.batchSize, defaults.batchSize);
}

void TestJobJson::retiredOrderIsRefused() {
    nlohmann::json j = api::jobToJson(api::TrainJob{});
    j["order"] = "registration"; // with exact accounting
    try {
        api::jobFromJson(j);
        QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("pairs exact accounting with the registration order"),
                 e.what());
    }
    j["accounting"] = "paper"; // the pairing the paper's rules are defined for
    QCOMPARE(api::jobFromJson(j).options.accounting, green::Accounting::Paper);
}

QTEST_GUILESS_MAIN(TestJobJson)
#include "tst_job_json.moc"
