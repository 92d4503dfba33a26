// The Train page and its controller with a real tiny model and real training off the GUI
// thread (app::TrainingController, app::ProbeController): a short run
// emits every step, fills the charts (loss, ROUGE at each validation pass, FLOPs, plan strip),
// lands in the SQLite store and shows on the Runs page; Stop ends a run cleanly with a
// resumable checkpoint, and Resume finishes it.
#include "app/gui/background_job.h"
#include "app/gui/probe_controller.h"
#include "app/gui/training_controller.h"
#include "core/api/cost_explorer.h"
#include "core/api/job_json.h"
#include "core/api/run_checkpoint.h"
#include "core/store/experiment_store.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"
#include "widgets/charts/tensor_heatmap.h"
#include "widgets/charts/training_charts.h"
#include "widgets/panels/preflight_view.h"
#include "widgets/panels/probe_bar.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/train_page.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <fstream>

using namespace gt;

class TestTrainPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void shortRunFillsChartsAndStore();
    void stopEndsCleanlyAndResumeFinishes();
    void pauseHoldsTheRunUntilContinued();
    void buttonsDriveTheRun();
    void badInputIsShownNotThrown();
    void tensorsPageProbesTheTrainPagesJob();
    void chartsShowEnergyCarbonAndRhoOnlyWhenThereAreSome();
    void rhoFollowsTheGridFromTheForm();
    void rhoWithinABudgetFromTheForm();
    void wheelScrollsTheFormNotItsFields();
    void eachMethodShowsItsOwnSettings();

private:
    void configure(widgets::TrainPage& page, int steps);
    QTemporaryDir m_dir;
    QString m_model, m_data, m_db;
};

void TestTrainPage::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    m_model = m_dir.filePath("model");
    QDir().mkpath(m_model);
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model));
    m_data = m_dir.filePath("pairs.jsonl");
    std::ofstream out(m_data.toStdString());
    for (int i = 0; i < 24; ++i)
        out << R"({"source": "the tool )" << i << R"( reads and writes the files of the )"
            << (i % 3 ? "editor" : "archive") << R"( quickly", "target": "a fast )"
            << (i % 3 ? "editor" : "archive") << R"( tool"})"
            << "\n";
    m_db = m_dir.filePath("runs.sqlite");
}

void TestTrainPage::configure(widgets::TrainPage& page, int steps) {
    page.setModelDir(m_model);
    page.setStorePath(m_db);
    page.setDataset("file", m_data);
    page.stepsBox()->setValue(steps);
    page.batchBox()->setValue(2);
    page.seqLenBox()->setValue(48);
    page.limitBox()->setValue(8);
    page.evalExamplesBox()->setValue(2);
}

void TestTrainPage::shortRunFillsChartsAndStore() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    page.resize(1100, 760);
    page.show();
    configure(page, 4);
    QCOMPARE(page.methodBox()->currentData().toString(), QString("greentrainer"));
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QSignalSpy steps(&controller, &app::TrainingController::progress);
    QVERIFY(page.startTraining());
    QVERIFY(page.isTraining());
    QVERIFY(!page.startTraining()); // one run at a time
    QVERIFY(ended.wait(120'000));
    QVERIFY2(ended.front().front().toLongLong() > 0, qPrintable(page.log()->toPlainText()));
    QCOMPARE(steps.size(), 4);
    QCOMPARE(page.progressBar()->value(), 4);
    auto* charts = page.charts();
    QTRY_VERIFY(charts->replots() > 0);
    QCOMPARE(charts->lossPlot()->graph(0)->dataCount(), 4);
    QCOMPARE(charts->flopsPlot()->graph(0)->dataCount(), 4);
    // cumulative FLOPs of a GreenTrainer run stay below the full fine-tuning line
    const double mine = charts->flopsPlot()->graph(0)->data()->at(3)->value;
    const double full = charts->flopsPlot()->graph(1)->data()->at(3)->value;
    QVERIFY(mine > 0 && mine < full);
    QVERIFY(charts->rougePlot()->graph(0)->dataCount() >= 1); // the final validation pass
    QVERIFY(page.log()->toPlainText().contains("selection round 0"));
    QVERIFY(page.log()->toPlainText().contains("finished"));
    // the pre-flight card: predicted at the first plan, measured after steps 2-4
    const QString time = page.preflightView()->rowText("time");
    QVERIFY2(time.contains("per step") && time.contains("measured"), qPrintable(time));
    QVERIFY(page.preflightView()->rowText("memory").contains("MiB"));
    QVERIFY(!page.preflightView()->rowText("time").contains("–"));

    store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns({});
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs[0].method, std::string("greentrainer"));
    QCOMPARE(runs[0].status, store::RunStatus::Finished);
    QCOMPARE(s.series(runs[0].id, "train/loss").size(), size_t(4));

    // A second run (full FT), then the Runs page lists both and overlays their curves.
    page.methodBox()->setCurrentIndex(page.methodBox()->findData("full"));
    QVERIFY(page.startTraining());
    QVERIFY(ended.wait(120'000));
    widgets::RunsPage runsPage;
    runsPage.setStorePath(m_db.toStdString());
    QCOMPARE(runsPage.table()->model()->rowCount(), 2);
    QCOMPARE(runsPage.lossPlot()->graphCount(), 2);
}

void TestTrainPage::stopEndsCleanlyAndResumeFinishes() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 400);
    page.evalExamplesBox()->setValue(0);
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QVERIFY(page.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(page.charts()->lossPlot()->graph(0)->dataCount() >= 2, 60'000);
    page.stopTraining();
    QVERIFY(ended.wait(60'000));
    QVERIFY(!page.isTraining());
    const qint64 id = ended.back().front().toLongLong();
    QVERIFY(id > 0);
    {
        store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
        QCOMPARE(s.run(id)->status, store::RunStatus::Stopped);
    }
    auto* resume = page.findChild<QPushButton*>("ResumeTraining");
    QVERIFY(resume->isEnabled());
    QVERIFY(page.log()->toPlainText().contains("Resume continues from"));
    page.stepsBox()->setValue(1); // irrelevant to a resume: the stored job decides
    resume->click();
    QVERIFY(page.isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(page.progressBar()->value() > 2, 60'000);
    page.stopTraining(); // keep the test short: a second clean stop of the resumed run
    QVERIFY(ended.wait(60'000));
    store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.run(id)->status, store::RunStatus::Stopped);
    QVERIFY(s.series(id, "train/loss").size() > 2); // the resumed steps joined the same run
}

void TestTrainPage::pauseHoldsTheRunUntilContinued() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 400);
    page.evalExamplesBox()->setValue(0);
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QSignalSpy steps(&controller, &app::TrainingController::progress);
    QVERIFY(page.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(steps.size() >= 2, 60'000);
    auto* pause = page.findChild<QPushButton*>("PauseTraining");
    QVERIFY(pause->isEnabled());
    pause->click();
    QVERIFY(page.isPaused() && controller.isPaused());
    QTest::qWait(300); // the step under way may still report
    const auto held = steps.size();
    QTest::qWait(700);
    QCOMPARE(steps.size(), held); // no step while paused
    { // and it holds with a checkpoint of the paused step: a crash now loses nothing
        store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
        const auto running = s.listRuns({.status = store::RunStatus::Running});
        QCOMPARE(running.size(), size_t{1});
        const auto checkpoint = api::latestCheckpoint(s, running[0].id);
        QVERIFY(checkpoint);
        QCOMPARE(api::readCheckpoint(*checkpoint).step, static_cast<int64_t>(held));
    }
    QVERIFY(page.isTraining());
    QVERIFY(page.log()->toPlainText().contains("paused"));
    pause->click(); // continue
    QVERIFY(!page.isPaused() && !controller.isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(steps.size() > held + 2, 60'000);
    pause->click(); // pause again, then Stop ends the paused run cleanly
    page.stopTraining();
    QVERIFY(ended.wait(60'000));
    QVERIFY(ended.back().front().toLongLong() > 0);
    QVERIFY(!pause->isEnabled());
    QVERIFY(!pause->isChecked());
}

// Issue #10 item 13: Start, Pause, Continue, Stop and Resume clicked as a user clicks them,
// with every button's state and the page's state checked after each click.
void TestTrainPage::buttonsDriveTheRun() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 400);
    page.evalExamplesBox()->setValue(0);
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto* start = page.findChild<QPushButton*>("StartTraining");
    auto* pause = page.findChild<QPushButton*>("PauseTraining");
    auto* stop = page.findChild<QPushButton*>("StopTraining");
    auto* resume = page.findChild<QPushButton*>("ResumeTraining");
    const auto buttons = [&](bool s, bool p, bool t, bool r) {
        QCOMPARE(start->isEnabled(), s);
        QCOMPARE(pause->isEnabled(), p);
        QCOMPARE(stop->isEnabled(), t);
        QCOMPARE(resume->isEnabled(), r);
    };
    buttons(true, false, false, false);
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QSignalSpy steps(&controller, &app::TrainingController::progress);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(page.isTraining());
    buttons(false, true, true, false);
    QTRY_VERIFY_WITH_TIMEOUT(steps.size() >= 2, 60'000);

    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(page.isPaused() && controller.isPaused() && pause->isChecked());
    QCOMPARE(pause->text(), QString("Continue"));
    buttons(false, true, true, false);
    QTest::qWait(300);
    const auto held = steps.size();
    QTest::qWait(500);
    QCOMPARE(steps.size(), held);

    QTest::mouseClick(pause, Qt::LeftButton); // Continue
    QVERIFY(!page.isPaused() && !controller.isPaused() && !pause->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(steps.size() > held + 1, 60'000);

    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(ended.wait(60'000));
    QVERIFY(!page.isTraining());
    buttons(true, false, false, true);
    const auto stoppedAt = page.progressBar()->value();

    QTest::mouseClick(resume, Qt::LeftButton);
    QVERIFY(page.isTraining());
    buttons(false, true, true, false);
    QTRY_VERIFY_WITH_TIMEOUT(page.progressBar()->value() > stoppedAt + 1, 60'000);
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(ended.wait(60'000));
    buttons(true, false, false, true);
    // the resumed steps continued the same curve
    QCOMPARE(page.charts()->lossPlot()->graph(0)->dataCount(), page.progressBar()->value());
}

void TestTrainPage::badInputIsShownNotThrown() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 2);
    page.setDataset("file", m_dir.filePath("missing.jsonl"));
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QVERIFY(page.startTraining()); // the controller reports the core's error
    QVERIFY(ended.wait(60'000));
    QCOMPARE(ended.front().front().toLongLong(), 0);
    QVERIFY2(page.log()->toPlainText().contains("missing.jsonl"),
             qPrintable(page.log()->toPlainText()));
    page.setDataset("file", "");
    QVERIFY(!page.startTraining()); // rejected in the form, no thread started
    QVERIFY(page.log()->toPlainText().contains("choose a dataset file"));
}

void TestTrainPage::tensorsPageProbesTheTrainPagesJob() {
    widgets::TrainPage train;
    configure(train, 2);
    app::ProbeController prober;
    widgets::TensorsPage tensors;
    tensors.setExplorer(
        std::make_shared<api::CostExplorer>(api::CostExplorer::open(m_model.toStdString())));
    QVERIFY(!QString::fromStdString(tensors.explorer()->importanceSource()).startsWith("probe:"));
    tensors.setJobSource([&train] { return train.job(); });
    auto* bar = tensors.probeBar();
    prober.attach(bar);
    QSignalSpy probed(bar, &widgets::ProbeBar::probed);
    QSignalSpy passes(prober.job(), &app::BackgroundJob::progress);
    bar->setBatches(2);
    bar->button()->click();
    QVERIFY(bar->isRunning());
    QVERIFY(probed.wait(60'000));
    QCOMPARE(passes.size(), 4); // two batches, g(w) and g(w + dw)
    const auto& imp = tensors.explorer()->importance();
    QCOMPARE(imp.size(), tensors.explorer()->catalogue().size());
    double largest = 0;
    for (double v : imp)
        largest = std::max(largest, std::abs(v));
    QCOMPARE(largest, 1.0);
    QCOMPARE(QString::fromStdString(tensors.explorer()->importanceSource()),
             QString("probe: 2 batches"));
    QVERIFY(tensors.heatmap()->valueLabel().contains("probe: 2 batches"));
    QVERIFY(bar->statusText().contains("probed on 2 batches"));

    // A model without weights cannot be probed; the bar says why and starts nothing.
    train.setModelDir({});
    QVERIFY(!bar->start());
    QVERIFY(bar->statusText().contains("weights"));
}

void TestTrainPage::chartsShowEnergyCarbonAndRhoOnlyWhenThereAreSome() {
    widgets::TrainingCharts charts;
    api::TrainProgress p;
    p.step.step = 1;
    p.step.loss = 3;
    p.step.plannedMacs = 1e12;
    p.step.fullMacs = 4e12;
    charts.addStep(p); // no energy figure (unknown CPU, no counter): no energy curve
    QVERIFY(!charts.showsEnergy());
    QVERIFY(!charts.showsCarbon());
    p.step.step = 2;
    p.energyJoules = 1500.0;
    charts.addStep(p);
    QVERIFY(charts.showsEnergy());
    QVERIFY(!charts.showsCarbon());
    QCOMPARE(charts.energyPlot()->graph(0)->dataCount(), 1);
    QCOMPARE(charts.energyPlot()->graph(0)->data()->at(0)->value, 1.5); // kJ
    // full fine-tuning at this run's energy per FLOP: 4x the FLOPs, 4x the energy
    QCOMPARE(charts.energyPlot()->graph(1)->data()->at(0)->value, 6.0);
    // a grid intensity adds CO2 and the intensity line; each round's rho is a step line
    charts.addPlanRound({1, 2, {1, 0}, 0.25, 0.7, 300.0});
    p.step.step = 3;
    p.energyJoules = 3600.0;
    p.co2Grams = 0.3;
    p.gridGPerKwh = 300.0;
    charts.addStep(p);
    QVERIFY(charts.showsCarbon());
    QCOMPARE(charts.energyPlot()->graph(2)->data()->at(0)->value, 0.3);
    QCOMPARE(charts.energyPlot()->graph(3)->data()->at(0)->value, 1.2);
    QCOMPARE(charts.carbonPlot()->graph(1)->data()->at(0)->value, 300.0);
    const auto* rho = charts.carbonPlot()->graph(0)->data().data();
    QCOMPARE(rho->size(), 2); // the round's start and the newest step
    QCOMPARE(rho->at(0)->key, 2.0);
    QCOMPARE(rho->at(1)->key, 3.0);
    QCOMPARE(rho->at(1)->value, 0.7);
    charts.setEnergyMethod("estimated:cpu-model");
    QCOMPARE(charts.energyPlot()->graph(0)->name(), QString("energy, estimated:cpu-model"));
    charts.clear();
    QVERIFY(!charts.showsEnergy());
    QVERIFY(charts.carbonPlot()->graph(0)->data()->isEmpty());
}

void TestTrainPage::rhoFollowsTheGridFromTheForm() {
    // a ramp from 100 g/kWh rising 1 g/kWh an hour, replayed fast
    const QString trace = m_dir.filePath("ramp.csv");
    {
        std::ofstream f(trace.toStdString());
        f << "time,g_per_kwh\n";
        for (int h = 0; h < 500; ++h) // 2022-01-01 to 01-21
            f << "2022-01-" << (h / 24 + 1 < 10 ? "0" : "") << h / 24 + 1 << "T"
              << (h % 24 < 10 ? "0" : "") << h % 24 << ":00:00Z," << 100 + h << "\n";
    }
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 6);
    // what the Grid field means: a number, a country, a trace
    QTest::keyClicks(page.gridEdit(), "400");
    QCOMPARE(page.job().footprint.gridIntensity, 400.0);
    page.gridEdit()->clear();
    QTest::keyClicks(page.gridEdit(), "FRA");
    QCOMPARE(page.job().footprint.gridCountry, std::string("FRA"));
    page.scheduleBox()->setCurrentIndex(page.scheduleBox()->findData("carbon"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, page.job()); // needs a trace
    page.gridEdit()->setText(trace);
    page.traceSpeedBox()->setValue(1e5); // 28 trace hours a second: no wrap in the run
    page.intervalStepsBox()->setValue(2);
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QVERIFY(page.startTraining());
    QVERIFY(ended.wait(120'000));
    QVERIFY2(ended.front().front().toLongLong() > 0, qPrintable(page.log()->toPlainText()));
    auto* charts = page.charts();
    QTRY_VERIFY(charts->replots() > 0);
    QVERIFY(charts->showsCarbon());                            // energy and CO2 with a grid
    QVERIFY(charts->carbonPlot()->graph(1)->dataCount() == 6); // the intensity at every step
    QVERIFY(page.preflightView()->rowText("co2").contains("g/kWh"));
    // rounds at steps 0, 2, 4 on a rising trace: rho never rises
    store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
    const auto rounds = s.rounds(ended.front().front().toLongLong());
    QCOMPARE(rounds.size(), size_t(3));
    // the trace's first day is its cleanest: the high end of 0.5-0.9, not the form's rho 0.5
    QVERIFY2(*rounds[0].rho > 0.6, qPrintable(QString::number(*rounds[0].rho)));
    for (size_t i = 1; i < rounds.size(); ++i) {
        QVERIFY(*rounds[i].gridGPerKwh > *rounds[i - 1].gridGPerKwh);
        QVERIFY(*rounds[i].rho <= *rounds[i - 1].rho);
    }
}

void TestTrainPage::rhoWithinABudgetFromTheForm() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    configure(page, 6);
    auto* power = page.findChild<QDoubleSpinBox*>("PowerWatts");
    auto* energy = page.findChild<QDoubleSpinBox*>("EnergyBudget");
    auto* carbon = page.findChild<QDoubleSpinBox*>("CarbonBudget");
    auto* deadline = page.findChild<QDoubleSpinBox*>("Deadline");
    QVERIFY(power && energy && carbon && deadline);
    QVERIFY(!energy->isEnabled());                  // limits are for the budget schedule only
    QCOMPARE(page.job().footprint.powerWatts, 0.0); // 0: the counter or the CPU model
    page.scheduleBox()->setCurrentIndex(page.scheduleBox()->findData("budget"));
    QVERIFY(energy->isEnabled() && carbon->isEnabled() && deadline->isEnabled());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, page.job()); // no limit yet
    carbon->setValue(5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, page.job()); // a CO2 limit needs a grid
    carbon->setValue(0);
    power->setValue(40);
    energy->setValue(0.5);
    deadline->setValue(2);
    const auto f = page.job().footprint;
    QCOMPARE(f.rhoSchedule, std::string("budget"));
    QCOMPARE(f.powerWatts, 40.0);
    QCOMPARE(f.energyBudgetKwh, 0.5);
    QCOMPARE(f.deadlineHours, 2.0);
    QCOMPARE(f.carbonBudgetGrams, 0.0);
    page.methodBox()->setCurrentIndex(page.methodBox()->findData("lora"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, page.job()); // GreenTrainer only
    page.methodBox()->setCurrentIndex(page.methodBox()->findData("greentrainer"));

    // A run with limits far above its cost: the first round starts at the range's low end
    // (nothing measured yet), the next takes the high end; the energy is the typed-in
    // wattage's.
    page.intervalStepsBox()->setValue(3);
    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QVERIFY(page.startTraining());
    QVERIFY(ended.wait(120'000));
    const qint64 id = ended.front().front().toLongLong();
    QVERIFY2(id > 0, qPrintable(page.log()->toPlainText()));
    store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.run(id)->energyMethod, std::string("estimated:user-watts"));
    const auto rounds = s.rounds(id);
    QCOMPARE(rounds.size(), size_t(2));
    QVERIFY2(std::abs(*rounds[0].rho - 0.5) < 1e-9, qPrintable(QString::number(*rounds[0].rho)));
    QVERIFY2(std::abs(*rounds[1].rho - 0.9) < 1e-9, qPrintable(QString::number(*rounds[1].rho)));
    // a checkpoint's job gives the form back as it was
    widgets::TrainPage restored;
    restored.restoreRun(api::jobFromJson(api::jobToJson(page.job())), id, {});
    QCOMPARE(restored.findChild<QDoubleSpinBox*>("EnergyBudget")->value(), 0.5);
    QCOMPARE(restored.findChild<QDoubleSpinBox*>("Deadline")->value(), 2.0);
    QCOMPARE(restored.findChild<QDoubleSpinBox*>("PowerWatts")->value(), 40.0);
}

void TestTrainPage::wheelScrollsTheFormNotItsFields() {
    widgets::TrainPage page;
    configure(page, 6);
    page.resize(1100, 500); // the form is taller than its column: it scrolls
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto* scroll = page.findChild<QScrollArea*>();
    QVERIFY(scroll && scroll->verticalScrollBar()->maximum() > 0);
    const int batch = page.batchBox()->value();
    const int top = scroll->verticalScrollBar()->value();
    QWheelEvent down(QPointF(5, 5), page.batchBox()->mapToGlobal(QPointF(5, 5)), QPoint(),
                     QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(page.batchBox(), &down);
    QCOMPARE(page.batchBox()->value(), batch);           // unfocused: left alone
    QVERIFY(scroll->verticalScrollBar()->value() > top); // the form scrolled instead
}

// Issue #22: the method box offers every method; the settings row shows the chosen method's
// own fields (picked with the keyboard as a user does), the job carries them, a BAdam run
// started from the page is stored with its block switches, and a checkpoint's job gives the
// form back as it was.
void TestTrainPage::eachMethodShowsItsOwnSettings() {
    widgets::TrainPage page;
    app::TrainingController controller;
    controller.attach(&page);
    page.resize(1100, 760);
    page.show();
    configure(page, 6);
    auto* settings = page.findChild<QStackedWidget*>("MethodSettings");
    QVERIFY(settings);
    const auto shown = [&](const char* name) {
        return settings->currentWidget()->findChild<QWidget*>(name) != nullptr;
    };
    QComboBox* method = page.methodBox();
    for (const char* key : {"prefix", "lisa", "badam", "freezeout"})
        QVERIFY2(method->findData(key) >= 0, key);
    method->setFocus();
    while (method->currentData().toString() != "lisa")
        QTest::keyClick(method, Qt::Key_Down);
    QVERIFY(shown("LisaLayers") && shown("LisaInterval") && !shown("BadamInterval"));
    auto* layers = page.findChild<QSpinBox*>("LisaLayers");
    layers->setValue(1);
    QCOMPARE(page.job().options.method, train::Method::Lisa);
    QCOMPARE(page.job().options.lisaLayers, 1);
    QTest::keyClick(method, Qt::Key_Down);
    QCOMPARE(method->currentData().toString(), QString("badam"));
    QVERIFY(shown("BadamInterval") && shown("BadamOrder") && !shown("LisaLayers"));
    page.findChild<QSpinBox*>("BadamInterval")->setValue(2);
    auto* order = page.findChild<QComboBox*>("BadamOrder");
    order->setCurrentIndex(order->findData("descending"));
    const auto job = page.job();
    QCOMPARE(job.options.badamInterval, int64_t{2});
    QCOMPARE(job.options.badamOrder, std::string("descending"));
    QTest::keyClick(method, Qt::Key_Down);
    QVERIFY(shown("FreezeStart"));
    QTest::keyClick(method, Qt::Key_Up);

    QSignalSpy ended(&page, &widgets::TrainPage::runEnded);
    QVERIFY(page.startTraining());
    QVERIFY(ended.wait(120'000));
    const qint64 id = ended.front().front().toLongLong();
    QVERIFY2(id > 0, qPrintable(page.log()->toPlainText()));
    store::ExperimentStore s(m_db.toStdString(), store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.run(id)->method, std::string("badam"));
    // 6 steps, a block every 2, descending over gpt2_tiny's 2 blocks: rounds at 0, 2, 4
    const auto rounds = s.rounds(id);
    QCOMPARE(rounds.size(), size_t(3));
    QCOMPARE(rounds[1].step, int64_t{2});
    QCOMPARE(s.series(id, "planned_share").size(), size_t{6});
    widgets::TrainPage restored;
    restored.restoreRun(api::jobFromJson(api::jobToJson(job)), id, {});
    QCOMPARE(restored.methodBox()->currentData().toString(), QString("badam"));
    QCOMPARE(restored.findChild<QSpinBox*>("BadamInterval")->value(), 2);
    QCOMPARE(restored.findChild<QComboBox*>("BadamOrder")->currentData().toString(),
             QString("descending"));
}

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
