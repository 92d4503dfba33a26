// What a training run is asked to do, and what each step reports. Torch-free: the GUI, the
// CLI and the store use these types.
#pragma once

#include "core/green/cost_model.h"
#include "core/green/selector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::train {

enum class Method { Full, GreenTrainer, TopBlocks, Lora };

std::string methodName(Method m);         ///< "full", "greentrainer", "top-k-blocks", "lora"
Method parseMethod(const std::string& s); ///< throws std::invalid_argument

struct TrainOptions {
    Method method = Method::GreenTrainer;
    double rho = 0.5;  ///< FLOPs objective (GreenTrainer)
    int topBlocks = 2; ///< k (TopBlocks)
    int loraRank = 8;  ///< LoRA r (the paper's peft setting: r 8, alpha 32)
    double loraAlpha = 32.0;
    double loraDropout = 0.1;
    std::vector<std::string> loraTargets; ///< empty = the architecture's default
    int reselectEveryEpochs = 2;          ///< GreenTrainer re-selection interval (paper: 2)
    int64_t reselectEverySteps = 0;       ///< > 0: re-select every N steps instead of epochs
    green::SelectorOptions selector;      ///< exact DP by default
    /// GreenTrainer: regular expressions over tensor names, pinned in (always trained) and out
    /// (never trained) at every selection round; see green/pins.h. The trainer resolves them
    /// into selector.pins against its model.
    std::vector<std::string> include, exclude;
    green::Accounting accounting = green::Accounting::Exact;
    bool paperProbe = false;    ///< probe leaves the optimizer advanced, as the paper's code
    int probeBatches = 1;       ///< batches averaged by the importance probe
    double learningRate = 2e-5; ///< the paper's
    double weightDecay = 0.01;
    int64_t warmupSteps = 0;
    bool cosineSchedule = false; ///< cosine decay to 10% (pretraining) instead of linear to 0
    int epochs = 5;
    int64_t maxSteps = 0; ///< 0 = epochs decide
    int gradAccumulation = 1;
    double clipGradNorm = 0.0; ///< 0 = no clipping (the paper's)
    uint64_t seed = 42;
    int threads = 0; ///< 0 = all hardware threads
};

struct StepMetrics {
    int64_t step = 0;   ///< optimizer steps done, 1-based
    double epoch = 0.0; ///< fractional epoch
    double loss = 0.0;
    double learningRate = 0.0;
    double plannedMacs = 0.0; ///< this step's planned cost under the current plan
    double fullMacs = 0.0;    ///< a full fine-tuning step's cost, for reference
    double stepMillis = 0.0;  ///< measured wall time of the step
    double tokensPerSecond = 0.0;
    int trainedTensors = 0;
    int selectionRound = 0;
};

} // namespace gt::train
