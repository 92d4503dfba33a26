#include "core/model/gpt2.h"

#include "core/model/lora.h"

namespace gt::model {

Gpt2AttentionImpl::Gpt2AttentionImpl(int64_t d, int64_t heads)
    : m_heads(heads) {
    c_attn = register_module("c_attn", Conv1D(d, 3 * d));
    c_proj = register_module("c_proj", Conv1D(d, d));
}

// x: (B, S, D) -> (B, S, D). HF GPT2Attention._attn: scores for future keys are set to the
// mask value, then the padding mask ((1 - mask) * min) is added on top.
torch::Tensor Gpt2AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& blocked,
                                         const torch::Tensor& padding, KvCache* cache,
                                         size_t layer) {
    const int64_t b = x.size(0), s = x.size(1), d = x.size(2), hd = d / m_heads;
    auto qkv = applyConv1D(c_attn, x).split(d, 2);
    auto heads = [&](const torch::Tensor& t) {
        return t.view({b, s, m_heads, hd}).transpose(1, 2);
    };
    auto q = heads(qkv[0]);
    auto [k, v] = updateCache(cache, layer, heads(qkv[1]), heads(qkv[2]));
    auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(hd));
    scores = scores.masked_fill(blocked, maskValue()) + padding;
    auto probs = torch::softmax(scores, -1).to(v.scalar_type());
    return applyConv1D(c_proj, torch::matmul(probs, v).transpose(1, 2).reshape({b, s, d}));
}

Gpt2MlpImpl::Gpt2MlpImpl(int64_t d, int64_t f) {
    c_fc = register_module("c_fc", Conv1D(d, f));
    c_proj = register_module("c_proj", Conv1D(f, d));
}

Gpt2BlockImpl::Gpt2BlockImpl(const io::ModelConfig& c)
    : m_activation(c.activation) {
    auto ln = [&] {
        return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hiddenSize}).eps(c.normEps));
    };
    ln_1 = register_module("ln_1", ln());
    attn = register_module("attn", Gpt2Attention(c.hiddenSize, c.numHeads));
    ln_2 = register_module("ln_2", ln());
    mlp = register_module("mlp", Gpt2Mlp(c.hiddenSize, c.ffnDim));
}

torch::Tensor Gpt2BlockImpl::forward(torch::Tensor x, const torch::Tensor& blocked,
                                     const torch::Tensor& padding, KvCache* cache, size_t layer) {
    x = x + attn(ln_1(x), blocked, padding, cache, layer);
    return x + applyConv1D(mlp->c_proj, activation(m_activation, applyConv1D(mlp->c_fc, ln_2(x))));
}

Gpt2ModelImpl::Gpt2ModelImpl(const io::ModelConfig& c) {
    wte = register_module("wte", torch::nn::Embedding(c.vocabSize, c.hiddenSize));
    wpe = register_module("wpe", torch::nn::Embedding(c.maxPositions, c.hiddenSize));
    h = register_module("h", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        h->push_back(Gpt2Block(c));
    ln_f = register_module(
        "ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hiddenSize}).eps(c.normEps)));
}

Gpt2LMHeadModel::Gpt2LMHeadModel(const io::ModelConfig& c)
    : CausalLMImpl(c) {
    transformer = register_module("transformer", Gpt2Model(c));
}

LmOutput Gpt2LMHeadModel::forwardTokens(const LmInput& in) {
    auto& m = *transformer;
    const int64_t b = in.inputIds.size(0), s = in.inputIds.size(1);
    const int64_t past = in.cache ? in.cache->length() : 0;
    const auto mask = fullMask(in, past);
    auto positions = in.positionIds.defined()
                         ? in.positionIds
                         : torch::arange(past - virtualTokens(in), past - virtualTokens(in) + s,
                                         in.inputIds.options())
                               .unsqueeze(0)
                               .expand({b, s});
    // future keys: bool; padding keys: additive (1 - mask) * min, as HF GPT2Model does
    auto blocked = blockedCausalMask(torch::ones_like(mask), s);
    auto padding = ((1 - mask).to(torch::kFloat) * maskValue()).view({b, 1, 1, mask.size(1)});
    auto x = tiedEmbeddingLookup(m.wte, in.inputIds) + m.wpe(positions);
    LmOutput out;
    for (size_t i = 0; i < m.h->size(); ++i) {
        if (in.outputHiddenStates) out.hiddenStates.push_back(x);
        x = m.h->at<Gpt2BlockImpl>(i).forward(x, blocked, padding, in.cache, i);
    }
    x = m.ln_f(x);
    if (in.outputHiddenStates) out.hiddenStates.push_back(x);
    out.logits = torch::matmul(x, m.wte->weight.t()); // tied LM head
    if (in.labels.defined()) out.loss = causalLmLoss(out.logits, in.labels);
    return out;
}

} // namespace gt::model
