// A run's cost as a share of full fine-tuning: planned FLOPs from the run itself; measured
// time and energy against the newest finished full-FT run of the same model and data.
#include "core/store/cost_share.h"

#include <QTest>

using namespace gt::store;

class TestCostShare : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plannedFlopsFromTheRunItself();
    void measuredAgainstTheNewestMatchingFullRun();
    void noReferenceNoShare();
    void energyIsDividedOnlyByTheSameMethod();
};

namespace {
RunRecord record(int64_t id, const std::string& method, std::optional<double> seconds,
                 const std::string& model = "starter", const std::string& data = "debian") {
    RunRecord r;
    r.id = id;
    r.method = method;
    r.status = RunStatus::Finished;
    r.modelPath = model;
    r.dataset = data;
    r.wallSeconds = seconds;
    return r;
}
} // namespace

void TestCostShare::plannedFlopsFromTheRunItself() {
    RunRecord r = record(1, "greentrainer", 10);
    r.plannedMacs = 3e9;
    r.fullMacs = 6e9;
    QCOMPARE(*costShare(r, {r}, CostAxis::PlannedFlops), 0.5);
    r.fullMacs = 0; // nothing to divide by
    QVERIFY(!costShare(r, {r}, CostAxis::PlannedFlops));
    r.fullMacs = 6e9;
    r.status = RunStatus::Stopped; // an unfinished run is not a point on the chart
    QVERIFY(!costShare(r, {r}, CostAxis::PlannedFlops));
}

void TestCostShare::measuredAgainstTheNewestMatchingFullRun() {
    const std::vector<RunRecord> all{
        record(1, "full", 200),                  // older full run
        record(2, "full", 100),                  // the newest matching: the reference
        record(3, "full", 50, "opt-125m"),       // another model
        record(4, "full", 25, "starter", "sci"), // other data
        record(5, "greentrainer", 60),
        record(6, "lora", 80, "opt-125m"),
    };
    QCOMPARE(*costShare(all[4], all, CostAxis::TrainingTime), 0.6);
    QCOMPARE(*costShare(all[5], all, CostAxis::TrainingTime), 1.6); // against run 3
    QCOMPARE(*costShare(all[1], all, CostAxis::TrainingTime), 1.0);
}

void TestCostShare::noReferenceNoShare() {
    std::vector<RunRecord> all{record(1, "full", std::nullopt), record(2, "greentrainer", 60)};
    QVERIFY(!costShare(all[1], all, CostAxis::TrainingTime)); // the full run has no time
    all[0].status = RunStatus::Failed;
    all[0].wallSeconds = 100;
    QVERIFY(!costShare(all[1], all, CostAxis::TrainingTime));   // a failed run is no reference
    QVERIFY(!costShare(all[1], all, CostAxis::MeasuredEnergy)); // no energy measured at all
}

void TestCostShare::energyIsDividedOnlyByTheSameMethod() {
    std::vector<RunRecord> all{record(1, "full", 100), record(2, "full", 100),
                               record(3, "greentrainer", 60)};
    for (auto& r : all)
        r.energyJoules = r.wallSeconds ? std::optional<double>(*r.wallSeconds * 40) : std::nullopt;
    all[0].energyMethod = "measured:rapl";
    all[0].energyJoules = 3000;
    all[1].energyMethod = "estimated:cpu-model"; // newer, but an estimate
    all[2].energyMethod = "measured:rapl";
    all[2].co2Grams = 0.5;
    QCOMPARE(*costShare(all[2], all, CostAxis::MeasuredEnergy), 0.8); // 2400 / 3000, not / 4000
    all[0].energyMethod = "estimated:user-watts";
    QVERIFY(!costShare(all[2], all, CostAxis::MeasuredEnergy)); // no full run measured alike
    QCOMPARE(*costShare(all[2], all, CostAxis::EnergyKj), 2.4); // absolute: no reference needed
    QCOMPARE(*costShare(all[2], all, CostAxis::Co2Grams), 0.5);
    QVERIFY(!costShare(all[1], all, CostAxis::Co2Grams)); // no grid, no carbon
}

QTEST_GUILESS_MAIN(TestCostShare)
#include "tst_cost_share.moc"
