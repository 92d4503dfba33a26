#include "core/green/selector.h"

#include "core/io/name_table.h"

#include "core/green/budget.h"
#include "core/green/exact_dp.h"
#include "core/green/paper_dp.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace gt::green {
namespace {

std::vector<double> permute(const std::vector<double>& v, const std::vector<int>& order) {
    std::vector<double> out(order.size());
    for (size_t k = 0; k < order.size(); ++k)
        out[k] = v[order[k]];
    return out;
}

std::vector<uint8_t> runPaper(const CostTable& costs, const std::vector<int>& order,
                              const std::vector<double>& value, double rhoB) {
    std::vector<double> dy(order.size()), dw(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        dy[k] = costs.costs[order[k]].dy;
        dw[k] = costs.costs[order[k]].dw;
    }
    const double total = costs.backwardTotal();
    return solvePaperDp(paperUnits(dy, total), paperUnits(dw, total), value, rhoB).mask;
}

/// Exact DP on costs rounded up to `resolution` units of the backward pass.
std::vector<uint8_t> runExact(const CostTable& costs, const std::vector<int>& order,
                              const std::vector<double>& value, double budgetMacs,
                              int64_t resolution) {
    const double unit = costs.backwardTotal() / static_cast<double>(resolution);
    const std::vector<double> reachMacs = reachCosts(costs, order);
    std::vector<int64_t> reach(order.size()), dw(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        reach[k] = static_cast<int64_t>(std::ceil(reachMacs[k] / unit - 1e-9));
        dw[k] = static_cast<int64_t>(std::ceil(costs.costs[order[k]].dw / unit - 1e-9));
    }
    const auto budget = static_cast<int64_t>(std::floor(budgetMacs / unit + 1e-9));
    return solveExactDp(reach, dw, value, budget).mask;
}

/// Spends what rounding left: adds unselected positive-importance tensors no deeper than the
/// deepest selected one (they cost only their dW), best importance per MAC first.
void fillSlack(const CostTable& costs, const std::vector<int>& order,
               const std::vector<double>& value, double budgetMacs, std::vector<uint8_t>& mask) {
    const std::vector<double> reach = reachCosts(costs, order);
    int deepest = -1;
    double spent = 0.0;
    for (size_t k = 0; k < order.size(); ++k)
        if (mask[k]) {
            deepest = static_cast<int>(k);
            spent += costs.costs[order[k]].dw;
        }
    if (deepest < 0) {
        // Rounding up can leave nothing affordable right at the minimum rho: take the most
        // important tensor that truly fits.
        for (size_t k = 0; k < order.size(); ++k)
            if (value[k] > 0 && reach[k] + costs.costs[order[k]].dw <= budgetMacs &&
                (deepest < 0 || value[k] > value[deepest]))
                deepest = static_cast<int>(k);
        if (deepest < 0) return;
        mask[deepest] = 1;
        spent = costs.costs[order[deepest]].dw;
    }
    spent += reach[deepest];
    std::vector<int> cand;
    for (int k = 0; k < deepest; ++k)
        if (!mask[k] && value[k] > 0) cand.push_back(k);
    auto density = [&](int k) { return value[k] / std::max(costs.costs[order[k]].dw, 1.0); };
    std::stable_sort(cand.begin(), cand.end(),
                     [&](int a, int b) { return density(a) > density(b); });
    for (int k : cand) {
        const double dw = costs.costs[order[k]].dw;
        if (spent + dw <= budgetMacs) {
            mask[k] = 1;
            spent += dw;
        }
    }
}

} // namespace

namespace {
constexpr io::NameTable kSelectors("selector", std::array<io::EnumName<SelectorKind>, 4>{
                                                   {{SelectorKind::ExactDp, "exact-dp"},
                                                    {SelectorKind::ExactDp, "exact"},
                                                    {SelectorKind::PaperDp, "paper-dp"},
                                                    {SelectorKind::PaperDp, "paper"}}});
} // namespace

std::string selectorName(SelectorKind k) {
    return kSelectors.name(k);
}

SelectorKind parseSelector(const std::string& s) {
    return kSelectors.parse(s);
}

Plan selectTensors(const model::TensorCatalogue& catalogue, const CostTable& costs,
                   const std::vector<double>& importance, double rho,
                   const SelectorOptions& options) {
    if (importance.size() != catalogue.size() || costs.costs.size() != catalogue.size())
        throw std::invalid_argument("selectTensors: " + std::to_string(importance.size()) +
                                    " importances and " + std::to_string(costs.costs.size()) +
                                    " costs for " + std::to_string(catalogue.size()) + " tensors");
    if (!(rho > 0.0 && rho <= 1.0))
        throw std::invalid_argument("rho must be in (0, 1], got " + std::to_string(rho));
    if (options.resolution < 10 || options.resolution > 10'000'000)
        throw std::invalid_argument("resolution must be in [10, 10000000], got " +
                                    std::to_string(options.resolution));
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<int> order = backpropChain(catalogue, costs);
    const double minimum = minimumFeasibleRho(costs, order, importance);
    if (rho < minimum) throw InfeasibleRho(rho, minimum);

    const std::vector<double> value = permute(importance, order);
    const double rhoB = backwardRho(costs, rho);
    const double budgetMacs = rhoB * costs.backwardTotal();
    std::vector<uint8_t> mask;
    if (options.kind == SelectorKind::PaperDp) {
        mask = runPaper(costs, order, value, rhoB);
    } else {
        mask = runExact(costs, order, value, budgetMacs, options.resolution);
        if (options.fillSlack) fillSlack(costs, order, value, budgetMacs, mask);
    }
    Plan plan;
    plan.method = "greentrainer";
    plan.selector = selectorName(options.kind);
    plan.rho = rho;
    plan.selected.assign(catalogue.size(), 0);
    for (size_t k = 0; k < order.size(); ++k)
        plan.selected[order[k]] = mask[k];
    finishPlan(plan, costs, order, &importance);
    plan.selectorMillis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return plan;
}

} // namespace gt::green
