#include "core/green/exact_dp.h"

#include <stdexcept>

namespace gt::green {

DpResult solveExactDp(const std::vector<int64_t>& reach, const std::vector<int64_t>& dw,
                      const std::vector<double>& value, int64_t budget) {
    const size_t n = reach.size();
    if (dw.size() != n || value.size() != n)
        throw std::invalid_argument("solveExactDp: reach, dw and value differ in length");
    DpResult r;
    r.mask.assign(n, 0);
    if (budget < 0) return r;
    const size_t cap = static_cast<size_t>(budget);
    std::vector<double> best(cap + 1, 0.0); // best[w]: max value of tensors seen, dW sum <= w
    const size_t words = cap / 64 + 1;
    std::vector<uint64_t> took(n * words, 0); // took[k][w]: tensor k improved best[w]
    int bestK = -1;
    size_t bestCap = 0;
    for (size_t k = 0; k < n && reach[k] <= budget; ++k) {
        if (value[k] <= 0.0) continue;
        if (reach[k] + dw[k] <= budget) {
            const size_t c = static_cast<size_t>(budget - reach[k] - dw[k]);
            if (value[k] + best[c] > r.value) {
                r.value = value[k] + best[c];
                bestK = static_cast<int>(k);
                bestCap = c;
            }
        }
        // Later candidates query capacities <= budget - reach[k+1]: update no further.
        const int64_t limit = k + 1 < n ? budget - reach[k + 1] : -1;
        const int64_t w0 = dw[k];
        for (int64_t w = limit; w >= w0; --w) {
            const double v = best[w - w0] + value[k];
            if (v > best[w]) {
                best[w] = v;
                took[k * words + w / 64] |= uint64_t{1} << (w % 64);
            }
        }
    }
    if (bestK < 0) return r;
    r.mask[bestK] = 1;
    r.cost = reach[bestK] + dw[bestK];
    size_t c = bestCap;
    for (int k = bestK - 1; k >= 0; --k) {
        if (took[k * words + c / 64] >> (c % 64) & 1) {
            r.mask[k] = 1;
            r.cost += dw[k];
            c -= static_cast<size_t>(dw[k]);
        }
    }
    return r;
}

} // namespace gt::green
