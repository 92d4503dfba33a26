// FreezeOut-style progressive freezing (Brock et al., 2017): block i (input end first) stops
// training once a share t_i = t0 + (1 - t0) i / L of the run's steps is done, so each freeze
// shortens the backward pass from the input end. The tensors in front of block 0 (token and
// position embeddings, a tied LM head with them) freeze with block 0; those after the last
// block (final norm, an untied head) train to the end. Every freeze begins a round.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class FreezeOutMethod : public TrainingMethod {
public:
    /// Throws std::invalid_argument for t0 outside [0, 1].
    explicit FreezeOutMethod(const MethodSetup& setup);
    bool roundDue(const RoundClock& clock) const override;
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;

    /// Blocks frozen before step `step` (0 .. L).
    int frozenBlocks(int64_t step) const;

private:
    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    double m_start;
    int64_t m_totalSteps;
    std::vector<uint8_t> m_inputSide; ///< tensors outside blocks on the input side
};

} // namespace gt::train
