// A training job as JSON, from one field table: the run's stored configuration (what the Runs
// page compares), and the whole job a checkpoint keeps for resume.
#pragma once

#include "core/api/training_job.h"

#include <nlohmann/json.hpp>

namespace gt::api {

/// How the run trains: method, plan and optimizer settings, data sizes, seed.
nlohmann::json configJson(const TrainJob& job);
/// configJson plus where the job reads and writes (model, data, store, checkpoints).
nlohmann::json jobToJson(const TrainJob& job);
/// The inverse of jobToJson; a key an older version did not write keeps its default. Throws
/// for a run that pairs an accounting with the other chain order (retired).
TrainJob jobFromJson(const nlohmann::json& json);

} // namespace gt::api
