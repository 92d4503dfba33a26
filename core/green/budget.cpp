#include "core/green/budget.h"

#include <cstdio>
#include <limits>
#include <numeric>

namespace gt::green {

int Plan::selectedCount() const {
    return std::accumulate(selected.begin(), selected.end(), 0);
}

namespace {
std::string infeasibleMessage(double rho, double minimum) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "rho %.4g is infeasible: the forward pass alone and the cheapest useful "
                  "backward step need rho >= %.4f",
                  rho, minimum);
    return buf;
}
} // namespace

InfeasibleRho::InfeasibleRho(double rho, double minimumRho)
    : std::runtime_error(infeasibleMessage(rho, minimumRho))
    , m_min(minimumRho) {}

double backwardRho(const CostTable& costs, double rho) {
    return (rho * costs.fullStep() - costs.forwardTotal) / costs.backwardTotal();
}

std::vector<double> reachCosts(const CostTable& costs, const std::vector<int>& outputFirst) {
    std::vector<double> reach(outputFirst.size());
    double sum = 0.0;
    for (size_t k = 0; k < outputFirst.size(); ++k) {
        sum += costs.costs[outputFirst[k]].dy;
        reach[k] = sum;
    }
    return reach;
}

double plannedStepMacs(const CostTable& costs, const std::vector<int>& outputFirst,
                       const std::vector<uint8_t>& selected, int* deepest) {
    double dw = 0.0, reach = 0.0, running = 0.0;
    int deep = -1;
    for (int idx : outputFirst) {
        running += costs.costs[idx].dy;
        if (!selected[idx]) continue;
        dw += costs.costs[idx].dw;
        reach = running;
        deep = idx;
    }
    if (deepest) *deepest = deep;
    return costs.forwardTotal + dw + reach;
}

double minimumFeasibleRho(const CostTable& costs, const std::vector<int>& outputFirst,
                          const std::vector<double>& importance) {
    return budgetHeadroom(costs, outputFirst, &importance, 1.0).minRho;
}

BudgetHeadroom budgetHeadroom(const CostTable& costs, const std::vector<int>& outputFirst,
                              const std::vector<double>* importance, double rho) {
    const std::vector<double> reach = reachCosts(costs, outputFirst);
    double cheapest = std::numeric_limits<double>::infinity();
    double unavoidable = std::numeric_limits<double>::infinity(); // reach is non-decreasing
    for (size_t k = 0; k < outputFirst.size(); ++k) {
        if (importance && !((*importance)[outputFirst[k]] > 0)) continue;
        cheapest = std::min(cheapest, reach[k] + costs.costs[outputFirst[k]].dw);
        unavoidable = std::min(unavoidable, reach[k]);
    }
    BudgetHeadroom h;
    h.minRho = (costs.forwardTotal + cheapest) / costs.fullStep();
    const double spare = rho * costs.fullStep() - costs.forwardTotal - unavoidable;
    h.spareBackwardShare =
        costs.backwardTotal() > 0 && spare > 0 ? spare / costs.backwardTotal() : 0.0;
    return h;
}

std::string headroomText(const BudgetHeadroom& headroom, double rho) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "rho_min %.4f; at rho %.3g, %.1f%% of the backward pass is left to choose from",
                  headroom.minRho, rho, 100 * headroom.spareBackwardShare);
    return buf;
}

void finishPlan(Plan& plan, const CostTable& costs, const std::vector<int>& outputFirst,
                const std::vector<double>* importance) {
    plan.accounting = costs.accounting;
    plan.order = chainOrder(costs.accounting);
    plan.fullMacs = costs.fullStep();
    plan.plannedMacs = plannedStepMacs(costs, outputFirst, plan.selected, &plan.deepest);
    plan.headroom = budgetHeadroom(costs, outputFirst, importance, plan.rho);
    plan.importance = 0.0;
    if (importance)
        for (size_t i = 0; i < plan.selected.size(); ++i)
            if (plan.selected[i]) plan.importance += (*importance)[i];
}

} // namespace gt::green
