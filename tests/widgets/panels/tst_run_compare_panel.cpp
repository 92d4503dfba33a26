// The Runs page's comparison views on a real store file, driven by real input events: the
// loss curves' x-axis switch, EMA smoothing and seed groups (mean with a band), the seed-group
// table, the importance drift of a run's selection rounds, and the parallel-coordinates chart
// whose brushing filters the runs table. Expected values are worked out here from the stored
// numbers, not read back from the code under test.
#include "core/store/experiment_store.h"
#include "widgets/charts/parallel_coordinates.h"
#include "widgets/charts/plan_strip.h"
#include "widgets/panels/run_compare_panel.h"
#include "widgets/panels/runs_page.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace gt;

class TestRunComparePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void xAxisAndSmoothingFromTheControls();
    void seedGroupsDrawAMeanWithABand();
    void seedGroupTableShowsMeanAndInterval();
    void importanceDriftOverRounds();
    void brushingTheParallelChartFiltersTheTable();

private:
    void openPage(widgets::RunsPage& page);
    QTemporaryDir m_dir;
    std::filesystem::path m_db;
    std::vector<int64_t> m_ids; ///< three seeds of rho 0.5, then two of rho 0.7
};

void TestRunComparePanel::initTestCase() {
    m_db = (m_dir.path() + "/runs.sqlite").toStdString();
    store::ExperimentStore s(m_db);
    const std::vector<std::pair<double, double>> runs{
        {0.5, 30.1}, {0.5, 31.4}, {0.5, 29.9}, {0.7, 33.0}, {0.7, 34.0}};
    int seed = 0;
    for (const auto& [rho, rouge] : runs) {
        store::NewRun r;
        r.name = "gt-" + std::to_string(rho).substr(0, 3);
        r.method = "greentrainer";
        r.rho = rho;
        r.configJson = R"({"lr": 2e-5, "seed": )" + std::to_string(++seed) + "}";
        const int64_t id = s.createRun(r);
        std::vector<store::MetricPoint> pts;
        for (int step = 1; step <= 10; ++step) {
            // loss 4 - 0.1 step + 0.01 seed; 100 MACs per step x rho
            pts.push_back(
                {"train/loss", step, 4.0 - 0.1 * step + 0.01 * seed, 0.1 * step, 2.0 * step});
            pts.push_back({"planned_macs", step, 100.0 * rho, 0.1 * step, 2.0 * step});
            // a schedule-based plan: the share steps down at step 6 (a freeze, a new period)
            pts.push_back(
                {"planned_share", step, step < 6 ? rho : rho / 2, 0.1 * step, 2.0 * step});
        }
        s.appendMetrics(id, pts);
        store::Evaluation e;
        e.step = 10;
        e.split = "test";
        e.rouge1 = rouge;
        s.addEvaluation(id, e);
        // two selection rounds whose importance drifts: tensor 0 falls, tensor 2 rises
        s.addTensorSnapshots(
            id, 0, 1,
            {{"a", 1, 1, 1, 8.0, true}, {"b", 1, 1, 1, 4.0, false}, {"c", 1, 1, 1, 0.008, false}});
        s.addTensorSnapshots(
            id, 1, 6,
            {{"a", 1, 1, 1, 0.08, false}, {"b", 1, 1, 1, 4.0, true}, {"c", 1, 1, 1, 8.0, true}});
        s.finishRun(id, store::RunStatus::Finished, {.plannedMacs = rho * 100, .fullMacs = 100});
        m_ids.push_back(id);
    }
}

void TestRunComparePanel::openPage(widgets::RunsPage& page) {
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setStorePath(m_db);
    page.selectRuns(m_ids);
}

void TestRunComparePanel::xAxisAndSmoothingFromTheControls() {
    widgets::RunsPage page;
    openPage(page);
    auto* panel = page.comparePanel();
    QCustomPlot* plot = page.lossPlot();
    QCOMPARE(plot->graphCount(), 5);
    // step 1..10 first; the first run (seed 1): loss 4 - 0.1 step + 0.01
    QCOMPARE(plot->graph(0)->data()->at(0)->key, 1.0);
    QVERIFY(std::abs(plot->graph(0)->data()->at(0)->value - 3.91) < 1e-12);
    // cumulative FLOPs: the combo is stepped with the keyboard, as a user would
    QComboBox* axis = panel->lossAxisBox();
    axis->setFocus();
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(axis, Qt::Key_Down);
    QCOMPARE(axis->currentIndex(), 3);
    QCOMPARE(plot->xAxis->label(), QString("cumulative FLOPs"));
    // rho 0.5: 50 MACs a step -> 2 x 50 x step FLOPs; rho 0.7 -> 140 x step
    QCOMPARE(plot->graph(0)->data()->at(0)->key, 100.0);
    QCOMPARE(plot->graph(3)->data()->at(9)->key, 1400.0);
    QTest::keyClick(axis, Qt::Key_Up);
    QCOMPARE(plot->xAxis->label(), QString("wall time (s)"));
    QCOMPARE(plot->graph(0)->data()->at(1)->key, 4.0);
    // smoothing 0.5, typed in: bias-corrected EMA of (3.91, 3.81, ...):
    // s1 = 3.91; s2 = (0.5 x 1.955 + 0.5 x 3.81) / 0.75 = 3.843333
    QDoubleSpinBox* smooth = panel->smoothingBox();
    smooth->setFocus();
    smooth->selectAll();
    QTest::keyClicks(smooth, "0.5");
    QTest::keyClick(smooth, Qt::Key_Return);
    QCOMPARE(smooth->value(), 0.5);
    QVERIFY(std::abs(plot->graph(0)->data()->at(0)->value - 3.91) < 1e-12);
    QVERIFY(std::abs(plot->graph(0)->data()->at(1)->value - 3.843333333) < 1e-6);
    // y = planned share of a full step: the stored per-step shares, smoothing off
    smooth->selectAll();
    QTest::keyClicks(smooth, "0");
    QTest::keyClick(smooth, Qt::Key_Return);
    QComboBox* series = panel->lossSeriesBox();
    series->setFocus();
    QTest::keyClick(series, Qt::Key_Down);
    QCOMPARE(series->currentData().toString(), QString("planned_share"));
    QCOMPARE(plot->yAxis->label(), QString("planned share of a full step"));
    QCOMPARE(plot->graph(0)->data()->at(4)->value, 0.5);  // step 5, rho 0.5
    QCOMPARE(plot->graph(0)->data()->at(5)->value, 0.25); // step 6: halved
    QCOMPARE(plot->graph(3)->data()->at(9)->value, 0.35); // rho 0.7, step 10
    QTest::keyClick(series, Qt::Key_Up);
    QCOMPARE(plot->yAxis->label(), QString("training loss"));
}

void TestRunComparePanel::seedGroupsDrawAMeanWithABand() {
    widgets::RunsPage page;
    openPage(page);
    auto* panel = page.comparePanel();
    QTest::mouseClick(panel->groupSeedsBox(), Qt::LeftButton);
    QVERIFY(panel->groupSeedsBox()->isChecked());
    QCustomPlot* plot = page.lossPlot();
    QCOMPARE(plot->graphCount(), 6); // two groups: band low, band high, mean
    QCOMPARE(plot->legend->itemCount(), 2);
    QCOMPARE(plot->graph(2)->name(), QString("rho 0.5 (mean ± 95% CI, n=3)"));
    // at step 1 the rho-0.5 seeds have 3.91, 3.92, 3.93: mean 3.92, s = 0.01,
    // half width 4.3027 x 0.01 / sqrt(3) = 0.024842
    const double mean = plot->graph(2)->data()->at(0)->value;
    QVERIFY(std::abs(mean - 3.92) < 1e-9);
    QVERIFY(std::abs(plot->graph(1)->data()->at(0)->value - (3.92 + 0.024842)) < 1e-5);
    QVERIFY(std::abs(plot->graph(0)->data()->at(0)->value - (3.92 - 0.024842)) < 1e-5);
    QCOMPARE(plot->graph(1)->channelFillGraph(), plot->graph(0));
    // the band spans the steps all three cover
    QCOMPARE(plot->graph(2)->data()->at(0)->key, 1.0);
    QCOMPARE(plot->graph(2)->data()->at(plot->graph(2)->data()->size() - 1)->key, 10.0);
}

void TestRunComparePanel::seedGroupTableShowsMeanAndInterval() {
    widgets::RunsPage page;
    openPage(page);
    page.showChart(widgets::RunComparePanel::GroupsTab);
    QTableWidget* t = page.comparePanel()->seedGroupTable();
    QCOMPARE(t->columnCount(), 3);
    auto row = [&](const QString& label) {
        for (int r = 0; r < t->rowCount(); ++r)
            if (t->item(r, 0)->text() == label) return r;
        return -1;
    };
    QVERIFY(row("seeds") >= 0 && row("run.rho") >= 0 && row("ROUGE-1") >= 0);
    QCOMPARE(t->item(row("seeds"), 1)->text(), QString("1, 2, 3"));
    QCOMPARE(t->item(row("run.rho"), 2)->text(), QString("0.7"));
    // 30.1, 31.4, 29.9: 30.47 ± 2.02; 33, 34: 33.50 ± 12.7062 x 0.70711 / sqrt(2) = 6.35
    QCOMPARE(t->item(row("ROUGE-1"), 1)->text(), QString("30.47 ± 2.02 (n=3)"));
    QCOMPARE(t->item(row("ROUGE-1"), 2)->text(), QString("33.50 ± 6.35 (n=2)"));
    QCOMPARE(t->item(row("MAC share of full FT"), 2)->text(), QString("0.700 ± 0.000 (n=2)"));
}

void TestRunComparePanel::importanceDriftOverRounds() {
    widgets::RunsPage page;
    openPage(page);
    page.selectRuns({m_ids[0]});
    page.showChart(widgets::RunComparePanel::HistoryTab);
    widgets::PlanStrip* strip = page.selectionHistory();
    QCOMPARE(strip->rounds().size(), size_t(2));
    QCOMPARE(strip->cellValue(0, 0), 1.0); // trained in round 0
    QComboBox* mode = page.comparePanel()->historyModeBox();
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);
    QCOMPARE(strip->mode(), widgets::PlanStrip::Mode::Importance);
    // log10(importance / the round's largest): round 0 (8, 4, 0.008) -> 0, -0.30103, -3;
    // round 1 (0.08, 4, 8) -> -2, -0.30103, 0
    QVERIFY(std::abs(strip->cellValue(0, 0) - 0.0) < 1e-12);
    QVERIFY(std::abs(strip->cellValue(0, 1) + 0.30103) < 1e-5);
    QVERIFY(std::abs(strip->cellValue(0, 2) + 3.0) < 1e-12);
    QVERIFY(std::abs(strip->cellValue(1, 0) + 2.0) < 1e-12);
    QVERIFY(std::abs(strip->cellValue(1, 2) - 0.0) < 1e-12);
    // a colour scale says what the colours mean, in importance mode only
    auto* scale = qobject_cast<QCPColorScale*>(strip->plot()->plotLayout()->element(0, 1));
    QVERIFY(scale && scale->axis()->label().contains("importance"));
    QTest::keyClick(mode, Qt::Key_Up);
    QVERIFY(!strip->plot()->plotLayout()->hasElement(0, 1));
}

void TestRunComparePanel::brushingTheParallelChartFiltersTheTable() {
    widgets::RunsPage page;
    openPage(page);
    page.showChart(widgets::RunComparePanel::ParallelTab);
    widgets::ParallelCoordinatesChart* chart = page.comparePanel()->parallelChart();
    QVERIFY(QTest::qWaitForWindowExposed(chart));
    QCOMPARE(chart->runIds().size(), size_t(5));
    int rho = -1, rouge = -1;
    for (size_t a = 0; a < chart->axes().size(); ++a) {
        if (chart->axes()[a].key == "run.rho") rho = int(a);
        if (chart->axes()[a].key == "rouge1") rouge = int(a);
    }
    QVERIFY(rho >= 0 && rouge > rho);
    QCOMPARE(chart->colourAxis(), rouge); // coloured by ROUGE-1 by default
    QCOMPARE(page.visibleRunCount(), 5);
    // drag along the rho axis (0.49 to 0.71 drawn) from 0.495 to 0.55: the rho-0.5 runs stay
    // a press, a move with the button held (QTest's mouseMove carries no buttons) and a release
    auto drag = [&](int axis, double from, double to) {
        const QPoint p0 = chart->axisPoint(axis, from), p1 = chart->axisPoint(axis, to);
        QTest::mousePress(chart, Qt::LeftButton, {}, p0);
        QMouseEvent move(QEvent::MouseMove, QPointF(p1), chart->mapToGlobal(QPointF(p1)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(chart, &move);
        QTest::mouseRelease(chart, Qt::LeftButton, {}, p1);
    };
    drag(rho, 0.495, 0.55);
    QVERIFY(chart->brush(rho));
    QCOMPARE(chart->passingRuns(), (std::vector<int64_t>{m_ids[0], m_ids[1], m_ids[2]}));
    QCOMPARE(page.visibleRunCount(), 3);
    // a second brush on ROUGE-1 above 30: runs with 31.4 only among them
    drag(rouge, 30.5, 35.0);
    QCOMPARE(page.visibleRunCount(), 1);
    // a click on the rho axis clears its brush: 31.4, 33, 34 pass ROUGE-1 > 30.5
    QTest::mouseClick(chart, Qt::LeftButton, {}, chart->axisPoint(rho, 0.6));
    QVERIFY(!chart->brush(rho));
    QCOMPARE(page.visibleRunCount(), 3);
    QTest::mouseClick(chart, Qt::LeftButton, {}, chart->axisPoint(rouge, 32.0));
    QCOMPARE(page.visibleRunCount(), 5);
    // the chart exports as an image
    const QString png = m_dir.filePath("parallel.png");
    QVERIFY(page.exportChart(png));
    QVERIFY(QImage(png).width() >= 900);
    QVERIFY(page.exportChart(m_dir.filePath("parallel.svg")));
}

QTEST_MAIN(TestRunComparePanel)
#include "tst_run_compare_panel.moc"
