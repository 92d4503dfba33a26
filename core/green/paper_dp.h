// The paper's selection DP, reproduced with its quirks (method.md §4.1-4.5) so that paper
// mode gives the paper's selections: costs pre-scaled to Tq = 1000 units and floored, budget
// floor(rho_b * T), the reach limit with its off-by-one, the S-flag recurrence (a predecessor
// state counts only if its best solution ends exactly at its last tensor), float32 values.
// It is approximate; solveExactDp is the default selector.
#pragma once

#include "core/green/exact_dp.h"

#include <cstdint>
#include <vector>

namespace gt::green {

struct PaperDpResult : DpResult {
    int64_t totalUnits = 0; ///< T: sum of the floored units
    int64_t limitUnits = 0; ///< T_lim = floor(rho_b * T)
    int reachLimit = 0;     ///< N_lim: tensors the DP considers
};

/// Floors `macs * tq / total` per tensor, as downscale_t_dy_and_t_dw does.
std::vector<int64_t> paperUnits(const std::vector<double>& macs, double total, double tq = 1000.0);

/// `dy`, `dw` (units) and `value` in output-first order; `rhoBackward` is rho_b.
PaperDpResult solvePaperDp(const std::vector<int64_t>& dy, const std::vector<int64_t>& dw,
                           const std::vector<double>& value, double rhoBackward);

} // namespace gt::green
