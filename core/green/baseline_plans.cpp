#include "core/green/baseline_plans.h"

#include "core/green/budget.h"

#include <stdexcept>

namespace gt::green {
namespace {

Plan finish(Plan plan, const model::TensorCatalogue& catalogue, const CostTable& costs) {
    const std::vector<int> chain = backpropChain(catalogue, costs);
    finishPlan(plan, costs, chain, nullptr);
    plan.rho = plan.share(); // a fixed plan's objective is what it costs
    plan.headroom = budgetHeadroom(costs, chain, nullptr, plan.rho);
    return plan;
}

} // namespace

Plan fullFineTuningPlan(const model::TensorCatalogue& catalogue, const CostTable& costs) {
    Plan p;
    p.method = "full";
    p.selected.assign(catalogue.size(), 1);
    return finish(std::move(p), catalogue, costs);
}

Plan topBlocksPlan(const model::TensorCatalogue& catalogue, const CostTable& costs, int k) {
    if (k < 1 || k > catalogue.blockCount())
        throw std::invalid_argument("top-k blocks: k must be in [1, " +
                                    std::to_string(catalogue.blockCount()) + "], got " +
                                    std::to_string(k));
    Plan p;
    p.method = "top-k-blocks";
    p.selected.assign(catalogue.size(), 0);
    for (size_t i = 0; i < catalogue.size(); ++i)
        if (catalogue[i].block >= catalogue.blockCount() - k) p.selected[i] = 1;
    return finish(std::move(p), catalogue, costs);
}

Plan fixedPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
               const std::vector<std::string>& names) {
    Plan p;
    p.method = "fixed";
    p.selected.assign(catalogue.size(), 0);
    std::string unknown;
    for (const std::string& n : names) {
        const int i = catalogue.find(n);
        if (i < 0)
            unknown += (unknown.empty() ? "" : ", ") + n;
        else
            p.selected[i] = 1;
    }
    if (!unknown.empty())
        throw std::invalid_argument("fixed tensor set: no tensor named " + unknown +
                                    " in this model");
    return finish(std::move(p), catalogue, costs);
}

Plan maskPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
              std::vector<uint8_t> selected, const std::string& method) {
    if (selected.size() != catalogue.size())
        throw std::invalid_argument(method + ": the selection has " +
                                    std::to_string(selected.size()) + " entries, the model " +
                                    std::to_string(catalogue.size()) + " tensors");
    Plan p;
    p.method = method;
    p.selected = std::move(selected);
    return finish(std::move(p), catalogue, costs);
}

Plan loraPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
              const std::vector<std::string>& adaptedWeights, double adapterMacs) {
    Plan p;
    p.method = "lora";
    p.accounting = costs.accounting;
    p.order = chainOrder(costs.accounting);
    p.selected.assign(catalogue.size(), 0);
    std::vector<uint8_t> adapted(catalogue.size(), 0);
    for (const auto& n : adaptedWeights) {
        const int i = catalogue.find(n);
        if (i < 0)
            throw std::invalid_argument("LoRA: adapted weight " + n + " is not in the catalogue");
        adapted[i] = 1;
    }
    double running = 0.0, reach = 0.0, allDy = 0.0;
    for (int idx : backpropChain(catalogue, costs)) {
        running += costs.costs[idx].dy;
        allDy += costs.costs[idx].dy;
        if (!adapted[idx]) continue;
        reach = running;
        p.deepest = idx;
    }
    p.plannedMacs = costs.accounting == Accounting::Paper
                        ? costs.forwardTotal + allDy
                        : costs.forwardTotal + reach + adapterMacs;
    p.fullMacs = costs.fullStep();
    p.rho = p.share();
    p.headroom = budgetHeadroom(costs, backpropChain(catalogue, costs), nullptr, p.rho);
    return p;
}

} // namespace gt::green
