// The paper's DP reproduced with its quirks: the regression vector from the released code's
// simple_test(), the reach-limit off-by-one, and floor rounding to Tq = 1000 units.
#include "core/green/paper_dp.h"

#include <QTest>

using namespace gt::green;

class TestPaperDp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void simpleTestVector();
    void reachLimitExcludesTheDeepestTensorWhenEverythingFits();
    void unitsAreFlooredToThousandths();
    void selectionRespectsTheRoundedBudget();
};

void TestPaperDp::simpleTestVector() {
    // method.md §4.5: dy=[0,2,1,4,0], dw=[5,1,7,3,1], I=[1,3,10,5,3], rho=0.6
    // -> best value 13, m=[0,1,1,0,0], T_lim=14.
    const auto r = solvePaperDp({0, 2, 1, 4, 0}, {5, 1, 7, 3, 1}, {1, 3, 10, 5, 3}, 0.6);
    QCOMPARE(r.value, 13.0);
    QCOMPARE(r.mask, (std::vector<uint8_t>{0, 1, 1, 0, 0}));
    QCOMPARE(r.limitUnits, int64_t{14});
    QCOMPARE(r.totalUnits, int64_t{24});
    QCOMPARE(r.cost, int64_t{1 + 7 + 0 + 2 + 1});
}

void TestPaperDp::reachLimitExcludesTheDeepestTensorWhenEverythingFits() {
    // Everything fits (total 6 <= 10), yet the code stops at N-1 and never takes tensor 2.
    const auto r = solvePaperDp({1, 1, 1}, {1, 1, 1}, {1, 1, 100}, 1.0 * 10 / 6);
    QCOMPARE(r.reachLimit, 2);
    QCOMPARE(r.mask[2], uint8_t{0});
    QCOMPARE(r.value, 2.0);
}

void TestPaperDp::unitsAreFlooredToThousandths() {
    const auto u = paperUnits({1.2, 4.8, 0.9, 993.1}, 1000.0);
    QCOMPARE(u, (std::vector<int64_t>{1, 4, 0, 993}));
}

void TestPaperDp::selectionRespectsTheRoundedBudget() {
    std::vector<int64_t> dy{3, 0, 2, 5, 1, 0, 4}, dw{2, 6, 1, 3, 2, 2, 7};
    std::vector<double> v{1, 4, 2, 8, 1, 3, 9};
    for (double rho : {0.1, 0.3, 0.5, 0.7, 0.9}) {
        const auto r = solvePaperDp(dy, dw, v, rho);
        QVERIFY(r.cost <= r.limitUnits);
        double value = 0;
        for (size_t k = 0; k < v.size(); ++k)
            value += r.mask[k] ? v[k] : 0;
        QCOMPARE(value, r.value);
    }
}

QTEST_GUILESS_MAIN(TestPaperDp)
#include "tst_paper_dp.moc"
