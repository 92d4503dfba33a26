// Selection latency: the exact DP (default resolution 10,000 units) and the paper's DP on the
// paper's models and a 7B LLaMA, from their configs (size-proportional importance).
// Targets (performance.md): exact DP <= 10 ms for OPT-2.7B's 516 tensors at rho 0.5 and 0.7;
// the paper's Python DP takes 0.4 s (rho 0.5) and ~5 s (rho 0.7).
//   bench_selection <shared>/fixtures/configs
#include "core/green/cost_model.h"
#include "core/green/importance_prior.h"
#include "core/green/selector.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

using namespace gt::green;

namespace {
double medianMillis(const gt::model::TensorCatalogue& cat, const CostTable& costs,
                    const std::vector<double>& imp, double rho, const SelectorOptions& o,
                    double* share) {
    std::vector<double> ms;
    for (int i = 0; i < 9; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const Plan p = selectTensors(cat, costs, imp, rho, o);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        *share = p.share();
    }
    std::nth_element(ms.begin(), ms.begin() + 4, ms.end());
    return ms[4];
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <shared>/fixtures/configs\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    std::printf("%-16s %8s %5s %-10s %10s %12s %8s\n", "model", "tensors", "rho", "selector",
                "resolution", "median ms", "share");
    for (const char* m : {"opt-2.7b", "bloomz-3b", "opt-6.7b", "Llama-2-7b-hf"}) {
        const auto cfg = gt::io::loadModelConfig(dir + "/" + m);
        const auto cat = gt::model::TensorCatalogue::fromConfig(cfg);
        const auto exact = computeCosts(cat, cfg, {4, 512}, Accounting::Exact);
        const auto paper = computeCosts(cat, cfg, {4, 512}, Accounting::Paper);
        const auto imp = sizeImportance(cat);
        for (double rho : {0.5, 0.7}) {
            for (int64_t res : {10000, 100000}) {
                SelectorOptions o;
                o.resolution = res;
                double share = 0;
                const double ms = medianMillis(cat, exact, imp, rho, o, &share);
                std::printf("%-16s %8zu %5.2f %-10s %10lld %12.3f %8.4f\n", m, cat.size(), rho,
                            "exact-dp", static_cast<long long>(res), ms, share);
            }
            SelectorOptions po;
            po.kind = SelectorKind::PaperDp;
            double share = 0;
            const double ms = medianMillis(cat, paper, imp, rho, po, &share);
            std::printf("%-16s %8zu %5.2f %-10s %10d %12.3f %8.4f\n", m, cat.size(), rho,
                        "paper-dp", 1000, ms, share);
        }
    }
    return 0;
}
