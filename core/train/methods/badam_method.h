// BAdam (Luo et al., NeurIPS 2024, "block coordinate Adam"): one transformer block trains at a
// time, for `badamInterval` steps, then the next in `badamOrder` (random: reshuffled every
// cycle through the blocks; ascending: input to output; descending). The tensors outside the
// blocks stay frozen (BAdam's default). Adam's state is kept for the active block only: the
// moments of a block it leaves are dropped, so the next visit starts them afresh.
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class BadamMethod : public TrainingMethod {
public:
    /// Throws std::invalid_argument for a period under 1 or an unknown order.
    explicit BadamMethod(const MethodSetup& setup);
    bool roundDue(const RoundClock& clock) const override;
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;
    void changingPlan(const green::Plan& previous, const green::Plan& next,
                      Trainer& trainer) override;

    /// The block trained in period `period` (steps period*K .. period*K + K - 1).
    int blockOf(int64_t period) const;

private:
    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    model::CausalLMImpl& m_model;
    int64_t m_interval;
    std::string m_order;
    uint64_t m_seed;
};

} // namespace gt::train
