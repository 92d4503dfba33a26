// OPT decoder-only transformer (Zhang et al., 2022), as HF OPTForCausalLM.
// Weight names follow the HF checkpoint: "model.decoder.layers.{i}.self_attn.q_proj.weight".
// Pre-LN (125m ... 66b) or post-LN (350m); word_embed_proj_dim != hidden adds project_in/out;
// learned positions looked up at cumsum(mask) - 1 + 2; the LM head is tied to embed_tokens.
// Dimensions: B batch, S new tokens, T all tokens, D hidden, E embedding width, H heads.
#pragma once

#include "core/model/causal_lm.h"

namespace gt::model {

class OptAttentionImpl : public torch::nn::Module {
public:
    OptAttentionImpl(int64_t d, int64_t heads, bool bias);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, KvCache* cache,
                          size_t layer);
    torch::nn::Linear k_proj{nullptr}, v_proj{nullptr}, q_proj{nullptr}, out_proj{nullptr};

private:
    int64_t m_heads;
};
TORCH_MODULE(OptAttention);

class OptDecoderLayerImpl : public torch::nn::Module {
public:
    explicit OptDecoderLayerImpl(const io::ModelConfig& c);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& mask, KvCache* cache, size_t layer);
    OptAttention self_attn{nullptr};
    torch::nn::LayerNorm self_attn_layer_norm{nullptr}, final_layer_norm{nullptr};
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};

private:
    bool m_preLn;
    std::string m_activation;
};
TORCH_MODULE(OptDecoderLayer);

class OptDecoderImpl : public torch::nn::Module {
public:
    explicit OptDecoderImpl(const io::ModelConfig& c);
    torch::nn::Embedding embed_tokens{nullptr}, embed_positions{nullptr};
    torch::nn::Linear project_out{nullptr}, project_in{nullptr};
    torch::nn::LayerNorm final_layer_norm{nullptr};
    torch::nn::ModuleList layers;
};
TORCH_MODULE(OptDecoder);

class OptModelImpl : public torch::nn::Module {
public:
    explicit OptModelImpl(const io::ModelConfig& c);
    OptDecoder decoder{nullptr};
};
TORCH_MODULE(OptModel);

class OptForCausalLM : public CausalLMImpl {
public:
    explicit OptForCausalLM(const io::ModelConfig& c);
    LmOutput forwardTokens(const LmInput& input) override;
    OptModel model{nullptr};
};

} // namespace gt::model
