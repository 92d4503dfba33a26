// LLaMA (Touvron et al., 2023), as HF LlamaForCausalLM. Weight names follow the HF
// checkpoint: "model.layers.{i}.self_attn.q_proj.weight". RMSNorm, rotary positions with
// rope_theta, SwiGLU MLP, grouped-query attention (num_key_value_heads), tied or untied head.
// Dimensions: B batch, S new tokens, T all tokens, D hidden, H heads, G kv heads, d head size.
#pragma once

#include "core/model/causal_lm.h"
#include "core/model/layers.h"

namespace gt::model {

class LlamaAttentionImpl : public torch::nn::Module {
public:
    explicit LlamaAttentionImpl(const io::ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& positions,
                          const torch::Tensor& mask, KvCache* cache, size_t layer);
    torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};

private:
    int64_t m_heads, m_kvHeads;
    double m_theta;
};
TORCH_MODULE(LlamaAttention);

class LlamaMlpImpl : public torch::nn::Module {
public:
    explicit LlamaMlpImpl(const io::ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

private:
    std::string m_activation;
};
TORCH_MODULE(LlamaMlp);

class LlamaDecoderLayerImpl : public torch::nn::Module {
public:
    explicit LlamaDecoderLayerImpl(const io::ModelConfig& c);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& positions,
                          const torch::Tensor& mask, KvCache* cache, size_t layer);
    LlamaAttention self_attn{nullptr};
    LlamaMlp mlp{nullptr};
    RmsNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(LlamaDecoderLayer);

class LlamaModelImpl : public torch::nn::Module {
public:
    explicit LlamaModelImpl(const io::ModelConfig& c);
    torch::nn::Embedding embed_tokens{nullptr};
    torch::nn::ModuleList layers;
    RmsNorm norm{nullptr};
};
TORCH_MODULE(LlamaModel);

class LlamaForCausalLM : public CausalLMImpl {
public:
    explicit LlamaForCausalLM(const io::ModelConfig& c);
    LmOutput forwardTokens(const LmInput& input) override;
    LlamaModel model{nullptr};
    torch::nn::Linear lm_head{nullptr}; ///< empty when tied to embed_tokens
};

} // namespace gt::model
