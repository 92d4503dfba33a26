// Full fine-tuning: every tensor in every step, one round.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class FullMethod : public TrainingMethod {
public:
    explicit FullMethod(const MethodSetup& setup);
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;

private:
    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
};

} // namespace gt::train
