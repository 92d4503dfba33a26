// The linear schedule, step by step (table-driven).
#include "core/train/lr_schedule.h"

#include <QTest>

#include <cmath>

class TestLrSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void values_data();
    void values();
    void cosine();
};

void TestLrSchedule::values_data() {
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("warmup");
    QTest::addColumn<double>("expected");
    // no warm-up: the paper's linear decay from 2e-5 to 0
    QTest::newRow("first") << 0LL << 10LL << 0LL << 2e-5;
    QTest::newRow("middle") << 5LL << 10LL << 0LL << 1e-5;
    QTest::newRow("last") << 9LL << 10LL << 0LL << 2e-6;
    QTest::newRow("past the end") << 10LL << 10LL << 0LL << 0.0;
    // warm-up of 4 steps, then decay over the remaining 6
    QTest::newRow("warm-up 1") << 0LL << 10LL << 4LL << 0.5e-5;
    QTest::newRow("warm-up 4") << 3LL << 10LL << 4LL << 2e-5;
    QTest::newRow("after warm-up") << 4LL << 10LL << 4LL << 2e-5;
    QTest::newRow("decay") << 7LL << 10LL << 4LL << 1e-5;
    QTest::newRow("empty run") << 0LL << 0LL << 0LL << 0.0;
}

void TestLrSchedule::values() {
    QFETCH(qint64, step);
    QFETCH(qint64, total);
    QFETCH(qint64, warmup);
    QFETCH(double, expected);
    QVERIFY(std::abs(gt::train::linearSchedule(step, total, warmup, 2e-5) - expected) < 1e-15);
}

void TestLrSchedule::cosine() {
    using gt::train::cosineSchedule;
    // warm-up 10 steps to 1e-3, then a half cosine from 1e-3 to the 10% floor at the end
    QCOMPARE(cosineSchedule(0, 110, 10, 1e-3), 1e-4);
    QCOMPARE(cosineSchedule(10, 110, 10, 1e-3), 1e-3);
    QVERIFY(std::abs(cosineSchedule(60, 110, 10, 1e-3) - 0.55e-3) < 1e-15); // halfway
    QVERIFY(std::abs(cosineSchedule(109, 110, 10, 1e-3, 0.0) -
                     1e-3 * 0.5 * (1 + std::cos(M_PI * 99.0 / 100.0))) < 1e-15);
    QCOMPARE(cosineSchedule(110, 110, 10, 1e-3), 0.0);
}

QTEST_GUILESS_MAIN(TestLrSchedule)
#include "tst_lr_schedule.moc"
