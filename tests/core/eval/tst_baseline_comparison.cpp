// The lead sentence (what "copy the first sentence" copies) and the paired bootstrap that
// says whether a model beats it. Expected values are worked out by hand.
#include "core/eval/baseline_comparison.h"

#include <QTest>

#include <stdexcept>

using gt::eval::leadSentence;
using gt::eval::pairedBootstrap;

class TestBaselineComparison : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void leadSentence_data();
    void leadSentence();
    void identicalSystemsDifferByNothing();
    void aConstantLeadHasNoSpread();
    void twoExamplesResampleAsWorkedOut();
    void resamplingIsPairedAndSeeded();
    void mismatchedOrEmptyInputIsAnError();
};

void TestBaselineComparison::leadSentence_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("lead");
    QTest::newRow("period") << "A tool. It does things."
                            << "A tool.";
    QTest::newRow("line break first") << "first line\nsecond. line"
                                      << "first line";
    QTest::newRow("version number") << "Supports version 2.0 of the API. More."
                                    << "Supports version 2.0 of the API.";
    QTest::newRow("question") << "Why not? Because."
                              << "Why not?";
    QTest::newRow("exclamation at end") << "Fast!"
                                        << "Fast!";
    QTest::newRow("no terminator") << "  just words  "
                                   << "just words";
    QTest::newRow("leading blank lines") << "\n\n  Lead here.\nrest"
                                         << "Lead here.";
    QTest::newRow("period then tab") << "One.\tTwo."
                                     << "One.";
    QTest::newRow("trailing space before break") << "words  \nmore"
                                                 << "words";
    QTest::newRow("empty") << ""
                           << "";
}

void TestBaselineComparison::leadSentence() {
    QFETCH(QString, source);
    QFETCH(QString, lead);
    QCOMPARE(QString::fromStdString(::leadSentence(source.toStdString())), lead);
}

void TestBaselineComparison::identicalSystemsDifferByNothing() {
    const std::vector<double> a{0.1, 0.5, 0.9, 0.0};
    const auto d = pairedBootstrap(a, a, 200, 7);
    QCOMPARE(d.mean, 0.0);
    QCOMPARE(d.low, 0.0);
    QCOMPARE(d.high, 0.0);
    QCOMPARE(d.shareAhead, 0.0); // a tie is not "ahead"
}

void TestBaselineComparison::aConstantLeadHasNoSpread() {
    // Every example 0.25 better: every resample's mean difference is 0.25.
    const std::vector<double> a{0.5, 0.75, 1.0}, b{0.25, 0.5, 0.75};
    const auto d = pairedBootstrap(a, b, 300, 1);
    QCOMPARE(d.mean, 0.25);
    QCOMPARE(d.low, 0.25);
    QCOMPARE(d.high, 0.25);
    QCOMPARE(d.shareAhead, 1.0);
}

void TestBaselineComparison::twoExamplesResampleAsWorkedOut() {
    // Differences {1, 0}: a resample of two draws has mean 0 (p = 1/4), 0.5 (1/2) or 1 (1/4).
    // With 20,000 resamples the 2.5th percentile is 0, the 97.5th is 1 and the share of
    // resamples ahead is 3/4 within a few standard errors (sd = sqrt(3/16/20000) = 0.0031).
    const auto d = pairedBootstrap({1.0, 0.0}, {0.0, 0.0}, 20000, 99);
    QCOMPARE(d.mean, 0.5);
    QCOMPARE(d.low, 0.0);
    QCOMPARE(d.high, 1.0);
    QVERIFY2(std::abs(d.shareAhead - 0.75) < 0.015, qPrintable(QString::number(d.shareAhead)));
}

void TestBaselineComparison::resamplingIsPairedAndSeeded() {
    // b = a - 0.01 everywhere, with a widely spread: an unpaired bootstrap would put 0 well
    // inside the interval; paired, every resample is exactly 0.01 ahead.
    std::vector<double> a, b;
    for (int i = 0; i < 50; ++i) {
        a.push_back((i * 37 % 50) / 50.0 + 0.01);
        b.push_back(a.back() - 0.01);
    }
    const auto d = pairedBootstrap(a, b, 500, 3);
    QVERIFY(std::abs(d.low - 0.01) < 1e-12 && std::abs(d.high - 0.01) < 1e-12);
    QCOMPARE(d.shareAhead, 1.0);
    // Same seed, same answer; the sample count 0 gives the mean alone.
    std::vector<double> c(a.rbegin(), a.rend());
    const auto x = pairedBootstrap(a, c, 500, 3), y = pairedBootstrap(a, c, 500, 3);
    QCOMPARE(x.low, y.low);
    QCOMPARE(x.high, y.high);
    QVERIFY(x.low < 0 && x.high > 0); // a against its own reverse: no systematic difference
    const auto m = pairedBootstrap(a, b, 0, 3);
    QVERIFY(std::abs(m.mean - 0.01) < 1e-12);
    QCOMPARE(m.shareAhead, 0.0);
}

void TestBaselineComparison::mismatchedOrEmptyInputIsAnError() {
    try {
        pairedBootstrap({0.1, 0.2}, {0.1}, 10, 1);
        QFAIL("sizes 2 and 1 accepted");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains("2 and 1"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pairedBootstrap({}, {}, 10, 1));
}

QTEST_APPLESS_MAIN(TestBaselineComparison)
#include "tst_baseline_comparison.moc"
