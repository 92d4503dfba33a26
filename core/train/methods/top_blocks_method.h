// The paper's FT-Top2 baseline: every tensor of the last k blocks, one round.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class TopBlocksMethod : public TrainingMethod {
public:
    /// Throws std::invalid_argument when k is outside [1, blocks].
    explicit TopBlocksMethod(const MethodSetup& setup);
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;

private:
    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    int m_k;
};

} // namespace gt::train
