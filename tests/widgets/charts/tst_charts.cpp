// The chart widgets on their own (offscreen): the length histogram's bins, the loss overlay's
// curves and legend, and exporting a plot to PNG, PDF and SVG.
#include "widgets/charts/length_histogram.h"
#include "widgets/charts/loss_overlay_chart.h"
#include "widgets/charts/plot_export.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

using namespace gt::widgets;

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void binsCoverEveryLengthOnce();
    void histogramShowsTheBars();
    void lossOverlayDrawsOneGraphPerRun();
    void exportWritesEachFormat();
};

void TestCharts::binsCoverEveryLengthOnce() {
    // 0..59 with bins of ceil(60 / 30) = 2 units: 30 bins of two lengths each
    std::vector<int64_t> v;
    for (int64_t x = 0; x < 60; ++x)
        v.push_back(x);
    const Histogram h = binLengths(v);
    QCOMPARE(h.binWidth, 2.0);
    QCOMPARE(h.counts.size(), 30);
    QCOMPARE(h.centres.front(), 1.0);
    for (double c : h.counts)
        QCOMPARE(c, 2.0);
    // short lengths: bins never narrower than one unit
    const Histogram small = binLengths({0, 1, 1, 3});
    QCOMPARE(small.binWidth, 1.0);
    QCOMPARE(small.counts, (QVector<double>{1, 2, 0, 1}));
    QVERIFY(binLengths({}).counts.isEmpty());
}

void TestCharts::histogramShowsTheBars() {
    LengthHistogram hist;
    hist.setLengths({3, 5, 5, 9}, "source length (words)");
    QCOMPARE(hist.plot()->plottableCount(), 1);
    QCOMPARE(hist.plot()->xAxis->label(), QString("source length (words)"));
    hist.setLengths({}, "x"); // a dataset without lengths clears the bars
    QCOMPARE(hist.plot()->plottableCount(), 0);
}

void TestCharts::lossOverlayDrawsOneGraphPerRun() {
    LossOverlayChart chart;
    chart.setCurves({{"1 full", {1, 2, 3}, {3.0, 2.5, 2.0}}, {"2 gt-0.5", {1, 2}, {3.1, 2.9}}});
    QCOMPARE(chart.plot()->graphCount(), 2);
    QCOMPARE(chart.plot()->graph(1)->name(), QString("2 gt-0.5"));
    QCOMPARE(chart.plot()->graph(0)->data()->size(), 3);
    QVERIFY(chart.plot()->graph(0)->pen().color() != chart.plot()->graph(1)->pen().color());
    QVERIFY(chart.plot()->legend->visible());
    chart.setCurves({});
    QCOMPARE(chart.plot()->graphCount(), 0);
    QVERIFY(!chart.plot()->legend->visible());
}

void TestCharts::exportWritesEachFormat() {
    QTemporaryDir dir;
    LossOverlayChart chart;
    chart.resize(400, 300);
    chart.setCurves({{"1 full", {1, 2, 3}, {3.0, 2.5, 2.0}}});
    for (const char* name : {"c.png", "c.pdf", "c.svg"}) {
        const QString file = dir.filePath(name);
        QVERIFY2(exportPlot(chart.plot(), file, "test"), name);
        QVERIFY2(QFileInfo(file).size() > 500, name);
    }
    QFile svg(dir.filePath("c.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().startsWith("<?xml"));
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
