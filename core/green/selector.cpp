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

/// Exact DP on costs rounded up to `resolution` units of the backward pass. `paidReach` is the
/// dY already paid for (down to the deepest pinned tensor): reaching no deeper costs nothing.
std::vector<uint8_t> runExact(const CostTable& costs, const std::vector<int>& order,
                              const std::vector<double>& value, double budgetMacs,
                              int64_t resolution, double paidReach) {
    const double unit = costs.backwardTotal() / static_cast<double>(resolution);
    const std::vector<double> reachMacs = reachCosts(costs, order);
    std::vector<int64_t> reach(order.size()), dw(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        const double r = std::max(0.0, reachMacs[k] - paidReach);
        reach[k] = static_cast<int64_t>(std::ceil(r / unit - 1e-9));
        dw[k] = static_cast<int64_t>(std::ceil(costs.costs[order[k]].dw / unit - 1e-9));
    }
    const auto budget = static_cast<int64_t>(std::floor(budgetMacs / unit + 1e-9));
    return solveExactDp(reach, dw, value, budget).mask;
}

/// What the pins leave the DP: pinned tensors take no part in it (value 0), and the budget
/// and the reach it sees are net of the pinned-in tensors' dW and reach.
struct PinnedShare {
    std::vector<uint8_t> mask; ///< output-first; the pinned-in tensors
    int count = 0;
    double macs = 0.0;      ///< their dW + the reach of the deepest of them
    double paidReach = 0.0; ///< that reach
};

PinnedShare applyPins(const Pins& pins, const CostTable& costs, const std::vector<int>& order,
                      std::vector<double>& value) {
    PinnedShare s;
    s.mask.assign(order.size(), 0);
    if (!pins.any()) return s;
    const std::vector<double> reach = reachCosts(costs, order);
    for (size_t k = 0; k < order.size(); ++k) {
        const Pin p = pins.state[order[k]];
        if (p == Pin::Free) continue;
        value[k] = 0.0;
        if (p != Pin::In) continue;
        s.mask[k] = 1;
        ++s.count;
        s.macs += costs.costs[order[k]].dw;
        s.paidReach = reach[k]; // the deepest so far: reach never falls along the chain
    }
    s.macs += s.paidReach;
    return s;
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
    const Pins& pins = options.pins;
    if (pins.any() && pins.state.size() != catalogue.size())
        throw std::invalid_argument("selectTensors: pins for " + std::to_string(pins.state.size()) +
                                    " tensors, not " + std::to_string(catalogue.size()));
    if (pins.any() && options.kind == SelectorKind::PaperDp)
        throw std::invalid_argument(
            "pinned tensors (--include, --exclude) need the exact DP selector, not the paper's");
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<int> order = backpropChain(catalogue, costs);
    std::vector<double> value = permute(importance, order);
    const PinnedShare pinned = applyPins(pins, costs, order, value);
    if (pinned.count > 0) {
        const double minimum = (costs.forwardTotal + pinned.macs) / costs.fullStep();
        if (rho < minimum - 1e-12) throw PinsExceedBudget(rho, minimum, pinned.count);
    } else {
        std::vector<double> useful = importance; // pinned-out tensors are of no use
        for (size_t i = 0; i < pins.state.size(); ++i)
            if (pins.state[i] == Pin::Out) useful[i] = 0.0;
        const double minimum = minimumFeasibleRho(costs, order, useful);
        if (rho < minimum) throw InfeasibleRho(rho, minimum);
    }

    const double rhoB = backwardRho(costs, rho);
    const double budgetMacs = rhoB * costs.backwardTotal();
    std::vector<uint8_t> mask;
    if (options.kind == SelectorKind::PaperDp) {
        mask = runPaper(costs, order, value, rhoB);
    } else {
        mask = runExact(costs, order, value, budgetMacs - pinned.macs, options.resolution,
                        pinned.paidReach);
        for (size_t k = 0; k < mask.size(); ++k)
            mask[k] |= pinned.mask[k];
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
    plan.pinnedIn = pinned.count;
    plan.pinnedOut = pins.count(Pin::Out);
    plan.selectorMillis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return plan;
}

} // namespace gt::green
