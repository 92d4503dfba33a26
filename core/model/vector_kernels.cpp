#include "core/model/vector_kernels.h"

#include <cmath>

namespace gt::model {

__attribute__((target_clones("avx2", "default"))) void
adamwUpdate(float* __restrict p, const float* __restrict g, float* __restrict m,
            float* __restrict v, int64_t begin, int64_t end, const AdamWCoefficients& c) {
    for (int64_t i = begin; i < end; ++i) {
        const float pi = p[i] * c.decay;
        const float mi = m[i] * c.beta1 + c.oneMinusBeta1 * g[i];
        const float vi = v[i] * c.beta2 + c.oneMinusBeta2 * g[i] * g[i];
        const float denom = std::sqrt(vi) / c.sqrtBias2 + c.eps;
        p[i] = pi + c.negStep * (mi / denom);
        m[i] = mi;
        v[i] = vi;
    }
}

__attribute__((target_clones("avx2", "default"))) void
clampGradient(const float* __restrict s, const float* __restrict g, float* __restrict out,
              float floor, int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
        // branch-free, so that it vectorizes: x1 above, x0.5 on a tie, x0 below (-inf)
        const float above = s[i] > floor ? 1.0f : 0.0f, tie = s[i] == floor ? 0.5f : 0.0f;
        out[i] = g[i] * (above + tie);
    }
}

} // namespace gt::model
