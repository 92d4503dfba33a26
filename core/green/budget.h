// rho, the backward budget, and what a selection costs (method.md §1).
#pragma once

#include "core/green/cost_model.h"
#include "core/green/plan.h"

#include <stdexcept>
#include <string>

namespace gt::green {

/// rho below what the cheapest useful selection costs. what() states the smallest feasible
/// value; minimumRho() gives it.
class InfeasibleRho : public std::runtime_error {
public:
    InfeasibleRho(double rho, double minimumRho);
    double minimumRho() const { return m_min; }

private:
    double m_min;
};

/// rho_b = (rho * T_full - T_fp) / T_bp: the share of the backward pass the budget allows.
double backwardRho(const CostTable& costs, double rho);

/// Reach cost of each tensor in `outputFirst` order: D_k = sum_{j<=k} dY_j (MACs).
std::vector<double> reachCosts(const CostTable& costs, const std::vector<int>& outputFirst);

/// T_fp + sum of selected dW + D at the deepest selected tensor. `deepest` receives its
/// catalogue index (or -1).
double plannedStepMacs(const CostTable& costs, const std::vector<int>& outputFirst,
                       const std::vector<uint8_t>& selected, int* deepest = nullptr);

/// Smallest rho at which at least one tensor with positive importance fits.
double minimumFeasibleRho(const CostTable& costs, const std::vector<int>& outputFirst,
                          const std::vector<double>& importance);

/// rho_min and the spare backward share at `rho`. Tensors with positive importance are the
/// useful ones; without `importance` every tensor is.
BudgetHeadroom budgetHeadroom(const CostTable& costs, const std::vector<int>& outputFirst,
                              const std::vector<double>* importance, double rho);

/// "rho_min 0.3826; at rho 0.5, 20.6% of the backward pass is left to choose from"
std::string headroomText(const BudgetHeadroom& headroom, double rho);

/// Fills method-independent fields of `plan` (planned and full MACs, deepest, importance, the
/// headroom at plan.rho).
void finishPlan(Plan& plan, const CostTable& costs, const std::vector<int>& outputFirst,
                const std::vector<double>* importance);

} // namespace gt::green
