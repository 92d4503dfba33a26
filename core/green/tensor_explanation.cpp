#include "core/green/tensor_explanation.h"

#include "core/green/budget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace gt::green {
namespace {

constexpr double kRhoStep = 0.01;

/// The plan at `rho`, or none where rho is infeasible (with these pins).
std::optional<Plan> planAt(const model::TensorCatalogue& catalogue, const CostTable& costs,
                           const std::vector<double>& importance, double rho,
                           const SelectorOptions& options) {
    try {
        return selectTensors(catalogue, costs, importance, rho, options);
    } catch (const InfeasibleRho&) {
        return std::nullopt;
    } catch (const PinsExceedBudget&) {
        return std::nullopt;
    }
}

/// Walks the 0.01 grid away from the plan's rho (up for a tensor left out, down for a selected
/// one) to the first rho whose plan decides otherwise.
std::optional<double> findFlipRho(const model::TensorCatalogue& catalogue, const CostTable& costs,
                                  const std::vector<double>& importance, const Plan& plan,
                                  const SelectorOptions& options, int tensor) {
    const bool selected = plan.selected[tensor];
    const double at = plan.rho / kRhoStep;
    const int first = selected ? static_cast<int>(std::ceil(at - 1e-9)) - 1
                               : static_cast<int>(std::floor(at + 1e-9)) + 1;
    for (int k = first; selected ? k >= 1 : k <= 100; k += selected ? -1 : 1) {
        const double rho = k * kRhoStep;
        const auto p = planAt(catalogue, costs, importance, rho, options);
        if (!p) {
            if (selected) return std::nullopt; // below rho_min nothing is trained at all
            continue;
        }
        if (bool(p->selected[tensor]) != selected) return rho;
    }
    return std::nullopt;
}

/// Pins the tensor the other way at the plan's rho and compares the plans.
void computeSwap(const model::TensorCatalogue& catalogue, const CostTable& costs,
                 const std::vector<double>& importance, const Plan& plan,
                 const SelectorOptions& options, TensorExplanation& e) {
    SelectorOptions o = options;
    if (o.pins.state.empty()) o.pins.state.assign(catalogue.size(), Pin::Free);
    o.pins.state[e.tensor] = e.selected ? Pin::Out : Pin::In;
    try {
        const Plan other = selectTensors(catalogue, costs, importance, plan.rho, o);
        for (size_t i = 0; i < catalogue.size(); ++i) {
            if (static_cast<int>(i) == e.tensor) continue;
            if (plan.selected[i] && !other.selected[i]) e.swappedOut.push_back(int(i));
            if (!plan.selected[i] && other.selected[i]) e.swappedIn.push_back(int(i));
        }
        e.importanceLoss = plan.importance - other.importance;
    } catch (const PinsExceedBudget& x) {
        e.pinNeedsRho = x.minimumRho();
    } catch (const InfeasibleRho& x) {
        e.pinNeedsRho = x.minimumRho();
    }
    e.swapComputed = true;
}

std::string number(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string names(const std::vector<int>& tensors, const model::TensorCatalogue& catalogue) {
    std::string out;
    const size_t shown = std::min<size_t>(tensors.size(), 3);
    for (size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + catalogue[tensors[i]].name;
    if (tensors.size() > shown) out += " and " + std::to_string(tensors.size() - shown) + " more";
    return out;
}

} // namespace

TensorExplanation explainTensor(const model::TensorCatalogue& catalogue, const CostTable& costs,
                                const std::vector<double>& importance, const Plan& plan,
                                const SelectorOptions& options, int tensor, bool replan) {
    if (tensor < 0 || tensor >= static_cast<int>(catalogue.size()) ||
        plan.selected.size() != catalogue.size())
        throw std::out_of_range("explainTensor: no tensor " + std::to_string(tensor));
    TensorExplanation e;
    e.tensor = tensor;
    e.selected = plan.selected[tensor];
    e.pin = options.pins.state.empty() ? Pin::Free : options.pins.state[tensor];
    e.importance = importance[tensor];
    for (double v : importance)
        if (v > 0) {
            ++e.usefulCount;
            if (e.importance > 0 && v > e.importance) ++e.importanceRank;
        }
    if (e.importance > 0) ++e.importanceRank;
    const std::vector<int> order = backpropChain(catalogue, costs);
    const std::vector<double> reach = reachCosts(costs, order);
    double paid = 0.0; // the reach of the deepest other selected tensor
    for (size_t k = 0; k < order.size(); ++k) {
        if (order[k] == tensor)
            e.reachMacs = reach[k];
        else if (plan.selected[order[k]])
            paid = reach[k];
    }
    e.dwMacs = costs.costs[tensor].dw;
    e.extraReachMacs = std::max(0.0, e.reachMacs - paid);
    e.shareOfStep = e.addedMacs() / costs.fullStep();
    e.valuePerGMac = e.addedMacs() > 0 ? e.importance / (e.addedMacs() / 1e9) : 0.0;
    // Both re-run the selector (up to 100 plans): milliseconds with the exact DP, seconds with
    // the paper's on a large model, and pins need the exact DP anyway.
    e.paperSelector = options.kind != SelectorKind::ExactDp;
    if (!replan || e.pin != Pin::Free || e.paperSelector) return e;
    if (e.selected || e.importance > 0)
        e.flipRho = findFlipRho(catalogue, costs, importance, plan, options, tensor);
    computeSwap(catalogue, costs, importance, plan, options, e);
    return e;
}

std::vector<std::string> explanationLines(const TensorExplanation& e,
                                          const model::TensorCatalogue& catalogue, const Plan& plan,
                                          CostUnit unit) {
    std::vector<std::string> out;
    const std::string rho = number("%.2f", plan.rho);
    const double scale = unit == CostUnit::Flops ? 2e-9 : 1e-9; // MACs -> GFLOP or GMAC
    const std::string g = unit == CostUnit::Flops ? " GFLOP" : " GMAC";
    auto giga = [&](double macs) { return number("%.3g", macs * scale); };
    const char* state = e.pin == Pin::In    ? "trained: pinned in"
                        : e.pin == Pin::Out ? "not trained: pinned out"
                        : e.selected        ? "trained"
                                            : "not trained";
    out.push_back(catalogue[e.tensor].name + " — " + state + " at rho " + rho);
    out.push_back(
        e.importance > 0
            ? "importance " + number("%.4g", e.importance) + ", rank " +
                  std::to_string(e.importanceRank) + " of " + std::to_string(e.usefulCount)
            : "importance " + number("%.4g", e.importance) + ": never trained unless pinned in");
    out.push_back("its dW " + giga(e.dwMacs) + g + "; reaching it " + giga(e.reachMacs) + g +
                  " of dY, " + giga(e.extraReachMacs) + " of them beyond the plan's other tensors");
    const double perG = e.valuePerGMac / (unit == CostUnit::Flops ? 2.0 : 1.0);
    out.push_back((e.selected ? "it costs the plan " : "it would add ") + giga(e.addedMacs()) + g +
                  " (" + number("%.2f", 100 * e.shareOfStep) +
                  "% of a full step): " + number("%.3g", perG) + " importance per" + g);
    if (e.pin != Pin::Free) return out;
    if (!e.swapComputed) {
        if (e.paperSelector) out.push_back("what would flip it: with the exact DP selector");
        return out;
    }
    if (e.flipRho)
        out.push_back(e.selected
                          ? "dropped at rho " + number("%.2f", *e.flipRho) + " (0.01 steps down)"
                          : "needs rho >= " + number("%.2f", *e.flipRho) + " to be chosen");
    else if (e.selected)
        out.push_back("kept at every lower rho down to the minimum");
    else if (e.importance > 0)
        out.push_back("not chosen at any rho up to 1");
    if (e.pinNeedsRho)
        out.push_back("pinning it in needs rho >= " + number("%.4f", *e.pinNeedsRho));
    else if (!e.selected)
        out.push_back(e.swappedOut.empty() ? "pinning it in at rho " + rho + " displaces nothing"
                                           : "pinning it in at rho " + rho + " would displace " +
                                                 names(e.swappedOut, catalogue) + " (importance -" +
                                                 number("%.4g", e.importanceLoss) + ")");
    else
        out.push_back(e.swappedIn.empty()
                          ? "pinning it out at rho " + rho + " frees its cost for nothing else"
                          : "pinning it out at rho " + rho + " would bring in " +
                                names(e.swappedIn, catalogue) + " (importance -" +
                                number("%.4g", e.importanceLoss) + ")");
    return out;
}

} // namespace gt::green
