// Exact tensor selection on integer costs (method.md §4.5b): for each candidate deepest
// tensor k, a 0/1 knapsack over tensors 0..k-1 on their dW with capacity B - D_k - dW_k.
// One sweep from the output side keeps one knapsack table: O(N*B) time, N*B bits memory.
// Optimal for the integer problem: checked against brute force in the tests.
#pragma once

#include <cstdint>
#include <vector>

namespace gt::green {

struct DpResult {
    double value = 0.0;        ///< total importance of the selection
    std::vector<uint8_t> mask; ///< output-first order
    int64_t cost = 0;          ///< integer cost of the selection (reach + dW)
};

/// `reach[k]` = D_k (non-decreasing), `dw[k]`, `value[k]` all in output-first order; tensors
/// with value <= 0 are never selected. Selects nothing when nothing fits in `budget`.
DpResult solveExactDp(const std::vector<int64_t>& reach, const std::vector<int64_t>& dw,
                      const std::vector<double>& value, int64_t budget);

} // namespace gt::green
