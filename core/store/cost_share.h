// What a stored run cost as a share of full fine-tuning, on the axes the Runs page compares:
// planned FLOPs (the run's own planned and full-FT MACs), or measured training time or energy
// against a reference run. The reference is the newest finished full fine-tuning run of the
// same model and dataset that has the measurement: runs are only compared with their own
// baseline.
#pragma once

#include "core/store/run_records.h"

#include <optional>
#include <vector>

namespace gt::store {

enum class CostAxis { PlannedFlops, TrainingTime, MeasuredEnergy };

/// The share, or nothing when the run (or, for measured axes, its reference) lacks the figure
/// or did not finish.
std::optional<double> costShare(const RunRecord& run, const std::vector<RunRecord>& all,
                                CostAxis axis);

} // namespace gt::store
