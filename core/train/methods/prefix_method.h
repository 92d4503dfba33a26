// Prefix tuning (Li & Liang, 2021) with peft's PrefixTuning layout: `prefixTokens` virtual
// tokens whose keys and values enter every layer's attention (peft's past_key_values: per
// token a vector of L x 2 x H_kv x head_dim, key then value per layer), the model frozen.
// With `prefixProjection` the vectors come from an embedding through a tanh MLP (peft's
// prefix_projection, the paper's reparameterisation) while training; merge() computes them
// once, so inference and the exported model (prefix.safetensors) carry plain keys and values.
// The virtual tokens take no position: the real tokens keep the positions they have without
// a prefix (see model::KvCache::virtualLength).
#pragma once

#include "core/train/training_method.h"

namespace gt::train {

class PrefixMethod : public TrainingMethod {
public:
    /// Throws std::invalid_argument for a prefix length or MLP width under 1, or a model that
    /// carries a prefix already.
    explicit PrefixMethod(const MethodSetup& setup);
    ~PrefixMethod() override;
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;
    green::Plan restorePlan(green::Plan restored, const std::vector<double>& importance,
                            int round) const override;
    std::vector<torch::Tensor> extraParameters() const override;
    std::string stateFile() const override { return m_encoder ? "prefix.safetensors" : ""; }
    NamedTensors stateTensors() const override;
    void merge() override;

    /// The MACs one step adds for `tokens` tokens: attention to the virtual tokens (forward
    /// and backward, every layer) and the MLP (forward and backward, once per step).
    double stepMacs(int64_t tokens) const;

    class Encoder;

private:
    green::Plan prefixPlan() const;

    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    model::CausalLMImpl& m_model;
    std::shared_ptr<Encoder> m_encoder;
};

} // namespace gt::train
