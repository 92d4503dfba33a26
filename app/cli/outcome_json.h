// The JSON form of a finished (or stopped) training run, shared by `gt train --json` and
// `gt demo --json` so scripts read one schema instead of scraping the text lines.
#pragma once

#include <nlohmann/json.hpp>

namespace gt::api {
struct TrainOutcome;
}

namespace gt::cli {

/// Keys: run_id, stopped, steps, wall_seconds, last_loss, planned_share, planned_macs,
/// full_macs_per_step, peak_rss_bytes, plan (the selection's one-line summary) and, where
/// they apply, min_rho and spare_backward_share (GreenTrainer), validation {loss, rouge1, rouge2,
/// rougeL}, energy_joules with energy_source, checkpoint_dir.
nlohmann::json outcomeJson(const api::TrainOutcome& outcome);

} // namespace gt::cli
