// The Tensors and Model & Data pages with real models: the heatmap covers every tensor of the
// catalogue, the slider recomputes the plan monotonically, infeasible rho is explained, and
// the table and heatmap stay linked. Runs offscreen.
#include "core/green/budget.h"
#include "tests/support/shared_data.h"
#include "widgets/charts/tensor_heatmap.h"
#include "widgets/models/tensor_table_model.h"
#include "widgets/panels/model_data_page.h"
#include "widgets/panels/plan_summary.h"
#include "widgets/panels/preflight_view.h"
#include "widgets/panels/rho_control.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/why_tensor_view.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTableView>
#include <QTest>
#include <QToolTip>

#include <qcustomplot.h>

#include <algorithm>

using namespace gt::widgets;

class TestTensorsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyPageSaysWhatToDo();
    void fixtureModelFillsSummaryAndHeatmap_data();
    void fixtureModelFillsSummaryAndHeatmap();
    void sliderChangesSelectionMonotonically();
    void infeasibleRhoIsExplained();
    void heatmapClickSelectsTableRows();
    void tableModelPassesTheModelTester();
    void paperModeAndMetricsSwitch();
    void plotsFollowTheWindowPalette();
    void slowPlansCoalesceSliderMoves();
    void sliderFollowsKeysAndADrag();
    void preflightCardFollowsThePlan();
    void pinsFromClicksAndButtons();
    void whyExplainsTheSelectedTensor();

private:
    static std::shared_ptr<gt::api::CostExplorer> open(const QString& path) {
        return std::make_shared<gt::api::CostExplorer>(
            gt::api::CostExplorer::open(path.toStdString()));
    }
};

void TestTensorsPage::emptyPageSaysWhatToDo() {
    TensorsPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(!page.contentShown());
    QVERIFY(page.emptyText().contains("config.json"));
}

void TestTensorsPage::fixtureModelFillsSummaryAndHeatmap_data() {
    QTest::addColumn<QString>("fixture");
    for (const char* f :
         {"opt_tiny", "opt_postln_proj", "bloom_tiny", "llama_gqa_theta", "gpt2_tiny"})
        QTest::newRow(f) << QString("fixtures/hf/") + f;
    QTest::newRow("opt-2.7b") << "fixtures/configs/opt-2.7b/config.json";
}

void TestTensorsPage::fixtureModelFillsSummaryAndHeatmap() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(path, fixture);
    const auto explorer = open(path);
    ModelDataPage data;
    data.setExplorer(explorer);
    QVERIFY(data.contentShown());
    QCOMPARE(data.summaryValue("Tensors").toInt(), static_cast<int>(explorer->catalogue().size()));
    QVERIFY(data.summaryValue("Blocks").toInt() > 0);
    QVERIFY(!data.summaryValue("Parameters").isEmpty());

    TensorsPage page;
    page.resize(1200, 800);
    page.show();
    page.setExplorer(explorer);
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.contentShown());
    const TensorGrid& grid = page.heatmap()->grid();
    QCOMPARE(grid.tensorCount(), static_cast<int>(explorer->catalogue().size()));
    int covered = 0, nonEmpty = 0;
    for (int r = 0; r < grid.rows(); ++r)
        for (int c = 0; c < grid.columns(); ++c) {
            covered += static_cast<int>(grid.tensorsIn(r, c).size());
            if (!grid.tensorsIn(r, c).empty()) {
                ++nonEmpty;
                // every non-empty cell shows its summed cost (log scale: positive) or is a
                // zero-cost cell left transparent
                const double v = page.heatmap()->cellValue(r, c);
                QVERIFY(std::isnan(v) || v > 0);
            }
        }
    QCOMPARE(covered, static_cast<int>(explorer->catalogue().size()));
    QVERIFY(nonEmpty > grid.rows());
    QCOMPARE(page.table()->model()->rowCount(), static_cast<int>(explorer->catalogue().size()));
}

void TestTensorsPage::sliderChangesSelectionMonotonically() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-1.3b");
    TensorsPage page;
    page.show();
    page.setExplorer(open(path));
    QSignalSpy spy(&page, &TensorsPage::planChanged);
    QSlider* slider = page.rhoControl()->slider();
    double last = 0;
    int lastCount = 0;
    for (int v = 400; v <= 1000; v += 25) {
        slider->setValue(v); // as a drag would
        QCOMPARE(page.rho(), v / 1000.0);
        const auto& plan = page.currentPlan();
        QVERIFY(plan.share() <= page.rho() + 1e-12);
        QVERIFY2(plan.share() >= last, qPrintable(QString("rho %1").arg(page.rho())));
        QVERIFY(plan.selectedCount() >= lastCount || plan.share() >= last);
        last = plan.share();
        lastCount = plan.selectedCount();
        // the overlay shows exactly the plan: a trained tensor's cell is marked
        const auto& grid = page.heatmap()->grid();
        for (size_t t = 0; t < plan.selected.size(); ++t)
            if (plan.selected[t])
                QVERIFY(page.heatmap()->cellSelection(grid.rowOf(int(t)), grid.columnOf(int(t))) >
                        0);
    }
    QVERIFY(spy.count() >= 20);
    QCOMPARE(last, 1.0);
    QVERIFY(page.summary()->shareText().startsWith("1.000"));
}

void TestTensorsPage::infeasibleRhoIsExplained() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/bloomz-3b");
    TensorsPage page;
    page.show();
    page.setExplorer(open(path));
    page.setRho(0.35); // BLOOM's 250k-token head alone needs rho >= 0.403
    QVERIFY(page.currentPlan().selected.empty());
    auto* error = page.summary()->findChild<QLabel*>("PlanError");
    QVERIFY(error && error->isVisible());
    QVERIFY2(error->text().contains("infeasible") && error->text().contains("0.40"),
             qPrintable(error->text()));
    // the headroom explains it: rho_min is shown and nothing is left to choose from
    auto* minRho = page.summary()->findChild<QLabel*>("MinRhoValue");
    auto* spare = page.summary()->findChild<QLabel*>("SpareBudgetValue");
    QVERIFY2(minRho->text().startsWith("0.40"), qPrintable(minRho->text()));
    QVERIFY2(spare->text().startsWith("0.0%"), qPrintable(spare->text()));
    page.setRho(0.5);
    QVERIFY(!error->isVisible());
    QVERIFY(page.currentPlan().selectedCount() > 0);
    const double shown = spare->text().section('%', 0, 0).toDouble();
    QVERIFY2(std::abs(shown - 100 * page.currentPlan().headroom.spareBackwardShare) < 0.051,
             qPrintable(spare->text()));
    QVERIFY(shown > 0);
}

void TestTensorsPage::heatmapClickSelectsTableRows() {
    GT_REQUIRE_SHARED(path, "fixtures/hf/opt_tiny");
    TensorsPage page;
    page.resize(1000, 700);
    page.show();
    page.setExplorer(open(path));
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.heatmap()->replotNow();
    QCustomPlot* plot = page.heatmap()->plot();
    // Click the fc1 cell of block 1 (row 2).
    const TensorGrid& grid = page.heatmap()->grid();
    int fc1 = -1;
    for (int c = 0; c < grid.columns(); ++c)
        if (grid.columnLabel(c) == "fc1") fc1 = c;
    QVERIFY(fc1 >= 0);
    const QPoint at(int(plot->xAxis->coordToPixel(fc1)), int(plot->yAxis->coordToPixel(2)));
    QSignalSpy clicked(page.heatmap(), &TensorHeatmap::cellClicked);
    QTest::mouseClick(plot, Qt::LeftButton, {}, at);
    QCOMPARE(clicked.count(), 1);
    const auto rows = page.table()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 2); // fc1.weight and fc1.bias
    for (const QModelIndex& r : rows)
        QVERIFY(
            r.siblingAtColumn(TensorTableModel::Name).data().toString().contains("layers.1.fc1"));
}

void TestTensorsPage::tableModelPassesTheModelTester() {
    GT_REQUIRE_SHARED(path, "fixtures/hf/llama_tiny");
    const auto e = open(path);
    TensorTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTensors(e->catalogue(), e->costs(gt::green::Accounting::Exact), e->importance());
    model.setSelection(std::vector<uint8_t>(e->catalogue().size(), 1));
    QCOMPARE(model.rowCount(), static_cast<int>(e->catalogue().size()));
    QCOMPARE(model.index(0, TensorTableModel::Trained).data().toString(), QString("trained"));
}

void TestTensorsPage::paperModeAndMetricsSwitch() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-2.7b");
    TensorsPage page;
    page.show();
    page.setExplorer(open(path));
    page.setRho(0.5);
    // The chain order follows the accounting: no separate switch offers a mismatched pair.
    QVERIFY(!page.findChild<QComboBox*>("OrderCombo"));
    for (const char* name : {"AccountingCombo", "SelectorCombo"})
        page.findChild<QComboBox*>(name)->setCurrentIndex(1);
    QCOMPARE(page.currentPlan().order, gt::green::TensorOrder::Registration);
    QCOMPARE(page.currentPlan().selector, std::string("paper-dp"));
    QVERIFY(std::abs(page.currentPlan().share() - 0.5) < 0.01);
    for (auto m : {TensorsPage::Metric::Dy, TensorsPage::Metric::Forward,
                   TensorsPage::Metric::Importance, TensorsPage::Metric::Dw})
        page.setMetric(m);
    QVERIFY(page.heatmap()->plot()->plottableCount() == 1);
}

void TestTensorsPage::plotsFollowTheWindowPalette() {
    gt::widgets::TensorHeatmap heatmap;
    QCustomPlot* plot = heatmap.plot();
    const QColor lightBase = plot->palette().color(QPalette::Base);
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), lightBase);
    // A dark system palette reaches the widget as a PaletteChange: the plot repaints dark.
    QPalette dark = heatmap.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    heatmap.setPalette(dark);
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), QColor(0x1e, 0x1e, 0x1e));
    QCOMPARE(plot->xAxis->tickLabelColor(), QColor(0xee, 0xee, 0xee));
    QCOMPARE(plot->yAxis->labelColor(), QColor(0xee, 0xee, 0xee));
    QVERIFY(plot->xAxis->grid()->pen().color().lightness() > 0x1e); // grid stays visible
    heatmap.setPalette(QPalette());
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), lightBase);
}

void TestTensorsPage::slowPlansCoalesceSliderMoves() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-350m");
    gt::widgets::TensorsPage page;
    page.setExplorer(open(path));
    QSignalSpy plans(&page, &gt::widgets::TensorsPage::planChanged);
    // Fast plans follow every move at once.
    page.rhoControl()->setValue(0.6);
    page.rhoControl()->setValue(0.65);
    QCOMPARE(plans.size(), 2);
    // Once planning counts as slow, moves waiting in the queue collapse into one re-plan of
    // the last value.
    page.setCoalesceAboveMs(0.0);
    plans.clear();
    for (double rho : {0.7, 0.72, 0.74, 0.76, 0.78})
        page.rhoControl()->setValue(rho);
    QCOMPARE(plans.size(), 0);
    QTRY_COMPARE(plans.size(), 1);
    QCOMPARE(page.currentPlan().rho, 0.78);
    // A programmatic setRho is planned before it returns.
    page.setRho(0.62);
    QCOMPARE(plans.size(), 2);
    QCOMPARE(page.currentPlan().rho, 0.62);
}

// Issue #10 item 13: the slider as a user moves it, by keys and by a mouse drag, with the plan
// checked after the event queue settles (slider moves may coalesce into one re-plan).
void TestTensorsPage::sliderFollowsKeysAndADrag() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-350m");
    gt::widgets::TensorsPage page;
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setExplorer(open(path));
    QSlider* slider = page.rhoControl()->slider();
    slider->setFocus();
    const auto settled = [&](double rho) {
        QTRY_COMPARE(page.currentPlan().rho, rho);
        QVERIFY(page.currentPlan().share() <= rho + 1e-12);
    };
    page.setRho(0.5);
    QTest::keyClick(slider, Qt::Key_Right);
    QCOMPARE(page.rho(), 0.501);
    settled(0.501);
    QTest::keyClick(slider, Qt::Key_PageUp);
    QCOMPARE(page.rho(), 0.551);
    settled(0.551);
    QTest::keyClick(slider, Qt::Key_End);
    settled(1.0);
    QCOMPARE(page.currentPlan().selectedCount(),
             static_cast<int>(page.currentPlan().selected.size()));
    QTest::keyClick(slider, Qt::Key_Home);
    QCOMPARE(page.rho(), 0.3); // below OPT-350m's rho_min: explained, nothing planned
    QTRY_VERIFY(page.currentPlan().selected.empty());
    QVERIFY(page.summary()->findChild<QLabel*>("PlanError")->isVisible());
    for (int i = 0; i < 5; ++i) // held key: several moves, one settled plan
        QTest::keyClick(slider, Qt::Key_PageUp);
    settled(0.55);

    // A drag of the handle from its place to three quarters of the groove.
    QStyleOptionSlider opt;
    opt.initFrom(slider);
    opt.orientation = slider->orientation();
    opt.minimum = slider->minimum();
    opt.maximum = slider->maximum();
    opt.sliderPosition = opt.sliderValue = slider->value();
    const QRect handle =
        slider->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, slider);
    const QPoint from = handle.center();
    const QPoint to(slider->width() * 3 / 4, from.y());
    const auto send = [&](QEvent::Type type, QPoint at, Qt::MouseButtons buttons) {
        QMouseEvent e(type, at, slider->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
        QApplication::sendEvent(slider, &e);
    };
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int x = from.x(); x <= to.x(); x += 5)
        send(QEvent::MouseMove, QPoint(x, from.y()), Qt::LeftButton);
    send(QEvent::MouseButtonRelease, to, Qt::NoButton);
    QVERIFY2(page.rho() > 0.7 && page.rho() < 0.9, qPrintable(QString::number(page.rho())));
    settled(page.rho());
}

void TestTensorsPage::preflightCardFollowsThePlan() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-1.3b");
    TensorsPage page;
    gt::api::TrainJob job;
    job.options.maxSteps = 200;
    job.options.threads = 3;
    job.footprint.powerWatts = 50;
    job.footprint.gridIntensity = 300;
    bool formBroken = false;
    page.setJobSource([&] {
        if (formBroken) throw std::invalid_argument("choose a dataset file");
        return job;
    });
    QSignalSpy asked(&page, &TensorsPage::gemmRateRequested);
    page.show();
    page.setExplorer(open(path));
    page.setRho(0.4);
    page.refreshPreflight();
    // no rate yet: asked for once, at the job's threads, and the card says it waits
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.front().front().toInt(), 3);
    QVERIFY(!page.preflightView()->card());
    QVERIFY(page.preflightView()->rowText("note").contains("Measuring"));
    page.refreshPreflight();
    QCOMPARE(asked.size(), 1);

    page.setGemmRate(3, 100.0);
    const auto low = page.preflightView()->card();
    QVERIFY(low);
    // the plan on screen at the measured rate, for the job's steps, power and grid
    const double perStep =
        2 * page.currentPlan().plannedMacs / (100e9 * gt::api::kTrainingGemmEfficiency);
    QVERIFY(std::abs(low->secondsPerStep - perStep) < 1e-9 * perStep);
    QVERIFY(std::abs(low->totalSeconds - 200 * perStep) < 1e-9 * low->totalSeconds);
    QCOMPARE(low->energyMethod, std::string("estimated:user-watts"));
    QVERIFY(std::abs(*low->joules - 50 * low->totalSeconds) < 1e-6 * *low->joules);
    QVERIFY(std::abs(*low->co2Grams - *low->joules / 3.6e6 * 300) < 1e-9 * *low->co2Grams);
    QVERIFY(page.preflightView()->rowText("co2").contains("300 g/kWh"));
    QVERIFY(page.preflightView()->rowText("note").contains("200 steps"));

    // a higher rho: a dearer plan, the card follows once the slider rests
    page.setRho(0.8);
    QTRY_VERIFY(page.preflightView()->card() &&
                page.preflightView()->card()->secondsPerStep > low->secondsPerStep);
    QVERIFY(page.preflightView()->card()->peakBytes > low->peakBytes); // more state to keep

    // an infeasible rho or a broken form: no figures, and the reason
    page.setRho(0.05);
    page.refreshPreflight();
    QVERIFY(!page.preflightView()->card());
    QVERIFY(page.preflightView()->rowText("note").contains("No plan"));
    page.setRho(0.5);
    formBroken = true;
    page.refreshPreflight();
    QVERIFY(!page.preflightView()->card());
    QVERIFY(page.preflightView()->rowText("note").contains("choose a dataset file"));
    formBroken = false;
    job.options.threads = 1; // another thread count: measured anew, and a failure is shown
    page.refreshPreflight();
    QCOMPARE(asked.size(), 2);
    page.showGemmRateFailed(1, "no BLAS");
    QVERIFY(page.preflightView()->rowText("note").contains("no BLAS"));
}

void TestTensorsPage::pinsFromClicksAndButtons() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-1.3b");
    TensorsPage page;
    page.resize(1200, 800);
    page.show();
    page.setExplorer(open(path));
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setRho(0.55);
    const auto unpinned = page.currentPlan().selected;
    page.heatmap()->replotNow();
    QCustomPlot* plot = page.heatmap()->plot();
    const TensorGrid& grid = page.heatmap()->grid();
    auto click = [&](int row, int column) {
        const QPoint at(int(plot->xAxis->coordToPixel(column)),
                        int(plot->yAxis->coordToPixel(row)));
        QTest::mouseClick(plot, Qt::LeftButton, {}, at);
    };
    // a trained cell and an untrained one, both in blocks, nearest the output
    int trainedRow = -1, trainedCol = -1, frozenRow = -1, frozenCol = -1;
    for (int r = grid.rows() - 1; r >= 0; --r)
        for (int c = 0; c < grid.columns(); ++c) {
            const auto& ts = grid.tensorsIn(r, c);
            if (ts.empty() || page.explorer()->catalogue()[ts.front()].block < 0) continue;
            if (trainedRow < 0 && page.heatmap()->cellSelection(r, c) == 2) {
                trainedRow = r;
                trainedCol = c;
            }
            if (frozenRow < 0 && page.heatmap()->cellSelection(r, c) == 0) {
                frozenRow = r;
                frozenCol = c;
            }
        }
    QVERIFY(trainedRow >= 0 && frozenRow >= 0);
    QSignalSpy changed(&page, &TensorsPage::pinsChanged);

    // pin out a trained cell: click it, then Pin out
    click(trainedRow, trainedCol);
    const auto out = page.selectedTensors();
    QVERIFY(!out.empty());
    QTest::mouseClick(page.pinButton(gt::green::Pin::Out), Qt::LeftButton);
    QCOMPARE(changed.size(), 1);
    for (int t : out)
        QVERIFY(!page.currentPlan().selected[t]);
    QCOMPARE(page.heatmap()->cellPins(trainedRow, trainedCol), 2);
    QCOMPARE(page.currentPlan().pinnedOut, static_cast<int>(out.size()));
    QVERIFY(page.currentPlan().share() <= 0.55 + 1e-12);
    const QModelIndex row = page.table()->selectionModel()->selectedRows().front();
    QCOMPARE(row.siblingAtColumn(TensorTableModel::Trained).data().toString(),
             QString("pinned out"));

    // pin in an untrained cell: trained now, whatever its importance
    click(frozenRow, frozenCol);
    const auto in = page.selectedTensors();
    QTest::mouseClick(page.pinButton(gt::green::Pin::In), Qt::LeftButton);
    for (int t : in)
        QVERIFY(page.currentPlan().selected[t]);
    QCOMPARE(page.heatmap()->cellPins(frozenRow, frozenCol), 1);
    QCOMPARE(page.currentPlan().pinnedIn, static_cast<int>(in.size()));
    QVERIFY(page.currentPlan().share() <= 0.55 + 1e-12);
    // what a run started from the Train page stores: one exact name per pinned tensor
    const auto patterns = page.pinPatterns(gt::green::Pin::In);
    QCOMPARE(patterns.size(), in.size());
    const auto again = gt::green::pinsFromPatterns(page.explorer()->catalogue(), patterns,
                                                   page.pinPatterns(gt::green::Pin::Out));
    QVERIFY(again == page.pins());

    // the embedding pinned in pays the whole dY chain: over budget at 0.55, said so
    page.pinTensors({page.explorer()->catalogue().find("model.decoder.embed_tokens.weight")},
                    gt::green::Pin::In);
    QVERIFY(page.currentPlan().selected.empty());
    auto* error = page.summary()->findChild<QLabel*>("PlanError");
    QVERIFY(error && error->isVisible() && error->text().contains("raise rho or pin fewer"));
    page.setRho(1.0);
    QVERIFY(!page.currentPlan().selected.empty() && !error->isVisible());
    // the paper's DP takes no pins
    page.findChild<QComboBox*>("SelectorCombo")->setCurrentIndex(1);
    QVERIFY(page.currentPlan().selected.empty());
    QVERIFY(error->isVisible() && error->text().contains("exact DP"));
    page.findChild<QComboBox*>("SelectorCombo")->setCurrentIndex(0);

    // Clear pins gives the plan back; a new model starts without pins
    page.setRho(0.55);
    QTest::mouseClick(page.findChild<QPushButton*>("ClearPins"), Qt::LeftButton);
    QVERIFY(!page.pins().any());
    QVERIFY(page.currentPlan().selected == unpinned);
    QCOMPARE(page.heatmap()->cellPins(trainedRow, trainedCol), 0);
    page.pinTensors({0}, gt::green::Pin::Out);
    const int before = static_cast<int>(changed.size());
    page.setExplorer(open(path));
    QVERIFY(!page.pins().any());
    QCOMPARE(static_cast<int>(changed.size()), before + 1);
}

void TestTensorsPage::whyExplainsTheSelectedTensor() {
    GT_REQUIRE_SHARED(path, "fixtures/configs/opt-1.3b");
    TensorsPage page;
    page.resize(1200, 800);
    page.show();
    page.setExplorer(open(path));
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setRho(0.5);
    const auto& cat = page.explorer()->catalogue();
    const auto& plan = page.currentPlan();
    QCOMPARE(page.whyView()->tensor(), -1);
    QVERIFY(page.whyView()->text().contains("Select one tensor"));
    // the table is sorted by catalogue index: row i is tensor i
    auto clickRow = [&](int tensor, Qt::KeyboardModifiers mods = {}) {
        QTableView* t = page.table();
        const QModelIndex idx = t->model()->index(tensor, TensorTableModel::Name);
        t->scrollTo(idx);
        QTest::mouseClick(t->viewport(), Qt::LeftButton, mods, t->visualRect(idx).center());
    };
    int trained = -1, frozen = -1;
    for (int i = int(cat.size()) - 1; i >= 0; --i) {
        if (trained < 0 && plan.selected[i]) trained = i;
        if (frozen < 0 && !plan.selected[i] && page.explorer()->importance()[i] > 0) frozen = i;
    }
    QVERIFY(trained >= 0 && frozen >= 0);
    clickRow(frozen);
    QTRY_COMPARE(page.whyView()->tensor(), frozen);
    const QString name = QString::fromStdString(cat[frozen].name);
    QVERIFY2(page.whyView()->text().startsWith(name + " — not trained at rho 0.50"),
             qPrintable(page.whyView()->text()));
    QVERIFY2(page.whyView()->text().contains("needs rho >= ") ||
                 page.whyView()->text().contains("not chosen at any rho"),
             qPrintable(page.whyView()->text()));
    QVERIFY(page.whyView()->text().contains("pinning it in "));
    clickRow(trained);
    QTRY_COMPARE(page.whyView()->tensor(), trained);
    QVERIFY2(page.whyView()->text().contains(" — trained at rho 0.50"),
             qPrintable(page.whyView()->text()));
    QVERIFY(page.whyView()->text().contains("it costs the plan "));
    // hovering a cell tells what its tensors cost this plan (no re-planning on hover)
    page.heatmap()->replotNow();
    QCustomPlot* plot = page.heatmap()->plot();
    const TensorGrid& grid = page.heatmap()->grid();
    for (int r = 0; r < grid.rows(); ++r)
        for (int c = 0; c < grid.columns(); ++c) {
            const auto& ts = grid.tensorsIn(r, c);
            if (std::find(ts.begin(), ts.end(), trained) == ts.end()) continue;
            QTest::mouseMove(
                plot, QPoint(int(plot->xAxis->coordToPixel(c)), int(plot->yAxis->coordToPixel(r))));
        }
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains("costs the plan") &&
                 QToolTip::text().contains("importance per GFLOP") &&
                 QToolTip::text().contains("Click to see why"),
             qPrintable(QToolTip::text()));
    // the explanation follows the slider once it rests
    page.setRho(0.6);
    QTRY_VERIFY(page.whyView()->text().contains("at rho 0.60"));
    clickRow(frozen, Qt::ControlModifier);
    QTRY_VERIFY(page.whyView()->text().contains("2 tensors selected"));
    QCOMPARE(page.whyView()->tensor(), -1);
}

QTEST_MAIN(TestTensorsPage)
#include "tst_tensors_page.moc"
