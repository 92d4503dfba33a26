#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gt::train {

double linearSchedule(int64_t step, int64_t total, int64_t warmup, double base) {
    if (total <= 0 || step >= total) return 0.0;
    if (warmup > 0 && step < warmup)
        return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
    // HF get_linear_schedule_with_warmup: max(0, (total - step) / (total - warmup))
    const double rest = static_cast<double>(std::max<int64_t>(1, total - warmup));
    return base * std::max(0.0, static_cast<double>(total - step) / rest);
}

double cosineSchedule(int64_t step, int64_t total, int64_t warmup, double base, double floor) {
    if (total <= 0 || step >= total) return 0.0;
    if (warmup > 0 && step < warmup)
        return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
    const double progress = static_cast<double>(step - warmup) /
                            static_cast<double>(std::max<int64_t>(1, total - warmup));
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    return base * (floor + (1.0 - floor) * cosine);
}

} // namespace gt::train
