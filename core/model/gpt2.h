// GPT-2 (Radford et al., 2019), as HF GPT2LMHeadModel. Weight names follow the HF
// checkpoint: "transformer.h.{i}.attn.c_attn.weight", Conv1D weights stored (in, out).
// Pre-LN blocks, learned positions, gelu_new MLP, LM head tied to wte.
// Dimensions: B batch, S new tokens, T all tokens, D hidden (n_embd), H heads, d head size.
#pragma once

#include "core/model/causal_lm.h"
#include "core/model/layers.h"

namespace gt::model {

class Gpt2AttentionImpl : public torch::nn::Module {
public:
    Gpt2AttentionImpl(int64_t d, int64_t heads);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& blocked,
                          const torch::Tensor& padding, KvCache* cache, size_t layer);
    Conv1D c_attn{nullptr}, c_proj{nullptr};

private:
    int64_t m_heads;
};
TORCH_MODULE(Gpt2Attention);

class Gpt2MlpImpl : public torch::nn::Module {
public:
    Gpt2MlpImpl(int64_t d, int64_t f);
    Conv1D c_fc{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(Gpt2Mlp);

class Gpt2BlockImpl : public torch::nn::Module {
public:
    explicit Gpt2BlockImpl(const io::ModelConfig& c);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& blocked,
                          const torch::Tensor& padding, KvCache* cache, size_t layer);
    torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
    Gpt2Attention attn{nullptr};
    Gpt2Mlp mlp{nullptr};

private:
    std::string m_activation;
};
TORCH_MODULE(Gpt2Block);

class Gpt2ModelImpl : public torch::nn::Module {
public:
    explicit Gpt2ModelImpl(const io::ModelConfig& c);
    torch::nn::Embedding wte{nullptr}, wpe{nullptr};
    torch::nn::ModuleList h;
    torch::nn::LayerNorm ln_f{nullptr};
};
TORCH_MODULE(Gpt2Model);

class Gpt2LMHeadModel : public CausalLMImpl {
public:
    explicit Gpt2LMHeadModel(const io::ModelConfig& c);
    LmOutput forwardTokens(const LmInput& input) override;
    Gpt2Model transformer{nullptr};
};

} // namespace gt::model
