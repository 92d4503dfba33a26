// What a checkpoint costs (issue #25): seconds to write one (weights, AdamW state, generator
// state, plan -- Trainer::saveCheckpoint into a run's CheckpointFolder, then prune), its size,
// and seconds to load it, for the starter model and an OPT-125m-shaped model (random weights),
// each after one full fine-tuning step so the optimizer state is complete.
//   bench_checkpoint [DIR] [repeats]     (DIR: where to write; default /tmp)
#include "core/api/builtin_resources.h"
#include "core/api/memory_policy.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/train/checkpoint_folder.h"
#include "core/train/trainer.h"
#include "tests/bench/bench_shapes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

/// Random token batches (the step only has to fill the optimizer state).
class RandomBatches : public gt::data::BatchSource {
public:
    explicit RandomBatches(int64_t vocab)
        : m_vocab(vocab) {}
    size_t size() const override { return 4; }
    gt::data::Batch batch(size_t, size_t) const override {
        auto ids = torch::randint(m_vocab, {2, 64}, torch::kLong);
        return {ids, torch::ones_like(ids), ids};
    }

private:
    int64_t m_vocab;
};

double seconds(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

uint64_t bytesUnder(const fs::path& dir) {
    uint64_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) n += e.file_size();
    return n;
}

void run(const char* label, std::shared_ptr<gt::model::CausalLMImpl> lm, const fs::path& dir,
         int repeats) {
    const RandomBatches data(lm->config().vocabSize);
    gt::train::TrainOptions o;
    o.method = gt::train::Method::Full;
    o.maxSteps = 1000;
    gt::train::Trainer trainer(lm, {2, 64}, o, data);
    trainer.select(0);
    trainer.step({data.batch(0, 0)});
    const gt::train::CheckpointFolder folder(dir / label);
    std::vector<double> save;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        trainer.saveCheckpoint(folder.pathFor(i), R"({"bench": true})");
        folder.prune();
        save.push_back(seconds(t0));
    }
    std::sort(save.begin(), save.end());
    const auto newest = folder.checkpoints().front();
    const auto t0 = Clock::now();
    trainer.loadCheckpoint(newest);
    const double load = seconds(t0);
    double params = 0;
    for (const auto& p : lm->parameters())
        params += static_cast<double>(p.numel());
    std::printf("%-16s %6.1f M params  checkpoint %7.1f MB  write %6.2f s (median of %d, min "
                "%.2f, max %.2f)  load %6.2f s  = %.3f%% of a 10-minute cadence\n",
                label, params / 1e6, static_cast<double>(bytesUnder(newest)) / 1e6,
                save[save.size() / 2], repeats, save.front(), save.back(), load,
                100 * save[save.size() / 2] / 600);
    fs::remove_all(dir / label);
}

} // namespace

int main(int argc, char** argv) {
    gt::api::retainFreedMemory();
    gt::model::configureTorchThreads(2);
    const fs::path dir = argc > 1 ? argv[1] : "/tmp";
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    torch::manual_seed(0);
    run("starter", gt::model::loadCausalLM(gt::api::starterModelDir()), dir, repeats);
    run("OPT-125m-shape", gt::model::createCausalLM(gt::bench::opt125mShape()), dir, repeats);
    return 0;
}
