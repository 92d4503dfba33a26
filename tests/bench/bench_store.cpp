// Experiment store throughput: append 100,000 metric points in batches (one transaction per
// batch, as the trainer writes) and read one 100,000-point series back.
// Targets (issue #6): append <= 1 s, read <= 100 ms.   bench_store [DIR]
#include "core/store/experiment_store.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace gt::store;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
    const auto file = dir / "gt_bench_store.sqlite";
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(file.string() + suffix);
    ExperimentStore store(file);
    NewRun nr;
    nr.name = "bench";
    nr.method = "full";
    const int64_t run = store.createRun(nr);
    constexpr int kPoints = 100'000;
    for (int batch : {100, 1000}) {
        const std::string name = "loss/batch" + std::to_string(batch);
        const auto t0 = Clock::now();
        for (int start = 0; start < kPoints; start += batch) {
            std::vector<MetricPoint> pts;
            pts.reserve(batch);
            for (int i = start; i < start + batch; ++i)
                pts.push_back({name, i, 1.0 / (1 + i), i / 1000.0, i * 0.1});
            store.appendMetrics(run, pts);
        }
        const double appendS = std::chrono::duration<double>(Clock::now() - t0).count();
        const auto t1 = Clock::now();
        const auto series = store.series(run, name);
        const double readMs = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
        const auto t2 = Clock::now();
        const auto down = store.series(run, name, 2000);
        const double downMs = std::chrono::duration<double, std::milli>(Clock::now() - t2).count();
        std::printf("batch %5d: append %d points %.3f s (%.0f points/s); read %zu points %.1f ms; "
                    "read decimated to %zu points %.1f ms\n",
                    batch, kPoints, appendS, kPoints / appendS, series.size(), readMs, down.size(),
                    downMs);
    }
    return 0;
}
