// Slider responsiveness: time from a rho change to a finished repaint of the Tensors page
// (plan recomputed, heatmap + overlay replotted, table and summary updated, pending paint
// events processed) for OPT-2.7B's 516-tensor catalogue, from its config.
// Target (issue #8): median <= 16 ms.
//   QT_QPA_PLATFORM=offscreen bench_slider <shared>/fixtures/configs/opt-2.7b
#include "widgets/charts/tensor_heatmap.h"
#include "widgets/panels/rho_control.h"
#include "widgets/panels/tensors_page.h"

#include <QApplication>
#include <QComboBox>
#include <QSlider>

#include <algorithm>
#include <chrono>
#include <cstdio>

using Clock = std::chrono::steady_clock;

static void sweep(gt::widgets::TensorsPage& page, const char* label) {
    std::vector<double> ms;
    for (int pass = 0; pass < 3; ++pass) {
        for (int v = 350; v <= 1000; v += 5) { // a slow drag across the whole range
            const auto t0 = Clock::now();
            page.rhoControl()->slider()->setValue(pass % 2 ? 1350 - v : v);
            page.heatmap()->replotNow();
            QCoreApplication::processEvents();
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-28s %4zu moves: median %6.2f ms, p90 %6.2f ms, max %6.2f ms\n", label, ms.size(),
                ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
}

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL_DIR_OR_CONFIG\n", argv[0]);
        return 2;
    }
    auto explorer = std::make_shared<gt::api::CostExplorer>(gt::api::CostExplorer::open(argv[1]));
    gt::widgets::TensorsPage page;
    page.resize(1280, 800);
    page.show();
    page.setExplorer(explorer);
    QCoreApplication::processEvents();
    std::printf("%s: %zu tensors, platform %s\n", explorer->displayName().c_str(),
                explorer->catalogue().size(), qPrintable(QGuiApplication::platformName()));
    sweep(page, "exact DP, execution order");
    page.findChild<QComboBox*>("SelectorCombo")->setCurrentIndex(1);
    page.findChild<QComboBox*>("AccountingCombo")->setCurrentIndex(1);
    sweep(page, "paper DP, paper accounting (registration order)");
    return 0;
}
