// LISA (Pan et al., NeurIPS 2024, "Layerwise Importance Sampled AdamW"): the tensors outside
// the transformer blocks (embeddings, final norm, LM head) always train, plus `lisaLayers`
// blocks drawn uniformly at random every `lisaInterval` steps, as LMFlow implements it. Each
// period is a round with its own plan, so its cost is accounted per period: the always-trained
// embedding keeps backprop running to the input end, and only the drawn blocks add dW.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class LisaMethod : public TrainingMethod {
public:
    /// Throws std::invalid_argument for gamma outside [1, blocks] or a period under 1.
    explicit LisaMethod(const MethodSetup& setup);
    bool roundDue(const RoundClock& clock) const override;
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;

private:
    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    int m_gamma;
    int64_t m_interval;
    uint64_t m_seed;
};

} // namespace gt::train
