// Full fine-tuning step throughput (forward + backward + AdamW) of an OPT model with random
// weights, at the shapes performance.md measured Hugging Face eager PyTorch on this machine:
//   OPT-125m shape (vocab 50272, 12 x 768, FFN 3072), batch 4, length 256: HF 6,412 ms/step
//   starter shape (vocab 8192, 6 x 256, FFN 1024, 4 heads), batch 8, length 256: HF 908 ms/step
// and a forward+backward only figure.   bench_train_step [threads] [steps]
#include "core/api/memory_policy.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/train/fused_adamw.h"
#include "tests/bench/bench_shapes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

using Clock = std::chrono::steady_clock;

static void run(const char* label, gt::io::ModelConfig c, int64_t batch, int64_t len, int steps,
                double hfMs) {
    torch::manual_seed(0);
    auto model = gt::model::createCausalLM(c);
    model->train();
    gt::train::FusedAdamW opt(model->parameters(), // the trainer's optimizer
                              torch::optim::AdamWOptions(2e-5).weight_decay(0.01));
    auto ids = torch::randint(c.vocabSize, {batch, len}, torch::kLong);
    std::vector<double> stepMs, fbMs;
    for (int s = 0; s < steps + 1; ++s) {
        const auto t0 = Clock::now();
        gt::model::LmInput in;
        in.inputIds = ids;
        in.labels = ids;
        auto out = model->forward(in);
        out.loss.backward();
        const auto t1 = Clock::now();
        opt.step();
        for (auto& p : model->parameters()) // as the trainer does: no gradient memset
            p.mutable_grad() = torch::Tensor();
        const auto t2 = Clock::now();
        if (s == 0) continue; // warm-up
        fbMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        stepMs.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    }
    std::sort(stepMs.begin(), stepMs.end());
    std::sort(fbMs.begin(), fbMs.end());
    const double ms = stepMs[stepMs.size() / 2];
    std::printf(
        "%-22s batch %lld x %lld: step %.0f ms (fwd+bwd %.0f ms) = %.0f tokens/s; HF eager %.0f ms "
        "-> %.2fx\n",
        label, static_cast<long long>(batch), static_cast<long long>(len), ms,
        fbMs[fbMs.size() / 2], batch * len / (ms / 1000), hfMs, hfMs / ms);
}

int main(int argc, char** argv) {
    gt::api::retainFreedMemory(); // as gt and gt-workbench do
    const int threads = gt::model::configureTorchThreads(argc > 1 ? std::atoi(argv[1]) : 2);
    const int steps = argc > 2 ? std::atoi(argv[2]) : 3;
    std::printf("threads %d, median of %d steps after a warm-up\n", threads, steps);
    gt::io::ModelConfig starter;
    starter.vocabSize = 8192;
    starter.hiddenSize = starter.wordEmbedProjDim = 256;
    starter.numLayers = 6;
    starter.numHeads = starter.numKeyValueHeads = 4;
    starter.ffnDim = 1024;
    starter.maxPositions = 512;
    starter.activation = "relu";
    run("starter shape", starter, 8, 256, steps, 908);
    run("OPT-125m shape", gt::bench::opt125mShape(), 4, 256, steps, 6412);
    return 0;
}
