// Realised savings: is a GreenTrainer step really as much cheaper as planned? OPT-125m shape
// (random weights), batch 4 x 256, full fine-tuning against plans at rho 0.4 / 0.5 / 0.7
// (exact accounting, exact DP, size-proportional importance). Each configuration runs in its
// own child process so its peak RSS is its own. Target: measured time ratio within +-0.07 of
// the planned MAC ratio; peak RSS at rho 0.5 <= 0.75x full FT.
//   bench_savings [threads] [steps] [small]
#include "core/green/baseline_plans.h"
#include "core/green/budget.h"
#include "core/green/importance_prior.h"
#include "core/green/selector.h"
#include "core/model/causal_lm.h"
#include "core/train/fused_adamw.h"
#include "core/util/threads.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

using Clock = std::chrono::steady_clock;

struct Result {
    double ms, share, rssMb;
    int tensors;
};

static Result measure(const gt::io::ModelConfig& c, double rho, int steps, int64_t batch,
                      int64_t len) {
    torch::manual_seed(0);
    auto m = gt::model::createCausalLM(c);
    m->train();
    const auto cat = gt::model::TensorCatalogue::fromConfig(c);
    const auto costs = gt::green::computeCosts(cat, c, {batch, len}, gt::green::Accounting::Exact);
    const auto plan =
        rho >= 1.0 ? gt::green::fullFineTuningPlan(cat, costs)
                   : gt::green::selectTensors(cat, costs, gt::green::sizeImportance(cat), rho);
    auto params = m->parameters();
    for (size_t i = 0; i < params.size(); ++i)
        params[i].set_requires_grad(plan.selected[i] != 0);
    gt::train::FusedAdamW opt(m->parameters(), // the trainer's optimizer
                              torch::optim::AdamWOptions(2e-5).weight_decay(0.01));
    auto ids = torch::randint(c.vocabSize, {batch, len}, torch::kLong);
    std::vector<double> ms;
    for (int s = 0; s < steps + 1; ++s) {
        const auto t0 = Clock::now();
        gt::model::LmInput in;
        in.inputIds = ids;
        in.labels = ids;
        m->forward(in).loss.backward();
        opt.step();
        for (auto& p : params)
            p.mutable_grad() = torch::Tensor();
        if (s > 0)
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {ms[ms.size() / 2], plan.share(), ru.ru_maxrss / 1024.0, plan.selectedCount()};
}

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 3;
    const bool small = argc > 3 && std::strcmp(argv[3], "small") == 0;
    gt::io::ModelConfig c;
    c.vocabSize = small ? 8192 : 50272;
    c.hiddenSize = c.wordEmbedProjDim = small ? 256 : 768;
    c.numLayers = small ? 6 : 12;
    c.numHeads = c.numKeyValueHeads = small ? 4 : 12;
    c.ffnDim = 4 * c.hiddenSize;
    c.maxPositions = 2048;
    c.activation = "relu";
    const int64_t batch = small ? 8 : 4, len = 256;
    std::printf(
        "%s shape, batch %lld x %lld, %d threads, median of %d steps (each in its own process)\n",
        small ? "starter" : "OPT-125m", static_cast<long long>(batch), static_cast<long long>(len),
        threads, steps);
    std::printf("%-8s %8s %10s %12s %12s %10s %10s\n", "rho", "tensors", "step ms", "time ratio",
                "MAC ratio", "diff", "peak RSS");
    double fullMs = 0, fullRss = 0;
    for (double rho : {1.0, 0.7, 0.5, 0.4}) {
        int pipefd[2];
        if (pipe(pipefd) != 0) return 1;
        const pid_t pid = fork();
        if (pid == 0) {
            close(pipefd[0]);
            gt::util::configureTorchThreads(threads);
            Result r{};
            try {
                r = measure(c, rho, steps, batch, len);
            } catch (const gt::green::InfeasibleRho& e) {
                r.share = -e.minimumRho(); // reported by the parent
            }
            if (write(pipefd[1], &r, sizeof r) != sizeof r) _exit(1);
            _exit(0);
        }
        close(pipefd[1]);
        Result r{};
        const bool ok = read(pipefd[0], &r, sizeof r) == sizeof r;
        close(pipefd[0]);
        waitpid(pid, nullptr, 0);
        if (!ok) return 1;
        if (r.share < 0) {
            std::printf(
                "%-8.2f infeasible: this shape needs rho >= %.3f (LM head input gradient)\n", rho,
                -r.share);
            continue;
        }
        if (rho >= 1.0) {
            fullMs = r.ms;
            fullRss = r.rssMb;
        }
        const double ratio = r.ms / fullMs;
        std::printf("%-8s %8d %10.0f %12.3f %12.3f %+10.3f %7.0f MB (%.2fx)\n",
                    rho >= 1.0 ? "full" : std::to_string(rho).substr(0, 4).c_str(), r.tensors, r.ms,
                    ratio, r.share, ratio - r.share, r.rssMb, r.rssMb / fullRss);
    }
    return 0;
}
