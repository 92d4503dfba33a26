// Helper process for the store's crash and concurrency tests: creates a run and appends
// metric batches, printing "committed N" after each committed transaction.
//   store_writer DB BATCHES POINTS_PER_BATCH SLEEP_MS
#include "core/store/experiment_store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s DB BATCHES POINTS SLEEP_MS\n", argv[0]);
        return 2;
    }
    const int batches = std::atoi(argv[2]), points = std::atoi(argv[3]),
              sleepMs = std::atoi(argv[4]);
    try {
        gt::store::ExperimentStore store(argv[1]);
        gt::store::NewRun nr;
        nr.name = "writer";
        nr.method = "full";
        const int64_t run = store.createRun(nr);
        std::printf("run %lld\n", static_cast<long long>(run));
        std::fflush(stdout);
        for (int b = 0; b < batches; ++b) {
            std::vector<gt::store::MetricPoint> batch;
            for (int i = 0; i < points; ++i) {
                const int64_t step = static_cast<int64_t>(b) * points + i;
                batch.push_back(
                    {"train/loss", step, 1.0 / (1.0 + static_cast<double>(step)), 0.0, 0.0});
            }
            store.appendMetrics(run, batch);
            std::printf("committed %d\n", b + 1);
            std::fflush(stdout);
            if (sleepMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
        }
        store.finishRun(run, gt::store::RunStatus::Finished);
        std::printf("done\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_writer: %s\n", e.what());
        return 1;
    }
    return 0;
}
