// The exact selector is optimal: it equals exhaustive search on random small instances and
// never exceeds its budget.
#include "core/green/exact_dp.h"

#include <QTest>

#include <random>

using gt::green::solveExactDp;

class TestExactDp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void equalsBruteForceOn2000RandomInstances();
    void nothingFitsSelectsNothing();
    void nonPositiveImportanceIsNeverSelected();
    void deepestTensorPaysTheWholeReach();
};

namespace {
struct Instance {
    std::vector<int64_t> dy, dw, reach;
    std::vector<double> value;
    int64_t budget = 0;
};

// Cost of a selection under the GreenTrainer model: selected dW plus the reach of the
// deepest selected tensor (dY of every tensor from the output down to it, inclusive).
int64_t costOf(const Instance& in, uint32_t mask) {
    int64_t c = 0;
    int deepest = -1;
    for (size_t k = 0; k < in.dw.size(); ++k)
        if (mask >> k & 1) {
            c += in.dw[k];
            deepest = static_cast<int>(k);
        }
    return deepest < 0 ? 0 : c + in.reach[deepest];
}

double bruteForce(const Instance& in) {
    double best = 0.0;
    for (uint32_t m = 1; m < (1u << in.dw.size()); ++m) {
        if (costOf(in, m) > in.budget) continue;
        double v = 0.0;
        for (size_t k = 0; k < in.dw.size(); ++k)
            if (m >> k & 1) v += in.value[k];
        best = std::max(best, v);
    }
    return best;
}
} // namespace

void TestExactDp::equalsBruteForceOn2000RandomInstances() {
    std::mt19937 rng(2024);
    for (int trial = 0; trial < 2000; ++trial) {
        Instance in;
        const int n = 1 + static_cast<int>(rng() % 12);
        int64_t total = 0, sum = 0;
        for (int k = 0; k < n; ++k) {
            in.dy.push_back(static_cast<int64_t>(rng() % 6));
            in.dw.push_back(static_cast<int64_t>(rng() % 9));
            // Mostly positive, some zero or negative importances.
            in.value.push_back(static_cast<double>(static_cast<int>(rng() % 25) - 4));
            sum += in.dy.back();
            in.reach.push_back(sum);
            total += in.dy.back() + in.dw.back();
        }
        in.budget = static_cast<int64_t>(rng() % static_cast<uint32_t>(total + 2));
        const auto r = solveExactDp(in.reach, in.dw, in.value, in.budget);
        const double expected = bruteForce(in);
        uint32_t mask = 0;
        double value = 0.0;
        for (int k = 0; k < n; ++k)
            if (r.mask[k]) {
                mask |= 1u << k;
                value += in.value[k];
            }
        QVERIFY2(
            r.value == expected,
            qPrintable(
                QString("trial %1: dp %2, brute force %3").arg(trial).arg(r.value).arg(expected)));
        QCOMPARE(value, r.value); // the mask really has the value reported
        QVERIFY(costOf(in, mask) <= in.budget);
        QCOMPARE(r.cost, costOf(in, mask));
    }
}

void TestExactDp::nothingFitsSelectsNothing() {
    const auto r = solveExactDp({5, 9}, {3, 3}, {1.0, 1.0}, 7);
    QCOMPARE(r.value, 0.0);
    QCOMPARE(r.mask, (std::vector<uint8_t>{0, 0}));
}

void TestExactDp::nonPositiveImportanceIsNeverSelected() {
    const auto r = solveExactDp({0, 0, 0}, {1, 1, 1}, {0.0, -2.0, 3.0}, 100);
    QCOMPARE(r.mask, (std::vector<uint8_t>{0, 0, 1}));
}

void TestExactDp::deepestTensorPaysTheWholeReach() {
    // Tensor 2 is valuable but reaching it costs 10; tensors 0 and 1 together fit instead.
    const auto r = solveExactDp({1, 2, 10}, {2, 2, 1}, {3.0, 3.0, 5.0}, 9);
    QCOMPARE(r.mask, (std::vector<uint8_t>{1, 1, 0}));
    QCOMPARE(r.value, 6.0);
    QCOMPARE(r.cost, int64_t{6});
}

QTEST_GUILESS_MAIN(TestExactDp)
#include "tst_exact_dp.moc"
