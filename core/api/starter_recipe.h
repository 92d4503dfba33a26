// The starter model's short fine-tuning recipe on the built-in task: what `gt demo` runs for
// each method and what the Train page starts with. One definition, so that the demo, the GUI
// and the figures quoted for them cannot drift apart.
#pragma once

#include "core/api/training_job.h"

#include <cstddef>
#include <cstdint>

namespace gt::api {

struct StarterRecipe {
    size_t trainExamples = 800; ///< the first N training pairs of the built-in task
    int64_t steps = 100;        ///< optimizer steps per method
    int64_t batchSize = 8;
    int64_t seqLen = 256; ///< prompt + summary tokens, also the cost shape
    double learningRate = 5e-4;
    size_t evalExamples = 100; ///< validation pairs scored (greedy generation + ROUGE)
    int64_t maxNewTokens = 24; ///< a Debian synopsis is one short line
    double rho = 0.5;          ///< GreenTrainer's FLOPs objective
    uint64_t seed = 42;
};

/// A job on `modelDir` and the built-in task with the recipe's settings; the caller picks the
/// method, store and tags.
TrainJob starterJob(const std::string& modelDir, const StarterRecipe& recipe = {});

} // namespace gt::api
