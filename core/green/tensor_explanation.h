// Why a plan trains a tensor or not (the Tensors page's "Why this tensor", `gt plan --why`):
// the tensor's importance, the dW it costs and the dY it takes to reach it, what it would add
// to this plan, its value per unit of that cost, and the cheapest change that would flip it —
// the nearest rho at which the selector decides otherwise, and what pinning it the other way
// would displace at this rho. Every figure comes from re-running the selector, so the
// explanation is exactly what the DP would do, not a heuristic. Torch-free.
#pragma once

#include "core/green/selector.h"

#include <optional>
#include <string>
#include <vector>

namespace gt::green {

struct TensorExplanation {
    int tensor = -1; ///< catalogue index
    bool selected = false;
    Pin pin = Pin::Free;
    double importance = 0.0;
    int importanceRank = 0; ///< 1 = most important; 0 for importance <= 0
    int usefulCount = 0;    ///< tensors with importance > 0
    double dwMacs = 0.0;
    double reachMacs = 0.0;      ///< dY MACs from the loss down to it
    double extraReachMacs = 0.0; ///< the part of that the plan's other tensors do not pay
    double addedMacs() const { return dwMacs + extraReachMacs; } ///< what it costs this plan
    double shareOfStep = 0.0;                                    ///< addedMacs / T_full
    double valuePerGMac = 0.0;                                   ///< importance per 1e9 MACs added
    /// Nearest rho on a 0.01 grid where the plan flips it: above the plan's rho for a tensor
    /// left out (the first that selects it), below for a selected one (the first that drops
    /// it). None when no rho in (0, 1] does, the tensor is pinned or the selector is the
    /// paper's (exact DP only, like the swap below).
    std::optional<double> flipRho;
    /// Pinning it the other way at the plan's rho (exact DP only): the tensors that would
    /// leave (pinned in) or come in (pinned out), and the importance the plan would lose.
    bool swapComputed = false;  ///< the flip rho and the swap were computed
    bool paperSelector = false; ///< the plan's selector is the paper's DP (no flip, no swap)
    std::vector<int> swappedOut, swappedIn;
    double importanceLoss = 0.0;
    std::optional<double> pinNeedsRho; ///< pinning it in does not fit: the rho it needs
};

/// Explains `tensor` in `plan`, made by selectTensors(catalogue, costs, importance, plan.rho,
/// options). With `replan` false only the costs and the rank (microseconds: a tooltip's worth);
/// with it also the flip rho and the swap, which re-run the selector up to ~100 times
/// (exact DP on OPT-2.7B: a few ms each). Throws std::out_of_range for a bad index.
TensorExplanation explainTensor(const model::TensorCatalogue& catalogue, const CostTable& costs,
                                const std::vector<double>& importance, const Plan& plan,
                                const SelectorOptions& options, int tensor, bool replan = true);

/// How explanationLines states costs: MACs (the CLI's unit) or FLOPs = 2 x MACs (the GUI's).
enum class CostUnit { Macs, Flops };

/// The explanation in a few lines of plain text, tensors named from the catalogue.
std::vector<std::string> explanationLines(const TensorExplanation& e,
                                          const model::TensorCatalogue& catalogue, const Plan& plan,
                                          CostUnit unit = CostUnit::Macs);

} // namespace gt::green
