// Learning-rate schedules as pure functions of the step (llm.c's schedulers): linear decay to
// zero over the run after an optional linear warm-up, as the paper trains (no warm-up).
#pragma once

#include <cstdint>

namespace gt::train {

/// lr at `step` (0-based) of `total` steps: ramps from 0 over `warmup` steps, then decays
/// linearly from `base` to 0 at `total`. Steps past `total` get 0.
double linearSchedule(int64_t step, int64_t total, int64_t warmup, double base);

/// Cosine decay from `base` to `base * floor` over the steps after a linear warm-up (the
/// usual pretraining schedule; HF get_cosine_schedule_with_warmup when floor = 0).
double cosineSchedule(int64_t step, int64_t total, int64_t warmup, double base, double floor = 0.1);

} // namespace gt::train
