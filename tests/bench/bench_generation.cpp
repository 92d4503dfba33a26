// Greedy generation throughput with and without the KV cache (issue #4: the cache must win by
// >= 3x at 64 new tokens), on random-weight OPT models of the starter's shape and of
// OPT-125m's shape, prompt 128 tokens, batch 1 and 8, measured side by side in one run.
//   bench_generation [threads]
#include "core/eval/generator.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using Clock = std::chrono::steady_clock;

static double tokensPerSecond(gt::model::CausalLMImpl& m, int64_t batch, bool cache) {
    torch::manual_seed(1);
    const auto ids = torch::randint(4, m.config().vocabSize, {batch, 128}, torch::kLong);
    gt::eval::GenerateOptions o;
    o.maxNewTokens = 64;
    o.useCache = cache;
    gt::eval::generateGreedy(m, ids.narrow(1, 0, 16), {}, o); // warm-up
    const auto t0 = Clock::now();
    const auto r = gt::eval::generateGreedy(m, ids, {}, o);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    return static_cast<double>(batch * (r.sequences.size(1) - 128)) / s;
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IONBF, 0); // results as they come (long runs)
    gt::model::configureTorchThreads(argc > 1 ? std::atoi(argv[1]) : 0);
    torch::NoGradGuard g;
    gt::io::ModelConfig c;
    c.vocabSize = 8192;
    c.hiddenSize = c.wordEmbedProjDim = 256;
    c.numLayers = 4;
    c.numHeads = c.numKeyValueHeads = 4;
    c.ffnDim = 1024;
    c.maxPositions = 256;
    c.activation = "relu";
    gt::io::ModelConfig big = c;
    big.vocabSize = 50272;
    big.hiddenSize = big.wordEmbedProjDim = 768;
    big.numLayers = 12;
    big.numHeads = big.numKeyValueHeads = 12;
    big.ffnDim = 3072;
    big.maxPositions = 2048;
    std::printf("greedy, prompt 128, 64 new tokens, %d threads\n", at::get_num_threads());
    for (auto [label, cfg] :
         {std::pair{"starter shape (4 x 256)", c}, std::pair{"OPT-125m shape (12 x 768)", big}}) {
        auto m = gt::model::createCausalLM(cfg);
        m->eval();
        for (int64_t batch : {int64_t{1}, int64_t{8}}) {
            if (cfg.numLayers > 4 && batch > 1) continue; // OPT-125m without cache: minutes
            const double with = tokensPerSecond(*m, batch, true);
            const double without = tokensPerSecond(*m, batch, false);
            std::printf("%-26s batch %ld: cache %8.1f tok/s, no cache %8.1f tok/s, ratio %.1fx\n",
                        label, static_cast<long>(batch), with, without, with / without);
        }
    }
    return 0;
}
