// GreenTrainer: every round probes the importance of the tensors the budget can reach and
// selects by dynamic programming the set that keeps a step within rho of full fine-tuning;
// rounds every `reselectEveryEpochs` epochs or every `reselectEverySteps` steps. Pinned
// tensors (--include / --exclude) are resolved here, and a rho that reaches no tensor, or
// pins that do not fit it, are refused before any work.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class GreenTrainerMethod : public TrainingMethod {
public:
    explicit GreenTrainerMethod(const MethodSetup& setup);
    bool probes() const override { return true; }
    bool roundDue(const RoundClock& clock) const override;
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;

private:
    void requireFeasibleRho() const;

    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    TrainOptions& m_options; ///< the trainer's: its rho changes per round (schedules)
};

} // namespace gt::train
