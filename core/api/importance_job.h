// The importance probe on its own (method.md §3), as `gt profile --probe` and the Tensors page
// run it: the job's model, data, batch size, length, learning rate and seed, the first
// `batches` batches of the shuffled training split, every tensor reachable. What a
// GreenTrainer run of the same job would measure at its first selection round, minus the
// budget's reach limit. Torch-free header.
#pragma once

#include "core/api/training_job.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace gt::api {

struct ImportanceOutcome {
    std::vector<std::string> names; ///< catalogue order
    std::vector<double> importance; ///< catalogue order, in [-1, 1] (largest magnitude = 1)
    int batches = 0;
    int64_t tokens = 0; ///< label tokens the probe's batches hold
    double seconds = 0;
    bool stopped = false; ///< the stop flag ended it; `importance` is empty
    /// "probe: 4 batches of 8 x 256, debian" — how the GUI and tables label the values.
    std::string label() const;
};

/// Runs on the calling thread. `onProgress(done, total)` after every forward + backward pass
/// (2 per batch). Throws for a model without weights, bad data or bad options.
ImportanceOutcome runImportanceProbe(const TrainJob& job, int batches,
                                     const std::function<void(int, int)>& onProgress = {},
                                     const std::atomic<bool>* stop = nullptr);

} // namespace gt::api
