// The carbon-aware rho rule: quantiles as numpy computes them (linear), the high end of the
// range at or below the 10th percentile, the low end at or above the 90th, linear and
// decreasing between; bad ranges are refused with the expected form.
#include "core/green/rho_schedule.h"

#include <QTest>

using namespace gt::green;

class TestRhoSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quantilesAreNumpys();
    void rhoFallsAsIntensityRises();
    void flatTraceAndBadRanges();
};

void TestRhoSchedule::quantilesAreNumpys() {
    // numpy.quantile([1, 2, 3, 4, 10], q): 0.1 -> 1.4, 0.5 -> 3, 0.9 -> 7.6
    const std::vector<double> v{10, 2, 4, 1, 3};
    QCOMPARE(quantile(v, 0.1), 1.4);
    QCOMPARE(quantile(v, 0.5), 3.0);
    QCOMPARE(quantile(v, 0.9), 7.6);
    QCOMPARE(quantile({5}, 0.9), 5.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantile({}, 0.5));
}

void TestRhoSchedule::rhoFallsAsIntensityRises() {
    std::vector<double> ramp; // 100, 101, ..., 1100: 10th percentile 200, 90th 1000
    for (int k = 0; k <= 1000; ++k)
        ramp.push_back(100 + k);
    const CarbonRhoRule r(ramp, 0.5, 0.9);
    QCOMPARE(r.cleanBound(), 200.0);
    QCOMPARE(r.dirtyBound(), 1000.0);
    QCOMPARE(r.rho(50), 0.9);
    QCOMPARE(r.rho(200), 0.9);
    QCOMPARE(r.rho(600), 0.7);
    QCOMPARE(r.rho(1000), 0.5);
    QCOMPARE(r.rho(5000), 0.5);
    for (double g = 150; g < 1100; g += 37)
        QVERIFY(r.rho(g + 37) <= r.rho(g));
    QVERIFY(r.describe().find("rho 0.9 at <= 200 g/kWh") != std::string::npos);
}

void TestRhoSchedule::flatTraceAndBadRanges() {
    const CarbonRhoRule flat({300, 300, 300}, 0.5, 0.9);
    QCOMPARE(flat.rho(300), 0.9);
    QCOMPARE(flat.rho(301), 0.5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CarbonRhoRule({1, 2}, 0.9, 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CarbonRhoRule({1, 2}, 0.0, 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CarbonRhoRule({}, 0.5, 0.9));
    QCOMPARE(parseRhoRange("0.5:0.9"), std::make_pair(0.5, 0.9));
    for (const char* bad : {"0.5", "0.9:0.5", "0:0.5", "0.5:1.2", "a:b", "0.5:0.9x", ":"})
        try {
            parseRhoRange(bad);
            QFAIL(bad);
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("expected LOW:HIGH"), e.what());
        }
}

QTEST_GUILESS_MAIN(TestRhoSchedule)
#include "tst_rho_schedule.moc"
