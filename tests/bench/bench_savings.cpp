// Realised savings: is a GreenTrainer step really as much cheaper as planned? OPT-125m shape
// (random weights), batch 4 x 256, full fine-tuning against plans at rho 0.4 / 0.5 / 0.7
// (exact accounting, exact DP, size-proportional importance). Target: measured time ratio
// within +-0.07 of the planned MAC ratio; peak RSS at rho 0.5 <= 0.75x full FT.
//
// Step times are measured interleaved in one process (full, 0.7, 0.5, full, 0.7, ... for
// `rounds` rounds; the second step after each switch is timed, medians reported), because
// this VM's speed drifts by 10-20% within a minute and back-to-back blocks of steps turned
// that drift into the ratio. Peak RSS comes from one child process per plan, so each is its
// own. Freed memory is retained as gt and gt-workbench retain it.
//   bench_savings [threads] [rounds] [small]
#include "core/api/memory_policy.h"
#include "core/green/baseline_plans.h"
#include "core/green/budget.h"
#include "core/green/importance_prior.h"
#include "core/green/selector.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/train/fused_adamw.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

using Clock = std::chrono::steady_clock;

namespace {

struct Setup {
    gt::io::ModelConfig config;
    int64_t batch = 4, len = 256;
};

std::optional<gt::green::Plan> planFor(const Setup& s, double rho, double* minimum) {
    const auto cat = gt::model::TensorCatalogue::fromConfig(s.config);
    const auto costs =
        gt::green::computeCosts(cat, s.config, {s.batch, s.len}, gt::green::Accounting::Exact);
    if (rho >= 1.0) return gt::green::fullFineTuningPlan(cat, costs);
    try {
        return gt::green::selectTensors(cat, costs, gt::green::sizeImportance(cat), rho);
    } catch (const gt::green::InfeasibleRho& e) {
        *minimum = e.minimumRho();
        return std::nullopt;
    }
}

/// One training step with `plan` applied; returns its wall milliseconds.
double step(gt::model::CausalLMImpl& m, gt::train::FusedAdamW& opt, const torch::Tensor& ids,
            const gt::green::Plan& plan) {
    auto params = m.parameters();
    for (size_t i = 0; i < params.size(); ++i)
        params[i].set_requires_grad(plan.selected[i] != 0);
    const auto t0 = Clock::now();
    gt::model::LmInput in;
    in.inputIds = ids;
    in.labels = ids;
    m.forward(in).loss.backward();
    opt.step();
    for (auto& p : params) // as the trainer does
        p.mutable_grad() = torch::Tensor();
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Peak RSS (MB) of a child process that runs two steps of `plan`.
double peakRss(const Setup& s, const gt::green::Plan& plan, int threads) {
    int fd[2];
    if (pipe(fd) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        gt::model::configureTorchThreads(threads);
        torch::manual_seed(0);
        auto m = gt::model::createCausalLM(s.config);
        m->train();
        gt::train::FusedAdamW opt(m->parameters(), torch::optim::AdamWOptions(2e-5));
        const auto ids = torch::randint(s.config.vocabSize, {s.batch, s.len}, torch::kLong);
        step(*m, opt, ids, plan);
        step(*m, opt, ids, plan);
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        const double mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
        if (write(fd[1], &mb, sizeof mb) != sizeof mb) _exit(1);
        _exit(0);
    }
    close(fd[1]);
    double mb = -1;
    if (read(fd[0], &mb, sizeof mb) != sizeof mb) mb = -1;
    close(fd[0]);
    waitpid(pid, nullptr, 0);
    return mb;
}

} // namespace

int main(int argc, char** argv) {
    gt::api::retainFreedMemory(); // as gt and gt-workbench do
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const bool small = argc > 3 && std::strcmp(argv[3], "small") == 0;
    Setup s;
    auto& c = s.config;
    c.vocabSize = small ? 8192 : 50272;
    c.hiddenSize = c.wordEmbedProjDim = small ? 256 : 768;
    c.numLayers = small ? 6 : 12;
    c.numHeads = c.numKeyValueHeads = small ? 4 : 12;
    c.ffnDim = 4 * c.hiddenSize;
    c.maxPositions = 2048;
    c.activation = "relu";
    s.batch = small ? 8 : 4;
    std::printf("%s shape, batch %lld x %lld, %d threads, interleaved medians of %d rounds\n",
                small ? "starter" : "OPT-125m", static_cast<long long>(s.batch),
                static_cast<long long>(s.len), threads, rounds);
    std::vector<double> rhos;
    std::vector<gt::green::Plan> plans;
    for (double rho : {1.0, 0.7, 0.5, 0.4}) {
        double minimum = 0;
        if (auto p = planFor(s, rho, &minimum)) {
            rhos.push_back(rho);
            plans.push_back(*p);
        } else {
            std::printf("rho %.2f infeasible: this shape needs rho >= %.3f (LM head input "
                        "gradient)\n",
                        rho, minimum);
        }
    }
    // Children first: a process forked after OpenMP's thread pool exists hangs in it.
    std::vector<double> rss;
    for (const auto& p : plans)
        rss.push_back(peakRss(s, p, threads));
    std::vector<std::vector<double>> ms(plans.size());
    {
        gt::model::configureTorchThreads(threads);
        torch::manual_seed(0);
        auto m = gt::model::createCausalLM(c);
        m->train();
        gt::train::FusedAdamW opt(m->parameters(), torch::optim::AdamWOptions(2e-5));
        const auto ids = torch::randint(c.vocabSize, {s.batch, s.len}, torch::kLong);
        for (int r = 0; r < rounds; ++r)
            for (size_t k = 0; k < plans.size(); ++k) {
                step(*m, opt, ids, plans[k]); // settles the allocations of this plan
                ms[k].push_back(step(*m, opt, ids, plans[k]));
            }
    }
    std::printf("%-6s %8s %10s %12s %12s %9s %18s\n", "rho", "tensors", "step ms", "time ratio",
                "MAC ratio", "diff", "peak RSS");
    const double fullMs = median(ms[0]);
    for (size_t k = 0; k < plans.size(); ++k) {
        const double t = median(ms[k]), ratio = t / fullMs;
        std::printf("%-6s %8d %10.0f %12.3f %12.3f %+9.3f %10.0f MB (%.2fx)\n",
                    k == 0 ? "full" : std::to_string(rhos[k]).substr(0, 4).c_str(),
                    plans[k].selectedCount(), t, ratio, plans[k].share(), ratio - plans[k].share(),
                    rss[k], rss[k] / rss[0]);
    }
    return 0;
}
