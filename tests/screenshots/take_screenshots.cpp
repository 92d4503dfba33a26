// Renders every workbench page as a user sees it and saves PNGs (README screenshots):
//   take_screenshots OUTDIR [MODEL_DIR] [STORE] [pages|runs|crash|resume]
// Opens MODEL_DIR (default: the starter model), shows Model & Data, Tensors (rho 0.5; then
// the probed importance at rho 0.6); unless "pages" is given,
// runs a short GreenTrainer fine-tuning from the Train page and captures it live and
// finished, then the Runs page (loss overlay and ROUGE-vs-cost) over STORE (default: the
// user's store). "runs" captures only the Runs page over STORE (nothing is trained, so a
// store of measured runs stays as it is). "crash" starts a run from the Train page, captures
// it and then kills its own process (SIGKILL, as a crash or power cut would); "resume", run
// after it on the same STORE, captures the Runs page with the run interrupted, clicks Resume
// and captures the resumed run live and finished. Runs offscreen or under Xvfb.
#include "app/gui/main_window.h"
#include "core/api/builtin_resources.h"
#include "widgets/charts/parallel_coordinates.h"
#include "widgets/panels/dataset_panel.h"
#include "widgets/panels/preflight_view.h"
#include "widgets/panels/probe_bar.h"
#include "widgets/panels/run_compare_panel.h"
#include "widgets/panels/runs_page.h"
#include "widgets/panels/tensors_page.h"
#include "widgets/panels/train_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPalette>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

void pump(int ms) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(QWidget& w, const QString& file) {
    pump(300);
    const bool ok = w.grab().save(file);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(file));
    return ok;
}

/// The Runs page over `store` (the user's store when null): loss overlay, ROUGE vs cost and
/// the selection history.
bool saveRunsPage(gt::app::MainWindow& w, const char* store, const QString& out) {
    auto* runs = static_cast<gt::widgets::RunsPage*>(w.page(3));
    if (store) runs->setStorePath(std::string(store));
    w.showPage(3);
    runs->refresh();
    bool ok = true;
    runs->showChart(0);
    ok &= save(w, out + "/runs.png");
    runs->showChart(1);
    ok &= save(w, out + "/runs-pareto.png");
    runs->showChart(2);
    ok &= save(w, out + "/runs-history.png");
    // every run selected: seed groups, drift, parallel coordinates
    std::vector<int64_t> all;
    for (int r = 0; r < runs->table()->model()->rowCount(); ++r)
        all.push_back(runs->table()->model()->index(r, 0).data().toLongLong());
    runs->selectRuns(all);
    auto* compare = runs->comparePanel();
    compare->groupSeedsBox()->setChecked(true);
    compare->lossAxisBox()->setCurrentIndex(3); // cumulative FLOPs
    compare->smoothingBox()->setValue(0.6);
    runs->showChart(gt::widgets::RunComparePanel::LossTab);
    ok &= save(w, out + "/runs-seed-groups.png");
    runs->showChart(gt::widgets::RunComparePanel::GroupsTab);
    ok &= save(w, out + "/runs-groups-table.png");
    // the planned share of each step: schedule-based methods re-plan as they go
    compare->lossSeriesBox()->setCurrentIndex(1);
    compare->lossAxisBox()->setCurrentIndex(0);
    compare->smoothingBox()->setValue(0.0);
    runs->showChart(gt::widgets::RunComparePanel::LossTab);
    ok &= save(w, out + "/runs-planned-share.png");
    compare->lossSeriesBox()->setCurrentIndex(0);
    runs->showChart(gt::widgets::RunComparePanel::ParallelTab);
    ok &= save(w, out + "/runs-parallel.png");
    // brush the upper half of the first outcome axis after the settings
    auto* chart = compare->parallelChart();
    for (size_t a = 0; a < chart->axes().size(); ++a)
        if (chart->axes()[a].key == "rouge1") {
            double lo = 1e300, hi = -1e300;
            for (const auto& v : chart->axes()[a].values)
                if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
            chart->setBrush(int(a), std::pair{(lo + hi) / 2, hi});
        }
    ok &= save(w, out + "/runs-parallel-brushed.png");
    for (int a = 0; a < int(chart->axes().size()); ++a)
        chart->setBrush(a, std::nullopt);
    runs->selectRuns({all.front()});
    compare->historyModeBox()->setCurrentIndex(1);
    runs->showChart(gt::widgets::RunComparePanel::HistoryTab);
    ok &= save(w, out + "/runs-drift.png");
    return ok;
}

/// The first half of the crash sequence: a run on the Train page, then SIGKILL.
int crashDuringRun(gt::app::MainWindow& w, const QString& store, const QString& out) {
    auto* train = static_cast<gt::widgets::TrainPage*>(w.page(2));
    train->setStorePath(store);
    train->stepsBox()->setValue(400);
    train->evalExamplesBox()->setValue(32);
    train->checkpointMinutesBox()->setValue(0.2); // a checkpoint every 12 s of training
    w.showPage(2);
    if (!train->startTraining()) return 1;
    pump(45'000);
    if (!save(w, out + "/crash-1-running.png")) return 1;
    std::fflush(stdout);
    raise(SIGKILL);
    return 1;
}

/// The second half: the Runs page shows the run interrupted; Resume continues it.
int resumeAfterCrash(gt::app::MainWindow& w, const QString& store, const QString& out) {
    auto* runs = static_cast<gt::widgets::RunsPage*>(w.page(3));
    runs->setStorePath(store.toStdString());
    w.showPage(3);
    runs->refresh();
    const auto ids = std::vector<int64_t>{runs->table()->model()->index(0, 0).data().toLongLong()};
    runs->selectRuns(ids);
    bool ok = save(w, out + "/crash-2-interrupted.png");
    auto* train = static_cast<gt::widgets::TrainPage*>(w.page(2));
    QEventLoop done;
    QObject::connect(train, &gt::widgets::TrainPage::runEnded, &done, &QEventLoop::quit);
    if (!runs->resumeSelected()) return 1;
    pump(8'000);
    ok &= save(w, out + "/crash-3-resumed.png");
    QTimer::singleShot(900'000, &done, &QEventLoop::quit);
    if (train->isTraining()) done.exec();
    ok &= save(w, out + "/crash-4-finished.png");
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("greentrainer");
    QApplication::setApplicationName("GreenTrainer Workbench");
    if (argc < 2) {
        std::fprintf(stderr, "usage: take_screenshots OUTDIR [MODEL_DIR] [STORE] [pages]\n");
        return 2;
    }
    // GT_SCREENSHOT_DARK=1: a dark Fusion palette, as a dark desktop theme hands the app one.
    if (qEnvironmentVariableIsSet("GT_SCREENSHOT_DARK")) {
        QApplication::setStyle("Fusion");
        QPalette p;
        const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
        p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, base);
        p.setColor(QPalette::ToolTipText, text);
        QApplication::setPalette(p);
    }
    const QString out = argv[1];
    QDir().mkpath(out);
    const QString model =
        argc > 2 ? argv[2] : QString::fromStdString(gt::api::starterModelDir().string());
    gt::app::MainWindow w;
    w.resize(1280, 820);
    w.show();
    const QString mode = argc > 4 ? QString(argv[4]) : QString();
    if (mode == "runs") return saveRunsPage(w, argc > 3 ? argv[3] : nullptr, out) ? 0 : 1;
    if (mode == "resume" && argc > 3) return resumeAfterCrash(w, argv[3], out);
    if (!w.openModel(model)) return 1;
    bool ok = true;
    {
        auto* panel = w.page(0)->findChild<gt::widgets::DatasetPanel*>();
        QEventLoop loaded;
        QObject::connect(panel, &gt::widgets::DatasetPanel::loaded, &loaded, &QEventLoop::quit);
        QTimer::singleShot(30'000, &loaded, &QEventLoop::quit);
        if (panel->isLoading()) loaded.exec();
    }
    w.showPage(0);
    ok &= save(w, out + "/model-data.png");
    w.showPage(1);
    {
        // the pre-flight card waits for this machine's GEMM rate (measured off the GUI thread)
        auto* tensors = static_cast<gt::widgets::TensorsPage*>(w.page(1));
        QElapsedTimer waited;
        waited.start();
        while (!tensors->preflightView()->card() && waited.elapsed() < 20'000)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    ok &= save(w, out + "/tensors.png");
    {
        auto* tensors = static_cast<gt::widgets::TensorsPage*>(w.page(1));
        QEventLoop probed;
        QObject::connect(tensors->probeBar(), &gt::widgets::ProbeBar::probed, &probed,
                         &QEventLoop::quit);
        QObject::connect(tensors->probeBar(), &gt::widgets::ProbeBar::failed, &probed,
                         &QEventLoop::quit);
        QTimer::singleShot(120'000, &probed, &QEventLoop::quit);
        if (tensors->probeBar()->start()) probed.exec();
        tensors->setRho(0.6);
        ok &= save(w, out + "/tensors-importance.png");
        // pins and the explanation: the last block's fc1 pinned out, one query projection in,
        // and the last block's fc2 weight selected in the table
        const auto& cat = tensors->explorer()->catalogue();
        std::vector<int> out1, in1;
        int why = -1;
        const std::string last = "layers." + std::to_string(cat.blockCount() - 1) + ".";
        for (size_t i = 0; i < cat.size(); ++i) {
            const std::string& n = cat[i].name;
            if (n.find(last + "fc1.") != std::string::npos) out1.push_back(int(i));
            if (n.find("layers.4.self_attn.q_proj.weight") != std::string::npos)
                in1.push_back(int(i));
            if (n.find(last + "fc2.weight") != std::string::npos) why = int(i);
        }
        tensors->pinTensors(out1, gt::green::Pin::Out);
        tensors->pinTensors(in1, gt::green::Pin::In);
        if (why >= 0) tensors->table()->selectRow(why); // sorted by index: row = tensor
        tensors->refreshWhy();
        ok &= save(w, out + "/tensors-pins-why.png");
        tensors->clearPins();
    }
    if (mode == "pages") return ok ? 0 : 1; // no training run
    if (mode == "crash" && argc > 3) return crashDuringRun(w, argv[3], out);

    auto* train = static_cast<gt::widgets::TrainPage*>(w.page(2));
    if (argc > 3) train->setStorePath(argv[3]);
    train->stepsBox()->setValue(60);
    train->evalExamplesBox()->setValue(32);
    w.showPage(2);
    QEventLoop done;
    QObject::connect(train, &gt::widgets::TrainPage::runEnded, &done, &QEventLoop::quit);
    if (!train->startTraining()) return 1;
    QTimer::singleShot(25'000, &done, &QEventLoop::quit); // mid-run
    done.exec();
    ok &= save(w, out + "/train-live.png");
    if (train->isTraining()) {
        QTimer::singleShot(600'000, &done, &QEventLoop::quit);
        done.exec();
    }
    ok &= save(w, out + "/train.png");

    ok &= saveRunsPage(w, argc > 3 ? argv[3] : nullptr, out);
    return ok ? 0 : 1;
}
