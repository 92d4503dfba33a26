// Parallel-coordinates axes from a real store file: varied settings become numeric or
// categorical axes (method and rho first, the seed left out, equal settings left out), then
// the outcomes any run has, one value per run in the order asked.
#include "core/store/experiment_store.h"
#include "core/store/parallel_axes.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace gt::store;

class TestParallelAxes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void settingsThenOutcomes();
};

void TestParallelAxes::settingsThenOutcomes() {
    QTemporaryDir dir;
    ExperimentStore s(std::filesystem::path(dir.path().toStdString()) / "runs.sqlite");
    auto add = [&](const std::string& method, std::optional<double> rho, const std::string& cfg,
                   std::optional<double> rouge) {
        NewRun r;
        r.name = method;
        r.method = method;
        r.rho = rho;
        r.configJson = cfg;
        const int64_t id = s.createRun(r);
        if (rouge) {
            Evaluation e;
            e.rouge1 = rouge;
            s.addEvaluation(id, e);
        }
        return id;
    };
    const int64_t a = add(
        "greentrainer", 0.5,
        R"({"lr": 1e-4, "seed": 1, "opt": "adamw", "method": "greentrainer", "rho": 0.5})", 30.0);
    const int64_t b =
        add("full", std::nullopt,
            R"({"lr": 2e-4, "seed": 2, "opt": "adamw", "method": "full", "rho": 0.5})", 32.0);
    const int64_t c =
        add("greentrainer", 0.7,
            R"({"lr": 1e-4, "seed": 3, "opt": "adamw", "method": "greentrainer", "rho": 0.7})", {});
    const auto axes = parallelAxes(s, {a, b, c});
    QStringList keys;
    for (const auto& x : axes)
        keys << QString::fromStdString(x.key);
    // opt is equal, the seed is left out, and so are the configuration's method and rho (the
    // run's own say it; full FT's configuration keeps rho 0.5, its run has none); train loss
    // etc. exist in no run
    QCOMPARE(keys, (QStringList{"run.method", "run.rho", "lr", "rouge1"}));
    const ParallelAxis& method = axes[0];
    QVERIFY(method.categorical && !method.outcome);
    QCOMPARE(method.label, std::string("method"));
    QCOMPARE(method.categories, (std::vector<std::string>{"greentrainer", "full"}));
    QCOMPARE(method.values, (std::vector<std::optional<double>>{0.0, 1.0, 0.0}));
    const ParallelAxis& rho = axes[1];
    QVERIFY(!rho.categorical);
    QCOMPARE(rho.values, (std::vector<std::optional<double>>{0.5, std::nullopt, 0.7}));
    QCOMPARE(axes[2].values, (std::vector<std::optional<double>>{1e-4, 2e-4, 1e-4}));
    const ParallelAxis& rouge = axes[3];
    QVERIFY(rouge.outcome);
    QCOMPARE(rouge.values, (std::vector<std::optional<double>>{30.0, 32.0, std::nullopt}));
    // at most maxSettings settings, method and rho kept first
    const auto two = parallelAxes(s, {a, b, c}, 2);
    QCOMPARE(two.size(), size_t(3));
    QCOMPARE(two[1].key, std::string("run.rho"));
    // one run: nothing varies, only its outcomes
    const auto single = parallelAxes(s, {a});
    QCOMPARE(single.size(), size_t(1));
    QCOMPARE(single[0].key, std::string("rouge1"));
}

QTEST_GUILESS_MAIN(TestParallelAxes)
#include "tst_parallel_axes.moc"
