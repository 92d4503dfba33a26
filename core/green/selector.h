// GreenTrainer's selection: given per-tensor costs, importance and rho, the plan that keeps a
// step within rho x full fine-tuning and maximises the selected importance (method.md §1, §4).
#pragma once

#include "core/green/pins.h"
#include "core/green/plan.h"

#include <vector>

namespace gt::green {

enum class SelectorKind {
    ExactDp, ///< default: knapsack sweep, costs rounded up, never over budget
    PaperDp, ///< the released code's DP with its quirks (Tq = 1000, floor rounding)
};

std::string selectorName(SelectorKind k);         ///< "exact-dp" / "paper-dp"
SelectorKind parseSelector(const std::string& s); ///< throws std::invalid_argument

struct SelectorOptions {
    SelectorKind kind = SelectorKind::ExactDp;
    /// Exact DP: cost units the whole backward pass is divided into. Costs are rounded UP
    /// (reach costs as exact prefix sums), so the plan never exceeds the true budget.
    int64_t resolution = 10000;
    /// Exact DP: afterwards, add still-affordable tensors above the deepest one by importance
    /// per MAC, using the budget that rounding left unspent.
    bool fillSlack = true;
    /// Tensors fixed in or out (exact DP only): the pinned-in ones are paid for first and the
    /// DP fills the rest of the budget around them, optimally.
    Pins pins;
};

/// Plans a GreenTrainer step. `importance` is in catalogue order (higher = more useful;
/// <= 0 is never trained). Throws InfeasibleRho below the smallest feasible rho,
/// PinsExceedBudget when the pinned-in tensors alone cost more than rho, and
/// std::invalid_argument for rho outside (0, 1], a size mismatch or pins with the paper DP.
Plan selectTensors(const model::TensorCatalogue& catalogue, const CostTable& costs,
                   const std::vector<double>& importance, double rho,
                   const SelectorOptions& options = {});

} // namespace gt::green
