// Comparison curves from a real store file: each x-axis (step, epoch, wall time, cumulative
// FLOPs, energy), the bias-corrected EMA and the mean band of several curves, against values
// worked out by hand in the comments.
#include "core/store/experiment_store.h"
#include "core/store/run_curves.h"
#include "core/store/sqlite_db.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>

using namespace gt::store;

class TestRunCurves : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyAxisLinesUpTheLoss();
    void pointsWithoutTheAxisAreLeftOut();
    void emaIsBiasCorrected();
    void meanBandOverTheSharedSpan();

private:
    QTemporaryDir m_dir;
};

void TestRunCurves::everyAxisLinesUpTheLoss() {
    ExperimentStore s(std::filesystem::path(m_dir.path().toStdString()) / "a.sqlite");
    NewRun r;
    r.name = "r";
    r.method = "greentrainer";
    const int64_t id = s.createRun(r);
    std::vector<MetricPoint> pts;
    const double loss[] = {3.0, 2.5, 2.2, 2.0}, macs[] = {10, 10, 20, 20}, joules[] = {1, 3, 6, 10};
    for (int k = 0; k < 4; ++k) {
        const int64_t step = k + 1;
        const double epoch = 0.25 * step, wall = 1.5 * step;
        pts.push_back({"train/loss", step, loss[k], epoch, wall});
        pts.push_back({"planned_macs", step, macs[k], epoch, wall});
        pts.push_back({"energy_j", step, joules[k], epoch, wall});
    }
    s.appendMetrics(id, pts);
    using V = std::vector<double>;
    const V y{3.0, 2.5, 2.2, 2.0};
    QCOMPARE(runCurve(s, id, CurveAxis::Step).x, (V{1, 2, 3, 4}));
    QCOMPARE(runCurve(s, id, CurveAxis::Step).y, y);
    QCOMPARE(runCurve(s, id, CurveAxis::Epoch).x, (V{0.25, 0.5, 0.75, 1.0}));
    QCOMPARE(runCurve(s, id, CurveAxis::WallSeconds).x, (V{1.5, 3.0, 4.5, 6.0}));
    // FLOPs = 2 x running sum of MACs: 2 x (10, 20, 40, 60)
    QCOMPARE(runCurve(s, id, CurveAxis::CumulativeFlops).x, (V{20, 40, 80, 120}));
    QCOMPARE(runCurve(s, id, CurveAxis::Energy).x, (V{1, 3, 6, 10})); // already cumulative
    QCOMPARE(runCurve(s, id, CurveAxis::Energy).y, y);
    QVERIFY_THROWS_EXCEPTION(StoreError, runCurve(s, id + 1, CurveAxis::Step));
    QCOMPARE(curveAxisLabel(CurveAxis::CumulativeFlops), std::string("cumulative FLOPs"));
}

void TestRunCurves::pointsWithoutTheAxisAreLeftOut() {
    ExperimentStore s(std::filesystem::path(m_dir.path().toStdString()) / "b.sqlite");
    NewRun r;
    r.name = "r";
    r.method = "full";
    const int64_t id = s.createRun(r);
    // no epoch or wall time stored, energy only from step 2 on
    s.appendMetrics(id, {{"train/loss", 1, 3.0}, {"train/loss", 2, 2.0}, {"energy_j", 2, 5.0}});
    QVERIFY(runCurve(s, id, CurveAxis::Epoch).x.empty());
    QVERIFY(runCurve(s, id, CurveAxis::CumulativeFlops).x.empty());
    const Curve e = runCurve(s, id, CurveAxis::Energy);
    QCOMPARE(e.x, (std::vector<double>{5.0}));
    QCOMPARE(e.y, (std::vector<double>{2.0}));
}

void TestRunCurves::emaIsBiasCorrected() {
    // weight 0.5 on (2, 4): s1 = 1 -> 1 / 0.5 = 2; s2 = 0.5 + 2 = 2.5 -> 2.5 / 0.75 = 3.3333
    const auto s = emaSmooth({2.0, 4.0}, 0.5);
    QCOMPARE(s.size(), size_t(2));
    QVERIFY(std::abs(s[0] - 2.0) < 1e-12 && std::abs(s[1] - 10.0 / 3.0) < 1e-12);
    // a constant stays constant from the first point (no pull towards zero)
    for (double v : emaSmooth({7.0, 7.0, 7.0, 7.0}, 0.9))
        QVERIFY(std::abs(v - 7.0) < 1e-12);
    QCOMPARE(emaSmooth({1.0, 5.0}, 0.0), (std::vector<double>{1.0, 5.0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, emaSmooth({1.0}, 1.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, emaSmooth({1.0}, -0.1));
}

void TestRunCurves::meanBandOverTheSharedSpan() {
    const Curve a{{0, 10}, {0, 10}}, b{{0, 5, 10}, {2, 2, 2}};
    const BandCurve band = meanBand({a, b}, 3);
    QCOMPARE(band.x, (std::vector<double>{0, 5, 10}));
    // x = 0: (0, 2): mean 1, s = 1.41421, half width 12.7062 x s / sqrt(2) = 12.7062
    // x = 5: (5, 2): mean 3.5, s = 2.12132, half width 12.7062 x 1.5 = 19.0593
    QVERIFY(std::abs(band.mean[0] - 1.0) < 1e-12 && std::abs(band.mean[1] - 3.5) < 1e-12);
    QVERIFY(std::abs(band.high[0] - (1.0 + 12.7062)) < 1e-3);
    QVERIFY(std::abs(band.low[1] - (3.5 - 19.0593)) < 1e-3);
    QCOMPARE(band.n, (std::vector<int>{2, 2, 2}));
    // the span both cover: [2, 8]
    const BandCurve inner = meanBand({a, Curve{{2, 8}, {1, 1}}}, 2);
    QCOMPARE(inner.x, (std::vector<double>{2, 8}));
    QVERIFY(std::abs(inner.mean[1] - 4.5) < 1e-12); // (8 + 1) / 2
    // one curve: its values, no band
    const BandCurve one = meanBand({a}, 2);
    QCOMPARE(one.low, one.mean);
    QCOMPARE(one.high, one.mean);
    QVERIFY(meanBand({a, Curve{{11, 12}, {1, 1}}}).x.empty()); // no shared span
    QVERIFY(meanBand({}).x.empty());
}

QTEST_GUILESS_MAIN(TestRunCurves)
#include "tst_run_curves.moc"
