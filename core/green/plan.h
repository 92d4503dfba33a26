// A training plan: which tensors a step updates, what the step is planned to cost, and how much
// room its rho left (rho_min, the spare share of the backward pass).
#pragma once

#include "core/green/cost_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::green {

/// How much room a rho leaves, in the terms that compare rho across models (what the paper's
/// GT-x labels intend): a model whose LM head is a large part of the step has little left to
/// choose from at the same rho.
struct BudgetHeadroom {
    double minRho = 0.0; ///< the smallest rho at which a useful tensor fits
    /// Share of the backward pass T_bp left to choose from after the forward pass and the
    /// backward work every useful plan pays (reaching the output-most useful tensor: the LM
    /// head's input gradient): max(0, rho T_full - T_fp - D_first) / T_bp.
    double spareBackwardShare = 0.0;
};

struct Plan {
    std::string method;            ///< "greentrainer", "full", "top-k-blocks", "fixed"
    std::string selector;          ///< "exact-dp", "paper-dp", or empty for baselines
    std::vector<uint8_t> selected; ///< 1 = trained; catalogue order
    double rho = 1.0;              ///< the objective asked for (1 for full fine-tuning)
    Accounting accounting = Accounting::Exact;
    TensorOrder order = TensorOrder::Execution;
    int deepest = -1;                ///< catalogue index backprop must reach; -1 = none
    double plannedMacs = 0.0;        ///< T_fp + selected dW + dY down to the deepest tensor
    double fullMacs = 0.0;           ///< T_full of the same cost table
    double importance = 0.0;         ///< sum of the selected tensors' importance
    double selectorMillis = 0.0;     ///< wall time of the selection itself
    int pinnedIn = 0, pinnedOut = 0; ///< tensors the user fixed (SelectorOptions::pins)
    BudgetHeadroom headroom;         ///< at this plan's rho

    double share() const { return fullMacs > 0 ? plannedMacs / fullMacs : 0.0; }
    int selectedCount() const;
};

} // namespace gt::green
