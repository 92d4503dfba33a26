// The pre-flight card: before a run starts, what its plan will cost — time per step and in
// all, peak memory, energy and CO2 — each with the basis it rests on, so that a user decides
// on rho before spending anything. After the first steps the prediction is recalibrated from
// what the run measured (carbontracker's idea: extrapolate from the first steps, not from
// the spec sheet) and the card shows predicted against measured. Torch-free.
#pragma once

#include "core/api/run_footprint.h"
#include "core/green/cost_model.h"
#include "core/green/plan.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace gt::api {

/// The share of the measured 1024^3 GEMM rate a training step sustains (LayerNorm, softmax,
/// masks, copies and the optimizer run below GEMM speed). Measured on this project's 2-core
/// VM on the starter model at 8 x 256 with 2 threads: 0.73 for full fine-tuning, 0.80 for
/// GreenTrainer at rho 0.5 (steps 2-4 against 2 x planned MACs over the 1024^3 rate); see
/// tests/bench/RESULTS.md, "Pre-flight". The first steps of every run replace it.
constexpr double kTrainingGemmEfficiency = 0.75;

struct PreflightInput {
    io::ModelConfig config;
    model::TensorCatalogue catalogue;
    green::CostShape shape;
    green::Plan plan;
    int64_t steps = 0;          ///< optimizer steps the run will make
    double gemmGflops = 0;      ///< measureMatmulGflops() at the run's threads
    int threads = 0;            ///< the run's intra-op threads (for the power model)
    int64_t runtimeBytes = 0;   ///< resident memory of the process besides the weights
    FootprintOptions footprint; ///< power figure and grid, as the run will have them
};

struct PreflightCard {
    double secondsPerStep = 0, totalSeconds = 0;
    std::string timeBasis;
    int64_t peakBytes = 0;
    std::string memoryBasis;
    std::optional<double> joules; ///< none where no power figure applies
    std::string energyMethod;     ///< "estimated:cpu-model", "estimated:user-watts"
    std::string energyBasis;
    std::optional<double> co2Grams;    ///< with a grid intensity
    std::optional<double> gridGPerKwh; ///< the mean over the predicted run
    std::string gridSource;

    /// After recalibration: the pace and power measured over the first steps, and the run's
    /// totals extrapolated from them (steps done + steps left at the measured pace).
    struct Measured {
        int64_t steps = 0; ///< how many steps the figures come from
        double secondsPerStep = 0, totalSeconds = 0;
        std::optional<double> joulesPerStep, joules, co2Grams;
        std::string energyMethod; ///< the run's own: measured:rapl, estimated:...
        int64_t peakBytes = 0;    ///< peak resident memory so far
    };
    std::optional<Measured> measured;
};

/// Predicts the plan's cost. Throws (naming the option) for a footprint it cannot use.
PreflightCard preflight(const PreflightInput& input);

/// The card with the first steps' measurements and the totals extrapolated from them.
/// `joulesPerStep` is absent where the run records no energy.
PreflightCard recalibrate(PreflightCard card, int64_t stepsMeasured, double secondsPerStep,
                          std::optional<double> joulesPerStep, const std::string& energyMethod,
                          int64_t stepsTotal, int64_t peakBytes);

/// The card as `gt plan --preflight` prints it, a line per figure.
std::string preflightText(const PreflightCard& card);
nlohmann::json preflightJson(const PreflightCard& card);

/// Bytes a training step holds at its peak, by part: weights, the trained tensors' gradients
/// and AdamW state, the activations saved for the backward pass (blocks backprop reaches), the
/// logits and their gradient. Exposed for the tests.
struct MemoryEstimate {
    int64_t weights = 0, gradients = 0, optimizer = 0, activations = 0, logits = 0;
    int blocksReached = 0;
    int64_t total() const { return weights + gradients + optimizer + activations + logits; }
};
MemoryEstimate estimateTrainingMemory(const io::ModelConfig& config,
                                      const model::TensorCatalogue& catalogue,
                                      const green::CostShape& shape, const green::Plan& plan);

} // namespace gt::api
