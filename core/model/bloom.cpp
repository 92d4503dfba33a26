#include "core/model/bloom.h"

#include "core/model/layers.h"
#include "core/model/lora.h"

namespace gt::model {
namespace {

torch::nn::LayerNorm layerNorm(int64_t d, double eps) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(eps));
}

// bloom_gelu_forward: the tanh approximation with BLOOM's constants.
torch::Tensor bloomGelu(const torch::Tensor& x) {
    return x * 0.5 * (1.0 + torch::tanh(0.79788456 * x * (1 + 0.044715 * x * x)));
}

} // namespace

BloomAttentionImpl::BloomAttentionImpl(int64_t d, int64_t heads)
    : m_heads(heads) {
    query_key_value = register_module("query_key_value", torch::nn::Linear(d, 3 * d));
    dense = register_module("dense", torch::nn::Linear(d, d));
}

// x: (B, S, D) -> (B, S, D), without the residual (added by the block).
torch::Tensor BloomAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& alibi,
                                          const torch::Tensor& blocked, KvCache* cache,
                                          size_t layer) {
    const int64_t b = x.size(0), s = x.size(1), d = x.size(2), hd = d / m_heads;
    auto fused = applyLinear(query_key_value, x).view({b, s, m_heads, 3, hd});
    auto q = fused.select(3, 0).transpose(1, 2); // (B, H, S, d)
    auto [k, v] = updateCache(cache, layer, fused.select(3, 1).transpose(1, 2),
                              fused.select(3, 2).transpose(1, 2));
    const int64_t t = k.size(2);
    // scores = alibi + q k^T / sqrt(d), as HF's baddbmm(beta=1, alpha=1/sqrt(d))
    auto scores = torch::baddbmm(alibi, q.reshape({b * m_heads, s, hd}),
                                 k.reshape({b * m_heads, t, hd}).transpose(1, 2), 1.0,
                                 1.0 / std::sqrt(static_cast<double>(hd)))
                      .view({b, m_heads, s, t});
    scores = scores.masked_fill(blocked, maskValue());
    auto probs = torch::softmax(scores, -1, torch::kFloat).to(v.scalar_type());
    auto ctx = torch::matmul(probs, v).transpose(1, 2).reshape({b, s, d});
    return applyLinear(dense, ctx);
}

BloomMlpImpl::BloomMlpImpl(int64_t d, int64_t f) {
    dense_h_to_4h = register_module("dense_h_to_4h", torch::nn::Linear(d, f));
    dense_4h_to_h = register_module("dense_4h_to_h", torch::nn::Linear(f, d));
}

BloomBlockImpl::BloomBlockImpl(const io::ModelConfig& c)
    : m_residualPostLn(c.residualPostLayerNorm) {
    input_layernorm = register_module("input_layernorm", layerNorm(c.hiddenSize, c.normEps));
    self_attention = register_module("self_attention", BloomAttention(c.hiddenSize, c.numHeads));
    post_attention_layernorm =
        register_module("post_attention_layernorm", layerNorm(c.hiddenSize, c.normEps));
    mlp = register_module("mlp", BloomMlp(c.hiddenSize, c.ffnDim));
}

torch::Tensor BloomBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& alibi,
                                      const torch::Tensor& blocked, KvCache* cache, size_t layer) {
    auto ln = input_layernorm(x);
    auto residual = m_residualPostLn ? ln : x;
    auto attn = residual + self_attention(ln, alibi, blocked, cache, layer);
    ln = post_attention_layernorm(attn);
    residual = m_residualPostLn ? ln : attn;
    return residual +
           applyLinear(mlp->dense_4h_to_h, bloomGelu(applyLinear(mlp->dense_h_to_4h, ln)));
}

BloomModelImpl::BloomModelImpl(const io::ModelConfig& c) {
    word_embeddings =
        register_module("word_embeddings", torch::nn::Embedding(c.vocabSize, c.hiddenSize));
    word_embeddings_layernorm =
        register_module("word_embeddings_layernorm", layerNorm(c.hiddenSize, c.normEps));
    h = register_module("h", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        h->push_back(BloomBlock(c));
    ln_f = register_module("ln_f", layerNorm(c.hiddenSize, c.normEps));
}

BloomForCausalLM::BloomForCausalLM(const io::ModelConfig& c)
    : CausalLMImpl(c) {
    transformer = register_module("transformer", BloomModel(c));
}

LmOutput BloomForCausalLM::forwardTokens(const LmInput& in) {
    auto& m = *transformer;
    const int64_t b = in.inputIds.size(0), s = in.inputIds.size(1);
    const int64_t past = in.cache ? in.cache->length() : 0;
    const auto mask = fullMask(in, past);
    // ALiBi: slope_h * (cumsum(mask) - 1) * mask per key -> (B*H, 1, T)
    const int64_t heads = m_config.numHeads;
    auto keyPos = ((torch::cumsum(mask, 1) - 1) * mask).to(torch::kFloat).unsqueeze(1); // (B, 1, T)
    auto alibi = (alibiSlopes(heads).to(mask.device()).view({1, heads, 1}) * keyPos)
                     .reshape({b * heads, 1, mask.size(1)});
    const auto blocked = blockedCausalMask(mask, s);
    auto x = m.word_embeddings_layernorm(tiedEmbeddingLookup(m.word_embeddings, in.inputIds));
    LmOutput out;
    for (size_t i = 0; i < m.h->size(); ++i) {
        if (in.outputHiddenStates) out.hiddenStates.push_back(x);
        x = m.h->at<BloomBlockImpl>(i).forward(x, alibi, blocked, in.cache, i);
    }
    x = m.ln_f(x);
    if (in.outputHiddenStates) out.hiddenStates.push_back(x);
    out.logits = torch::matmul(x, m.word_embeddings->weight.t()); // tied LM head
    if (in.labels.defined()) out.loss = causalLmLoss(out.logits, in.labels);
    return out;
}

} // namespace gt::model
