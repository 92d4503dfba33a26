// The pre-flight card on the shipped starter model: the weights it counts are the weights the
// model file holds, gradients and AdamW state follow the trained tensors, activations the
// blocks backprop reaches (none for a head-only plan, all for full fine-tuning), time is the
// stated rule on the given GEMM rate, CO2 is energy times the grid, and recalibration
// extrapolates the measured pace and power over the whole run.
#include "core/api/cost_explorer.h"
#include "core/api/preflight.h"
#include "core/green/baseline_plans.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <filesystem>

using namespace gt;

class TestPreflight : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void memoryFollowsWhatTrains();
    void timeEnergyAndCarbonFollowTheirRules();
    void recalibrationExtrapolatesTheMeasuredPace();

private:
    api::PreflightInput input(const green::Plan& plan) const;
    std::optional<api::CostExplorer> m_model;
    const std::filesystem::path m_dir =
        std::filesystem::path(GT_REPO_RESOURCES_DIR) / "models" / "starter";
};

void TestPreflight::initTestCase() {
    m_model = api::CostExplorer::open(m_dir, {8, 256});
}

api::PreflightInput TestPreflight::input(const green::Plan& plan) const {
    api::PreflightInput in;
    in.config = m_model->config();
    in.catalogue = m_model->catalogue();
    in.shape = m_model->shape();
    in.plan = plan;
    in.steps = 200;
    in.gemmGflops = 100;
    in.threads = 2;
    in.runtimeBytes = 100 << 20;
    in.footprint.powerWatts = 20;
    in.footprint.gridIntensity = 400;
    return in;
}

void TestPreflight::memoryFollowsWhatTrains() {
    const auto& costs = m_model->costs(green::Accounting::Exact);
    const auto full = green::fullFineTuningPlan(m_model->catalogue(), costs);
    const auto m = api::estimateTrainingMemory(m_model->config(), m_model->catalogue(),
                                               m_model->shape(), full);
    // float32 weights: the safetensors file is them plus its JSON header (a few kB)
    const auto file = static_cast<int64_t>(std::filesystem::file_size(m_dir / "model.safetensors"));
    QVERIFY2(m.weights <= file && m.weights > file - 64 * 1024,
             qPrintable(QString("%1 vs file %2").arg(m.weights).arg(file)));
    QCOMPARE(m.gradients, m.weights); // everything trains
    QCOMPARE(m.optimizer, 2 * m.gradients);
    QCOMPARE(m.blocksReached, 6);
    QVERIFY(m.activations > 0 && m.logits > 0);

    const auto top = green::topBlocksPlan(m_model->catalogue(), costs, 2);
    const auto t =
        api::estimateTrainingMemory(m_model->config(), m_model->catalogue(), m_model->shape(), top);
    QCOMPARE(t.blocksReached, 2);
    QCOMPARE(t.activations * 3, m.activations); // 2 of 6 blocks keep theirs
    QVERIFY(t.gradients < m.gradients && t.optimizer == 2 * t.gradients);
    QCOMPARE(t.logits, m.logits); // the logits exist whatever trains

    green::Plan head = full; // only the final norm: no block's activations are kept
    std::fill(head.selected.begin(), head.selected.end(), 0);
    for (size_t i = 0; i < m_model->catalogue().size(); ++i)
        if (m_model->catalogue()[i].role == model::TensorRole::FinalNorm) {
            head.selected[i] = 1;
            head.deepest = static_cast<int>(i);
        }
    QCOMPARE(
        api::estimateTrainingMemory(m_model->config(), m_model->catalogue(), m_model->shape(), head)
            .activations,
        int64_t{0});
}

void TestPreflight::timeEnergyAndCarbonFollowTheirRules() {
    const auto plan =
        green::fullFineTuningPlan(m_model->catalogue(), m_model->costs(green::Accounting::Exact));
    const api::PreflightCard c = api::preflight(input(plan));
    const double seconds = 2 * plan.plannedMacs / (100e9 * api::kTrainingGemmEfficiency);
    QCOMPARE(c.secondsPerStep, seconds);
    QCOMPARE(c.totalSeconds, 200 * seconds);
    QCOMPARE(c.energyMethod, std::string("estimated:user-watts"));
    QCOMPARE(*c.joules, 20 * 200 * seconds);
    QCOMPARE(*c.gridGPerKwh, 400.0);
    QCOMPARE(*c.co2Grams, *c.joules / 3.6e6 * 400);
    const auto m = api::estimateTrainingMemory(m_model->config(), m_model->catalogue(),
                                               m_model->shape(), plan);
    QCOMPARE(c.peakBytes, (int64_t{100} << 20) + m.total());
    const std::string text = api::preflightText(c);
    QVERIFY(text.find("estimated:user-watts") != std::string::npos);
    QVERIFY(text.find("peak memory") != std::string::npos);
    // no grid: no CO2, said so; JSON carries nulls
    api::PreflightInput in = input(plan);
    in.footprint.gridIntensity = -1;
    const auto noGrid = api::preflight(in);
    QVERIFY(!noGrid.co2Grams);
    QVERIFY(api::preflightText(noGrid).find("no grid intensity given") != std::string::npos);
    QVERIFY(api::preflightJson(noGrid)["co2_grams"].is_null());
}

void TestPreflight::recalibrationExtrapolatesTheMeasuredPace() {
    const auto plan =
        green::fullFineTuningPlan(m_model->catalogue(), m_model->costs(green::Accounting::Exact));
    const auto c = api::recalibrate(api::preflight(input(plan)), 3, 0.5, 10.0, "measured:rapl", 200,
                                    700 << 20);
    QVERIFY(c.measured);
    QCOMPARE(c.measured->totalSeconds, 100.0);
    QCOMPARE(*c.measured->joules, 2000.0);
    QCOMPARE(*c.measured->co2Grams, 2000 / 3.6e6 * 400);
    QCOMPARE(c.measured->energyMethod, std::string("measured:rapl"));
    const auto j = api::preflightJson(c);
    QCOMPARE(j["measured"]["steps"].get<int>(), 3);
    QCOMPARE(j["measured"]["peak_bytes"].get<int64_t>(), int64_t{700} << 20);
    QVERIFY(api::preflightText(c).find("measured") != std::string::npos);
    // a run without an energy figure still gets its pace
    const auto none =
        api::recalibrate(api::preflight(input(plan)), 3, 0.5, std::nullopt, "", 200, 0);
    QVERIFY(!none.measured->joules && !none.measured->co2Grams);
}

QTEST_APPLESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
