// Leaf operations shared by the architectures: attention masks in HF's conventions, RoPE,
// RMSNorm, ALiBi slopes, GPT-2's Conv1D, the tanh GELU. Block order stays in each model file.
#pragma once

#include <torch/torch.h>

namespace gt::model {

/// The most negative float, which HF uses for masked attention scores.
float maskValue();

/// torch::maximum(scores, maskValue()) as HF's OPT attention applies it, with the same
/// gradient (halved where a score equals the minimum, zero below it) computed in one pass
/// instead of maximum's where / divide / compare / fill chain (5% of an OPT-125m step).
torch::Tensor clampToMaskValue(const torch::Tensor& scores);

/// The input lookup of an embedding whose weight is also the LM head. Its gradient is sparse
/// (only the looked-up rows) and is added in place to the head's dense gradient, instead of
/// a zeroed vocabulary-sized tensor plus a second vocabulary-sized add: on an OPT-125m shape
/// that is ~0.9 s of a 13 s single-thread step, paid only when the embedding trains.
torch::Tensor tiedEmbeddingLookup(const torch::nn::Embedding& embedding, const torch::Tensor& ids);

/// (B, 1, S, T) additive mask: 0 where query s may see key t, maskValue() where the key is in
/// the future or padding, -inf where it is both (HF's sum). `mask` is (B, T); the S queries
/// are the last S positions.
torch::Tensor additiveCausalMask(const torch::Tensor& mask, int64_t queryLen);

/// (B, 1, S, T) bool, true where attention is NOT allowed (BLOOM's convention).
torch::Tensor blockedCausalMask(const torch::Tensor& mask, int64_t queryLen);

/// Expands (B, H_kv, T, d) to (B, H_kv * groups, T, d) for grouped-query attention.
torch::Tensor repeatKv(const torch::Tensor& x, int64_t groups);

/// Rotary embedding (LLaMA): rotates q and k (B, H, S, d) by `positions` (B, S).
void applyRope(torch::Tensor& q, torch::Tensor& k, const torch::Tensor& positions, double theta);

/// ALiBi slopes for `heads` heads (BLOOM), float32, including the non-power-of-two rule.
torch::Tensor alibiSlopes(int64_t heads);

/// GPT-2's "gelu_new": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
torch::Tensor geluTanh(const torch::Tensor& x);

/// Applies an HF activation by name: relu, gelu (erf), gelu_new / gelu_pytorch_tanh, silu.
torch::Tensor activation(const std::string& name, const torch::Tensor& x);

/// Root-mean-square norm with a learned gain (LLaMA), computed in float32.
class RmsNormImpl : public torch::nn::Module {
public:
    RmsNormImpl(int64_t dim, double eps);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;

private:
    double m_eps;
};
TORCH_MODULE(RmsNorm);

/// GPT-2's Conv1D: a linear layer whose weight is stored (in, out).
class Conv1DImpl : public torch::nn::Module {
public:
    Conv1DImpl(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight, bias;
};
TORCH_MODULE(Conv1D);

/// Appends k and v (B, H, S, d) to layer `layer` of the cache (when given); returns the full
/// keys and values to attend over.
std::pair<torch::Tensor, torch::Tensor> updateCache(struct KvCache* cache, size_t layer,
                                                    torch::Tensor k, torch::Tensor v);

} // namespace gt::model
