// Seed groups on a real store file: runs that differ only by seed are grouped, the settings
// that tell groups apart label them, and outcomes are summarised as mean and 95% t-interval.
// The t quantiles and intervals below are worked by hand / quoted from scipy.stats.t.ppf,
// not produced by the code under test.
#include "core/store/experiment_store.h"
#include "core/store/run_outcome.h"
#include "core/store/seed_groups.h"
#include "core/store/sqlite_db.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace gt::store;

class TestSeedGroups : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void tQuantilesMatchStudentT();
    void meanIntervalOfThreeSeeds();
    void groupsRunsThatDifferOnlyBySeed();
    void groupOutcomeAveragesWhatEachRunHas();
    void unknownRunIsAnError();

private:
    int64_t newRun(ExperimentStore& s, double rho, const std::string& config,
                   std::optional<double> rouge1 = std::nullopt) {
        NewRun r;
        r.name = "run";
        r.method = "greentrainer";
        r.rho = rho;
        r.configJson = config;
        const int64_t id = s.createRun(r);
        if (rouge1) {
            Evaluation e;
            e.step = 10;
            e.split = "test";
            e.examples = 8;
            e.rouge1 = rouge1;
            s.addEvaluation(id, e);
        }
        return id;
    }
    std::filesystem::path dbPath() const {
        return std::filesystem::path(m_dir->path().toStdString()) / "runs.sqlite";
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSeedGroups::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestSeedGroups::tQuantilesMatchStudentT() {
    // scipy.stats.t.ppf(0.975, dof)
    const std::vector<std::pair<int, double>> ref{
        {1, 12.706205}, {2, 4.302653},  {9, 2.262157},   {29, 2.045230},  {31, 2.039513},
        {40, 2.021075}, {60, 2.000298}, {120, 1.979930}, {1000, 1.962339}};
    for (const auto& [dof, t] : ref)
        QVERIFY2(std::abs(tQuantile975(dof) - t) < 1e-4, qPrintable(QString::number(dof)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tQuantile975(0));
}

void TestSeedGroups::meanIntervalOfThreeSeeds() {
    // mean 30.4667; s = sqrt(1.32667 / 2) = 0.81445; half width 4.3027 * s / sqrt(3) = 2.0232
    const auto m = meanInterval({30.1, 31.4, 29.9});
    QVERIFY(m);
    QCOMPARE(m->n, 3);
    QVERIFY(std::abs(m->mean - 30.466667) < 1e-5);
    QVERIFY(m->halfWidth);
    QVERIFY(std::abs(*m->halfWidth - 2.0232) < 1e-3);
    const auto one = meanInterval({7.0});
    QVERIFY(one && one->mean == 7.0 && one->n == 1 && !one->halfWidth);
    QVERIFY(!meanInterval({}));
}

void TestSeedGroups::groupsRunsThatDifferOnlyBySeed() {
    ExperimentStore s(dbPath());
    const int64_t a1 = newRun(s, 0.5, R"({"seed": 1, "lr": 0.0001})");
    const int64_t b1 = newRun(s, 0.7, R"({"seed": 1, "lr": 0.0001})");
    const int64_t a2 = newRun(s, 0.5, R"({"seed": 2, "lr": 0.0001})");
    const int64_t c1 = newRun(s, 0.5, R"({"seed": 1, "lr": 0.0002})");
    const int64_t a3 = newRun(s, 0.5, R"({"lr": 0.0001, "seed": 3})");
    const int64_t b2 = newRun(s, 0.7, R"({"seed": 2, "lr": 0.0001})");
    const auto groups = groupBySeed(s, {a1, b1, a2, c1, a3, b2});
    QCOMPARE(groups.size(), size_t(3));
    QCOMPARE(groups[0].runIds, (std::vector<int64_t>{a1, a2, a3}));
    QCOMPARE(groups[0].seeds, (std::vector<std::string>{"1", "2", "3"}));
    QCOMPARE(groups[1].runIds, (std::vector<int64_t>{b1, b2}));
    QCOMPARE(groups[2].runIds, (std::vector<int64_t>{c1}));
    // lr and rho tell the groups apart; the seed never labels a group
    using Setting = std::pair<std::string, std::string>;
    QCOMPARE(groups[0].settings, (std::vector<Setting>{{"lr", "0.0001"}, {"run.rho", "0.5"}}));
    QCOMPARE(groups[1].settings, (std::vector<Setting>{{"lr", "0.0001"}, {"run.rho", "0.7"}}));
    QCOMPARE(groups[2].settings, (std::vector<Setting>{{"lr", "0.0002"}, {"run.rho", "0.5"}}));
    // one group of identical configurations has nothing to tell it apart
    const auto same = groupBySeed(s, {a2, a1});
    QCOMPARE(same.size(), size_t(1));
    QVERIFY(same[0].settings.empty());
}

void TestSeedGroups::groupOutcomeAveragesWhatEachRunHas() {
    ExperimentStore s(dbPath());
    const int64_t r1 = newRun(s, 0.5, R"({"seed": 1})", 30.1);
    const int64_t r2 = newRun(s, 0.5, R"({"seed": 2})", 31.4);
    const int64_t r3 = newRun(s, 0.5, R"({"seed": 3})", 29.9);
    const int64_t r4 = newRun(s, 0.5, R"({"seed": 4})"); // no evaluation yet
    s.finishRun(r1, RunStatus::Finished, RunTotals{10.0, std::nullopt, 40.0, 100.0});
    // the last peak-memory point counts, not the largest or the first
    s.appendMetrics(r2, {{"peak_rss_mib", 1, 300.0}, {"peak_rss_mib", 2, 420.0}});
    s.appendMetrics(r3, {{"peak_rss_mib", 2, 380.0}});
    const auto groups = groupBySeed(s, {r1, r2, r3, r4});
    QCOMPARE(groups.size(), size_t(1));
    const auto out = groupOutcome(s, groups[0]);
    QCOMPARE(out.size(), outcomeFields().size());
    auto field = [&](const std::string& key) {
        for (size_t i = 0; i < outcomeFields().size(); ++i)
            if (outcomeFields()[i].key == key) return out[i];
        return std::optional<MeanInterval>();
    };
    const auto rouge = field("rouge1");
    QVERIFY(rouge);
    QCOMPARE(rouge->n, 3); // the run without an evaluation is left out, not counted as 0
    QVERIFY(std::abs(rouge->mean - 30.466667) < 1e-5);
    QVERIFY(std::abs(*rouge->halfWidth - 2.0232) < 1e-3);
    const auto share = field("mac_share");
    QVERIFY(share && share->n == 1 && std::abs(share->mean - 0.4) < 1e-12);
    QVERIFY(!field("energy_joules"));
    const auto peak = field("peak_mib");
    QVERIFY(peak && peak->n == 2 && std::abs(peak->mean - 400.0) < 1e-12);
    QCOMPARE(runOutcome(s, r1).evalSplit, std::string("test"));
}

void TestSeedGroups::unknownRunIsAnError() {
    ExperimentStore s(dbPath());
    const int64_t id = newRun(s, 0.5, "{}");
    try {
        groupBySeed(s, {id, id + 5});
        QFAIL("no error for an unknown run");
    } catch (const StoreError& e) {
        QVERIFY(QString(e.what()).contains("no run with id " + QString::number(id + 5)));
        QVERIFY(QString(e.what()).contains("runs.sqlite"));
    }
}

QTEST_GUILESS_MAIN(TestSeedGroups)
#include "tst_seed_groups.moc"
