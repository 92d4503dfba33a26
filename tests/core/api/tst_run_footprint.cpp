// A run's footprint across the budget modes and across a resume: the deadline's rho is the
// documented rule (seconds per step per unit of planned share measured so far, the rest of the
// run at that pace), the budget combinations are refused or accepted as --help says, and the
// state a checkpoint keeps comes back whole, so a resumed session continues the run's clock,
// energy, CO2 and open round instead of starting them again.
#include "core/api/run_footprint.h"

#include <nlohmann/json.hpp>

#include <QTest>

using gt::api::FootprintOptions;
using gt::api::FootprintState;
using gt::api::RunFootprint;

class TestRunFootprint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deadlineRhoFollowsTheMeasuredPace();
    void budgetCombinations();
    void stateSurvivesACheckpoint();
    void resumedSessionContinuesTheRun();
};

namespace {
FootprintOptions deadline(double hours) {
    FootprintOptions o;
    o.rhoSchedule = "budget";
    o.rhoLow = 0.5;
    o.rhoHigh = 0.9;
    o.deadlineHours = hours;
    o.powerWatts = 40;
    return o;
}
} // namespace

void TestRunFootprint::deadlineRhoFollowsTheMeasuredPace() {
    RunFootprint f(deadline(1.0));      // 3600 s
    QCOMPARE(f.budgetRho(0, 100), 0.5); // nothing measured: the low end
    for (int i = 0; i < 10; ++i)
        f.countStep(0.5); // 5 share-steps in the first 100 s: 20 s per unit of share
    // rho = (3600 - 100) / (20 x steps left), clamped to the range
    QCOMPARE(f.budgetRho(100, 100), 0.9); // 1.75
    QCOMPARE(f.budgetRho(100, 250), 0.7); // 3500 / 5000
    QCOMPARE(f.budgetRho(100, 400), 0.5); // 0.4375: the budget cannot be kept, the low end
    QCOMPARE(f.budgetRho(100, 0), 0.5);   // nothing left to plan
    QCOMPARE(f.budgetRho(3000, 20), 0.5); // 600 / (300 x 20): late and slow
}

void TestRunFootprint::budgetCombinations() {
    FootprintOptions o = deadline(0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RunFootprint{o});
    try {
        RunFootprint{o};
    } catch (const std::invalid_argument& e) {
        QVERIFY(std::string(e.what()).find("--deadline HOURS") != std::string::npos);
    }
    o.deadlineHours = 2;
    o.powerWatts = 0; // a deadline needs no energy figure
    o.gridIntensity = -1;
    QVERIFY(RunFootprint(o).budgeted());
    o.rhoLow = 0.9;
    o.rhoHigh = 0.5;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RunFootprint{o});
}

void TestRunFootprint::stateSurvivesACheckpoint() {
    FootprintState s{1234.5, 9.75e4, 3.25, 17.5, gt::store::RoundRecord{}, 8e4, 2.5};
    s.open->round = 3;
    s.open->step = 12;
    s.open->rho = 0.625;
    s.open->plannedShare = 0.6;
    s.open->gridGPerKwh = 310.5;
    const auto back = gt::api::footprintStateFromJson(
        nlohmann::json::parse(gt::api::footprintStateJson(s).dump()));
    QCOMPARE(back.seconds, s.seconds);
    QCOMPARE(back.joules, s.joules);
    QCOMPARE(back.co2, s.co2);
    QCOMPARE(back.shareSteps, s.shareSteps);
    QCOMPARE(back.openJoules, s.openJoules);
    QCOMPARE(back.openCo2, s.openCo2);
    QVERIFY(back.open);
    QCOMPARE(back.open->round, 3);
    QCOMPARE(back.open->step, int64_t{12});
    QCOMPARE(*back.open->rho, 0.625);
    QCOMPARE(back.open->plannedShare, 0.6);
    QCOMPARE(*back.open->gridGPerKwh, 310.5);
    QVERIFY(!back.open->plannedJoules);
    // an older checkpoint has no footprint: the run's footprint starts there
    const auto none = gt::api::footprintStateFromJson(nlohmann::json::object());
    QCOMPARE(none.seconds, 0.0);
    QVERIFY(!none.open);
}

void TestRunFootprint::resumedSessionContinuesTheRun() {
    FootprintOptions o;
    o.powerWatts = 40;
    o.gridIntensity = 500;
    RunFootprint f(o);
    gt::store::RoundRecord open{2, 8, std::nullopt, 0.6, 450.0};
    f.restart({600, 5000, 0.6, 7, open, 3000, 0.35});
    const FootprintState s = f.state(610);
    QCOMPARE(s.seconds, 610.0);
    QVERIFY(s.joules >= 5000 && s.joules < 5000 + 40 * 10); // earlier sessions' plus a moment
    QVERIFY(s.co2 >= 0.6);
    QCOMPARE(s.shareSteps, 7.0);
    QVERIFY(s.open && s.open->round == 2);
    // the restored round is closed by the next round's start, with what all sessions spent
    f.roundStarts(620);
    gt::store::RoundRecord next{3, 10, std::nullopt, 0.6, std::nullopt};
    const auto rows = f.beginRound(next, 620, 4);
    QCOMPARE(rows.size(), size_t(2));
    QCOMPARE(rows[0].round, 2);
    QVERIFY(*rows[0].spentJoules >= 2000 && *rows[0].spentJoules < 2000 + 40 * 10);
    QVERIFY(*rows[0].co2Grams >= 0.25 - 1e-12);
    QCOMPARE(rows[1].round, 3);
    QCOMPARE(*rows[1].gridGPerKwh, 500.0);
    // planned from this run's joules per unit of share: all sessions' energy over 7 units
    QVERIFY(*rows[1].plannedJoules >= 5000.0 / 7 * 0.6 * 4);
}

QTEST_APPLESS_MAIN(TestRunFootprint)
#include "tst_run_footprint.moc"
