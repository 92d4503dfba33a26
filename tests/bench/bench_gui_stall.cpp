// How long can the GUI thread be blocked while a real training run goes on? The Train page
// starts a run (tiny model + data given on the command line) on its worker thread while a 5 ms
// timer on the GUI thread records the longest gap between its ticks, i.e. the longest
// event-loop stall (target: never above 50 ms). Also counts chart replots (<= 25/s).
//   bench_gui_stall MODEL_DIR DATA.jsonl [STEPS]
#include "app/gui/training_controller.h"
#include "widgets/charts/training_charts.h"
#include "widgets/panels/train_page.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_gui_stall MODEL_DIR DATA.jsonl [STEPS]\n");
        return 2;
    }
    QTemporaryDir tmp;
    gt::widgets::TrainPage page;
    gt::app::TrainingController controller;
    controller.attach(&page);
    page.resize(1200, 800);
    page.show();
    page.setModelDir(argv[1]);
    page.setStorePath(tmp.filePath("runs.sqlite"));
    page.setDataset("file", argv[2]);
    page.stepsBox()->setValue(argc > 3 ? std::atoi(argv[3]) : 60);
    page.evalExamplesBox()->setValue(16);
    QElapsedTimer clock;
    std::vector<double> gaps;
    qint64 last = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) gaps.push_back(static_cast<double>(now - last) / 1e6);
        last = now;
    });
    QEventLoop done;
    QObject::connect(&page, &gt::widgets::TrainPage::runEnded, &done, &QEventLoop::quit);
    clock.start();
    tick.start(5);
    if (!page.startTraining()) return 1;
    done.exec();
    tick.stop();
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    std::sort(gaps.begin(), gaps.end());
    auto pct = [&](double p) {
        return gaps.empty() ? 0.0 : gaps[std::min(gaps.size() - 1, size_t(p * gaps.size()))];
    };
    std::printf("run of %.1f s, %zu timer ticks (5 ms): gap median %.2f ms, p99 %.2f ms, "
                "max %.2f ms (target <= 50 ms); %d chart replots (%.1f/s)\n",
                seconds, gaps.size(), pct(0.5), pct(0.99), gaps.empty() ? 0.0 : gaps.back(),
                page.charts()->replots(), page.charts()->replots() / seconds);
    return 0;
}
