// One training method on one interface: what it trains in each round (its plan and the
// plan's cost in either accounting), when a new round begins, the parameters it adds to the
// optimizer, what it keeps in a checkpoint and how it folds into the model for export. The
// trainer runs every method through this interface; a method is one file under methods/ and
// one row in the registry (training_method.cpp), so adding one touches no switch statement.
#pragma once

#include "core/green/plan.h"
#include "core/model/causal_lm.h"
#include "core/model/tensor_catalogue.h"
#include "core/train/train_options.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gt::train {

class Trainer;

/// What a method is built from: the trainer's model, catalogue, costs and options. The
/// options are the trainer's own (GreenTrainer resolves its pins into them).
struct MethodSetup {
    model::CausalLMImpl& model;
    const model::TensorCatalogue& catalogue;
    const green::CostTable& costs;
    TrainOptions& options;
    int64_t totalSteps = 0;
};

/// Where the run stands before a step, for roundDue().
struct RoundClock {
    int64_t step = 0;        ///< optimizer steps done
    size_t epoch = 0;        ///< the epoch the step belongs to
    bool epochStart = false; ///< the step is the first of its epoch
    int64_t planStep = -1;   ///< the step the current plan was made at
    int64_t planEpoch = -1;  ///< the epoch the current plan was made for
};

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

class TrainingMethod {
public:
    virtual ~TrainingMethod() = default;

    /// Whether its rounds probe importance (GreenTrainer): the rho hooks apply and a probed
    /// round is a checkpoint moment.
    virtual bool probes() const { return false; }
    /// Whether a new round begins before this step (the first round always does).
    virtual bool roundDue(const RoundClock&) const { return false; }
    /// The plan of the round that begins now (round counts from 0); a method that measures
    /// importance (GreenTrainer) leaves it in `importance`, catalogue order.
    virtual green::Plan plan(Trainer& trainer, size_t epoch, int round,
                             std::vector<double>& importance) = 0;
    /// A plan restored from a checkpoint (its selection) with its costs filled in again.
    virtual green::Plan restorePlan(green::Plan restored, const std::vector<double>& importance,
                                    int round) const;
    /// Before `next` replaces `previous` (BAdam drops the Adam state of what it leaves).
    virtual void changingPlan(const green::Plan& /*previous*/, const green::Plan& /*next*/,
                              Trainer& /*trainer*/) {}

    /// Parameters the optimizer trains besides the model's own (adapters, a prefix): one
    /// extra AdamW group with the run's settings.
    virtual std::vector<torch::Tensor> extraParameters() const { return {}; }
    /// Checkpoint file (in the checkpoint folder) holding stateTensors(); empty = none.
    virtual std::string stateFile() const { return {}; }
    /// The method's own tensors by name (saved to stateFile(), restored by name).
    virtual NamedTensors stateTensors() const { return {}; }
    /// Folds the method into the model for export (LoRA merges, a prefix becomes fixed keys
    /// and values the model carries); the trainer does not step afterwards.
    virtual void merge() {}
};

/// The method `setup.options.method` names. Throws std::invalid_argument for options it
/// cannot take (pins on a method that chooses no tensors, a block count out of range, ...).
std::unique_ptr<TrainingMethod> makeTrainingMethod(const MethodSetup& setup);

/// `k` distinct values of [0, n) in draw order (k = n: a permutation), a function of
/// (seed, stream) alone: schedule-based methods draw their blocks from it, so a resumed run
/// draws what the uninterrupted run would have, with nothing to checkpoint.
std::vector<int> seededSample(uint64_t seed, uint64_t stream, int n, int k);

/// A catalogue selection with every tensor of the blocks `blocks` marks.
std::vector<uint8_t> blockSelection(const model::TensorCatalogue& catalogue,
                                    const std::vector<uint8_t>& blocks);

} // namespace gt::train
