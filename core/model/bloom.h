// BLOOM (BigScience, 2022), as HF BloomForCausalLM. Weight names follow the HF checkpoint:
// "transformer.h.{i}.self_attention.query_key_value.weight". Fused QKV laid out per head as
// (H, 3, head_dim); ALiBi position biases (slope_h * key position from the mask's cumsum);
// a LayerNorm on the embeddings; optional residual taken after the LayerNorm.
// Dimensions: B batch, S new tokens, T all tokens, D hidden, H heads, d head size.
#pragma once

#include "core/model/causal_lm.h"

namespace gt::model {

class BloomAttentionImpl : public torch::nn::Module {
public:
    BloomAttentionImpl(int64_t d, int64_t heads);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& alibi,
                          const torch::Tensor& blocked, KvCache* cache, size_t layer);
    torch::nn::Linear query_key_value{nullptr}, dense{nullptr};

private:
    int64_t m_heads;
};
TORCH_MODULE(BloomAttention);

class BloomMlpImpl : public torch::nn::Module {
public:
    BloomMlpImpl(int64_t d, int64_t f);
    torch::nn::Linear dense_h_to_4h{nullptr}, dense_4h_to_h{nullptr};
};
TORCH_MODULE(BloomMlp);

class BloomBlockImpl : public torch::nn::Module {
public:
    explicit BloomBlockImpl(const io::ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& alibi,
                          const torch::Tensor& blocked, KvCache* cache, size_t layer);
    torch::nn::LayerNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
    BloomAttention self_attention{nullptr};
    BloomMlp mlp{nullptr};

private:
    bool m_residualPostLn;
};
TORCH_MODULE(BloomBlock);

class BloomModelImpl : public torch::nn::Module {
public:
    explicit BloomModelImpl(const io::ModelConfig& c);
    torch::nn::Embedding word_embeddings{nullptr};
    torch::nn::LayerNorm word_embeddings_layernorm{nullptr}, ln_f{nullptr};
    torch::nn::ModuleList h;
};
TORCH_MODULE(BloomModel);

class BloomForCausalLM : public CausalLMImpl {
public:
    explicit BloomForCausalLM(const io::ModelConfig& c);
    LmOutput forwardTokens(const LmInput& input) override;
    BloomModel transformer{nullptr};
};

} // namespace gt::model
