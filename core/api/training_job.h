// A whole fine-tuning run as the CLI and the GUI start it: model + tokenizer + dataset in,
// training with the chosen method, every step and selection round written to the run store,
// a validation pass (loss, greedy generation, ROUGE) at the end. Torch-free header.
#pragma once

#include "core/api/preflight.h"
#include "core/api/run_footprint.h"
#include "core/train/train_options.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gt::api {

struct TrainJob {
    std::string modelDir;
    std::string dataDir; ///< with `preset`
    std::string preset;  ///< "scitldr", "dialogsum", "debian"; empty: trainFile/validationFile
    std::string trainFile, validationFile, sourceField = "source", targetField = "target";
    double holdOut = 0.0;        ///< without a validation file: this share of trainFile validates
    size_t maxTrainExamples = 0; ///< 0 = all
    int64_t maxLength = 256;     ///< prompt + summary tokens
    int64_t batchSize = 4;
    bool appendEos = true;
    train::TrainOptions options;
    std::string dbPath; ///< empty = the default store
    std::string runName;
    std::vector<std::string> tags;
    size_t evalExamples = 32; ///< validation examples for loss and ROUGE (0 = skip)
    int64_t maxNewTokens = 32;
    int64_t noRepeatNgram = 0; ///< validation generation: no n-gram twice (0 = plain greedy)
    /// The run's checkpoint folder (one step-N subfolder per checkpoint, the newest two
    /// kept); empty: STORE.checkpoints/run-ID beside the store, removed when the run finishes.
    std::string checkpointDir;
    bool checkpoints = true;       ///< periodic checkpoints (false: only on Stop and Pause)
    int64_t checkpointEvery = 0;   ///< steps between checkpoints (0 = no step cadence)
    double checkpointMinutes = 10; ///< training minutes between checkpoints (0 = none)
    std::string exportDir;         ///< write the trained model here (HF layout, LoRA merged)
    int64_t evalEvery = 0;         ///< steps between validation passes (0 = only at the end)
    FootprintOptions footprint;    ///< energy method, grid intensity, carbon-aware rho
};

struct TrainProgress {
    train::StepMetrics step;
    int64_t totalSteps = 0;
    double elapsedSeconds = 0, etaSeconds = 0;
    std::optional<double> energyJoules; ///< the run's so far (measured or estimated)
    std::optional<double> co2Grams;     ///< with a grid intensity
    std::optional<double> gridGPerKwh;  ///< the grid's intensity now
    /// The pre-flight card once the first plan is made (recalibrated after the first steps);
    /// null before. Shared, never changed: progress crosses threads by copy.
    std::shared_ptr<const PreflightCard> preflight;
};

struct TrainOutcome {
    int64_t runId = 0;
    bool stopped = false;
    int64_t steps = 0;
    double wallSeconds = 0; ///< the run's training time, earlier sessions' included
    double lastLoss = 0;
    double plannedShare = 0;    ///< mean planned MACs per step / full fine-tuning
    double plannedMacs = 0;     ///< planned MACs summed over this session's steps
    double fullMacsPerStep = 0; ///< one full fine-tuning step of the same shape
    std::optional<double> validationLoss, rouge1, rouge2, rougeL;
    std::string checkpointDir; ///< where a stopped run can be resumed from
    std::string message;       ///< e.g. what the GreenTrainer plan trains
    /// rho_min and spare backward share of the last GreenTrainer plan (none for other methods)
    std::optional<green::BudgetHeadroom> headroom;
    int64_t peakRssBytes = 0; ///< the process's peak resident memory during training
    /// Energy of the run's steps (a resumed run adds this session's to what its checkpoint
    /// had; a crashed session's steps after its last checkpoint are not counted)
    std::optional<double> energyJoules;
    std::string energyMethod;       ///< "measured:rapl", "estimated:cpu-model", ...
    std::string energySource;       ///< e.g. "rapl: intel-rapl:0 (package-0)"
    std::optional<double> co2Grams; ///< gCO2e of those steps, with a grid intensity
    std::string gridSource;         ///< where the intensity came from
    /// The session's pre-flight card: predicted at its first plan, measured over its first
    /// steps (when it made enough of them)
    std::optional<PreflightCard> preflight;
};

/// Steps after the first (which pays for warm-up) over which a run measures its pace and power
/// for the pre-flight card.
constexpr int64_t kPreflightCalibrationSteps = 3;

/// A selection round: what the plan trains (catalogue order) from `step` on.
struct PlanRound {
    int round = 0;
    int64_t step = 0;
    std::vector<uint8_t> selected;
    double share = 0;                       ///< planned MACs per step / full fine-tuning
    std::optional<double> rho, gridGPerKwh; ///< the round's objective and the grid's intensity
};

/// A validation pass (F1 x 100).
struct EvalPoint {
    int64_t step = 0;
    double loss = 0, rouge1 = 0, rouge2 = 0, rougeL = 0;
};

struct TrainCallbacks {
    std::function<void(const TrainProgress&)> onProgress;
    std::function<void(const PlanRound&)> onPlan;
    std::function<void(const EvalPoint&)> onEvaluation;
    /// Checked between steps: while set, the run writes a checkpoint and then calls onPaused,
    /// which returns when the pause ends (the GUI's Pause).
    const std::atomic<bool>* pause = nullptr;
    std::function<void()> onPaused;
};

TrainOutcome runTraining(const TrainJob& job, const TrainCallbacks& callbacks,
                         const std::atomic<bool>* stop);
TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath,
                            const TrainCallbacks& callbacks, const std::atomic<bool>* stop);

/// Runs the job on the calling thread. Progress every step; `stop` ends it after the current
/// step (the run is stored as "stopped"). Errors mark the run "failed" and are rethrown.
TrainOutcome runTraining(const TrainJob& job,
                         const std::function<void(const TrainProgress&)>& onProgress = {},
                         const std::atomic<bool>* stop = nullptr);

/// Continues stored run `runId` from its newest checkpoint (found through the store, see
/// run_checkpoint.h). Throws naming the run when it is still running, finished, or has no
/// checkpoint.
TrainOutcome resumeRun(int64_t runId, const std::string& dbPath, const TrainCallbacks& callbacks,
                       const std::atomic<bool>* stop);

/// Continues the run saved in `checkpointDir` (same job, same stored run) to its end.
/// `checkpointDir` is a run's checkpoint folder (its newest complete checkpoint is used) or
/// one checkpoint.
/// `dbPath` overrides the store the run was in (empty: the one it was started with).
TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath = {},
                            const std::function<void(const TrainProgress&)>& onProgress = {},
                            const std::atomic<bool>* stop = nullptr);

} // namespace gt::api
