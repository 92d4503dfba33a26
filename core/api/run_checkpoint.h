// Where a stored run's checkpoints are, for resuming it by its id (`gt resume --run`, the
// Runs page's Resume): the folder its "checkpoint" artifact names, else the default folder
// beside the store (runs.sqlite -> runs.checkpoints/run-ID). Torch-free.
#pragma once

#include "core/api/training_job.h"
#include "core/store/run_queries.h"

#include <filesystem>
#include <optional>

namespace gt::api {

/// STORE.checkpoints/run-ID next to the store file: where a run keeps its checkpoints by
/// default.
std::filesystem::path defaultCheckpointFolder(const std::filesystem::path& storeFile,
                                              int64_t runId);

/// The newest complete checkpoint of the run, or none.
std::optional<std::filesystem::path> latestCheckpoint(const store::RunQueries& runs, int64_t runId);

/// True for a run that can be continued: stopped, interrupted or failed, with a checkpoint.
bool resumable(const store::RunQueries& runs, const store::RunRecord& run);

/// What a training checkpoint says about its run.
struct CheckpointInfo {
    TrainJob job;      ///< the whole job (model, data, settings, store)
    int64_t runId = 0; ///< the stored run it continues
    int64_t step = 0;  ///< optimizer steps done
    int round = 0;     ///< the selection round in force
};

/// Reads `checkpoint`/state.json. Throws naming the file when it is not a training checkpoint.
CheckpointInfo readCheckpoint(const std::filesystem::path& checkpoint);

} // namespace gt::api
