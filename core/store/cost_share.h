// What a stored run cost, on the axes the Runs page compares: as a share of full fine-tuning,
// planned FLOPs (the run's own planned and full-FT MACs), or training time or energy against a
// reference run; or in absolute terms, its energy (kJ) and CO2 (g). The reference is the
// newest finished full fine-tuning run of the same model and dataset that has the
// measurement (for energy, by the same method: a measured and an estimated figure are never
// divided by each other): runs are only compared with their own baseline.
#pragma once

#include "core/store/run_records.h"

#include <optional>
#include <vector>

namespace gt::store {

enum class CostAxis { PlannedFlops, TrainingTime, MeasuredEnergy, EnergyKj, Co2Grams };

/// The share (or for EnergyKj and Co2Grams the run's own figure), or nothing when the run (or,
/// for shares of a measurement, its reference) lacks the figure or did not finish.
std::optional<double> costShare(const RunRecord& run, const std::vector<RunRecord>& all,
                                CostAxis axis);

} // namespace gt::store
