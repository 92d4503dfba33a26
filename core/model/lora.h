// LoRA (Hu et al., 2021) as peft applies it: y = W x + b + (alpha / r) B A dropout(x) on the
// targeted linear layers, A ~ U(+-1/sqrt(in)), B = 0, the base weights frozen. Adapters live
// outside the module tree (so parameter order, the tensor catalogue and HF checkpoints stay
// untouched); the architectures route their projections through applyLinear(), which adds
// the update when an adapter is attached. merge() folds B A into W for export.
#pragma once

#include "core/model/causal_lm.h"
#include "core/model/layers.h"

#include <string>
#include <vector>

namespace gt::model {

struct LoraOptions {
    int64_t rank = 8;     ///< r (the paper's peft setting)
    double alpha = 32.0;  ///< scale = alpha / r
    double dropout = 0.1; ///< on the adapter's input, training mode only
    /// Module names (last component) to adapt; empty = the architecture's default
    /// (OPT/LLaMA q_proj + v_proj, BLOOM query_key_value, GPT-2 c_attn).
    std::vector<std::string> targets;
};

/// The paper's default targets for an architecture.
std::vector<std::string> defaultLoraTargets(const io::ModelConfig& config);

class LoraAdapters {
public:
    /// Attaches adapters to every targeted layer of `model`. Throws std::invalid_argument when
    /// no layer matches (naming the targets and what the model has).
    LoraAdapters(CausalLMImpl& model, LoraOptions options);
    ~LoraAdapters(); ///< detaches (the model is plain again)
    LoraAdapters(const LoraAdapters&) = delete;
    LoraAdapters& operator=(const LoraAdapters&) = delete;

    /// A and B of every adapter (what the optimizer trains).
    std::vector<torch::Tensor> parameters() const;
    /// "<module>.lora_A.weight" / ".lora_B.weight" (peft naming), for saving.
    std::vector<std::pair<std::string, torch::Tensor>> namedParameters() const;
    /// HF names of the adapted weights ("model.decoder.layers.0.self_attn.q_proj.weight").
    std::vector<std::string> adaptedWeights() const;
    /// Extra MACs the adapters add to one step (forward, their own gradients, and the input
    /// gradient through them) for `tokens` tokens.
    double stepMacs(int64_t tokens) const;
    /// Folds (alpha/r) B A into the base weights and detaches; the model alone then computes
    /// what model + adapters did.
    void merge();

    struct Adapter;

private:
    std::vector<std::unique_ptr<Adapter>> m_adapters;
    LoraOptions m_options;
};

/// linear(x), plus the LoRA update when an adapter is attached to `linear`.
torch::Tensor applyLinear(torch::nn::Linear& linear, const torch::Tensor& x);
/// Conv1D (GPT-2) likewise.
torch::Tensor applyConv1D(Conv1D& conv, const torch::Tensor& x);

} // namespace gt::model
