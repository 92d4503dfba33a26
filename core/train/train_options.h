// What a training run is asked to do, and what each step reports. Torch-free: the GUI, the
// CLI and the store use these types.
#pragma once

#include "core/green/cost_model.h"
#include "core/green/selector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::train {

enum class Method { Full, GreenTrainer, TopBlocks, Lora, Prefix, Lisa, Badam, FreezeOut };

/// "full", "greentrainer", "top-k-blocks", "lora", "prefix", "lisa", "badam", "freezeout"
std::string methodName(Method m);
Method parseMethod(const std::string& s); ///< throws std::invalid_argument

struct TrainOptions {
    Method method = Method::GreenTrainer;
    double rho = 0.5;  ///< FLOPs objective (GreenTrainer)
    int topBlocks = 2; ///< k (TopBlocks)
    int loraRank = 8;  ///< LoRA r (the paper's peft setting: r 8, alpha 32)
    double loraAlpha = 32.0;
    double loraDropout = 0.1;
    std::vector<std::string> loraTargets; ///< empty = the architecture's default
    int prefixTokens = 20;                ///< virtual tokens per layer (peft's num_virtual_tokens)
    bool prefixProjection = true;         ///< train through a tanh MLP (merged away for inference)
    int prefixHidden = 0;                 ///< the MLP's width; 0 = the model's hidden size (peft's)
    int lisaLayers = 2;                   ///< LISA: blocks sampled per period (gamma)
    int64_t lisaInterval = 20;            ///< LISA: steps per sampling period (K)
    int64_t badamInterval = 100;          ///< BAdam: steps before the next block (K)
    std::string badamOrder =
        "random";                ///< BAdam: random (reshuffled per cycle), ascending, descending
    double freezeStart = 0.5;    ///< FreezeOut: share of training after which block 0 freezes (t0)
    int reselectEveryEpochs = 2; ///< GreenTrainer re-selection interval (paper: 2)
    int64_t reselectEverySteps = 0;  ///< > 0: re-select every N steps instead of epochs
    green::SelectorOptions selector; ///< exact DP by default
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
