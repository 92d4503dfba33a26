// Element-wise loops that LibTorch runs as chains of separate passes, fused into one pass.
// Torch-free, built at -O3 without errno for sqrt (which would forbid vectorizing it) and
// cloned for AVX2 (chosen at run time), so they run 8 floats wide. Callers split the range
// across threads (at::parallel_for).
#pragma once

#include <cstdint>

namespace gt::model {

struct AdamWCoefficients {
    float decay; ///< 1 - lr * weight_decay
    float beta1, oneMinusBeta1, beta2, oneMinusBeta2;
    float sqrtBias2; ///< sqrt(1 - beta2^step)
    float eps;
    float negStep; ///< -lr / (1 - beta1^step)
};

/// LibTorch 1.13's AdamW step for elements [begin, end), its operations in its order:
/// p *= decay; m = m*b1 + (1-b1)*g; v = v*b2 + (1-b2)*g*g; p += negStep * m / (sqrt(v)/s2 + eps).
void adamwUpdate(float* p, const float* g, float* m, float* v, int64_t begin, int64_t end,
                 const AdamWCoefficients& c);

/// Gradient of maximum(s, floor) for s: g above the floor, g / 2 at it, 0 below.
void clampGradient(const float* s, const float* g, float* out, float floor, int64_t begin,
                   int64_t end);

} // namespace gt::model
