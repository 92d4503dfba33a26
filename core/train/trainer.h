// The fine-tuning loop (llm.c's main, as a class): a fused AdamW over the trained tensors (and
// a method's own parameters: LoRA adapters, a prefix), a linear or cosine schedule, a plan
// applied through requires_grad so autograd stops at the deepest trained tensor, a new plan
// whenever the training method begins a round (GreenTrainer: importance probe + DP every
// `reselectEveryEpochs` epochs; LISA, BAdam, FreezeOut: on their schedules), per-step
// metrics, and every other cadence (checkpoint, evaluation, stop) through RunHooks. Runs on
// whichever thread calls run().
#pragma once

#include "core/data/batch_source.h"
#include "core/green/importance_probe.h"
#include "core/green/plan.h"
#include "core/model/causal_lm.h"
#include "core/model/tensor_catalogue.h"
#include "core/train/train_options.h"
#include "core/train/training_method.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>

namespace gt::train {

/// What the loop does besides stepping, each at its cadence (all optional). run() shows every
/// cadence in one place: plan, step, checkpoint, evaluation, stop.
struct RunHooks {
    std::function<void(const StepMetrics&)> onStep; ///< after every step
    /// A new plan (round 0 at the start, then one per re-selection), with the importance used.
    std::function<void(const green::Plan&, int round, const std::vector<double>& importance)>
        onPlan;
    const std::atomic<bool>* stop = nullptr; ///< checked between steps
    int64_t checkpointEvery = 0;             ///< steps between onCheckpoint (0 = never)
    double checkpointSeconds = 0;            ///< training time between onCheckpoint (0 = never)
    bool checkpointAtRounds = false;         ///< onCheckpoint after every probed selection
    std::function<void()> onCheckpoint;
    /// Checked between steps: when set, onCheckpoint (a paused run is resumable if the
    /// process dies meanwhile), then onPaused, which returns when the pause ends.
    const std::atomic<bool>* pause = nullptr;
    std::function<void()> onPaused;
    /// Steps between onEvaluate (0 = never); not after the last step, where the caller
    /// evaluates the finished run itself.
    int64_t evalEvery = 0;
    std::function<void(int64_t step)> onEvaluate;
    /// GreenTrainer: the rho of each selection round (carbon-aware schedules), asked before
    /// the round plans; unset: the options' rho throughout.
    std::function<double(int round, int64_t step)> rhoForRound;
    /// Before each selection round (its probe included) begins.
    std::function<void(int round, int64_t step)> onRoundStart;
};

class Trainer {
public:
    /// `shape` is the cost shape plans are made for (batch size x padded length of the data).
    Trainer(std::shared_ptr<model::CausalLMImpl> model, green::CostShape shape,
            TrainOptions options, const data::BatchSource& data);
    ~Trainer();

    /// Trains until the epochs (or maxSteps) are done or the stop flag is set. Returns true
    /// when it stopped early. Throws on a non-finite loss (naming the step).
    bool run(const RunHooks& hooks = {});

    /// One optimizer step over `microBatches` (gradient accumulation) with the current plan.
    StepMetrics step(const std::vector<data::Batch>& microBatches);
    /// Makes the plan for `epoch` (probing importance for GreenTrainer) and applies it.
    void select(size_t epoch);
    /// The probe a selection round runs: the first `probeBatches` batches of `epoch`. Leaves
    /// the weights (and, unless paper mode, the optimizer) as they were.
    std::vector<double> probeImportance(size_t epoch, const green::ProbeOptions& options);

    /// Writes weights (model.safetensors, HF names), optimizer state, plan, step and `extra`
    /// to `dir` atomically: a temporary directory renamed into place when complete.
    void saveCheckpoint(const std::filesystem::path& dir,
                        const std::string& extraJson = "{}") const;
    /// Restores a checkpoint written by saveCheckpoint; run() then continues where it stopped.
    /// Returns its `extra` JSON. Throws naming the file when it is incomplete or foreign.
    std::string loadCheckpoint(const std::filesystem::path& dir);

    const green::Plan& plan() const { return m_plan; }
    const green::CostTable& costs() const { return m_costs; }
    const model::TensorCatalogue& catalogue() const { return m_catalogue; }
    const std::vector<double>& importance() const { return m_importance; }
    int64_t stepsDone() const { return m_step; }
    int round() const { return m_round; }
    int64_t totalSteps() const { return m_totalSteps; }
    torch::optim::AdamW& optimizer() { return *m_optimizer; }
    /// The training method (its state tensors: LoRA adapters, a prefix).
    const TrainingMethod& method() const { return *m_method; }
    /// Folds the method into the model for export (LoRA merged, a prefix fixed); the trainer
    /// must not step afterwards.
    void mergeAdapters();
    /// Writes what the exported model needs besides its weights into `dir`: the prefix it
    /// carries, if any (prefix.safetensors).
    void exportMethodFiles(const std::filesystem::path& dir) const;

private:
    void applyPlan();
    /// A selection round before step m_step: the round's rho (hooks), the plan, its report.
    void newRound(size_t epoch, const RunHooks& hooks, const std::function<void()>& afterRound);

    std::shared_ptr<model::CausalLMImpl> m_model;
    TrainOptions m_options;
    const data::BatchSource& m_data;
    model::TensorCatalogue m_catalogue;
    green::CostTable m_costs;
    green::Plan m_plan;
    std::vector<double> m_importance;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    std::unique_ptr<TrainingMethod> m_method;
    std::vector<torch::Tensor> m_extra; ///< the method's own parameters, asked for once
    int64_t m_step = 0, m_totalSteps = 0;
    int m_round = -1;
    int64_t m_planEpoch = -1; ///< the epoch the current plan was made for (a resume at an
                              ///< epoch start after its round must not select again)
    int64_t m_planStep = -1;  ///< the step the current plan was made at (step cadence)
};

} // namespace gt::train
