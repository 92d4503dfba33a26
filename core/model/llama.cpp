#include "core/model/llama.h"

#include "core/model/lora.h"

namespace gt::model {

LlamaAttentionImpl::LlamaAttentionImpl(const io::ModelConfig& c)
    : m_heads(c.numHeads)
    , m_kvHeads(c.numKeyValueHeads)
    , m_theta(c.ropeTheta) {
    const int64_t d = c.hiddenSize, kv = c.numKeyValueHeads * c.headDim();
    auto lin = [&](const char* n, int64_t in, int64_t out) {
        return register_module(
            n, torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(c.attentionBias)));
    };
    q_proj = lin("q_proj", d, d);
    k_proj = lin("k_proj", d, kv);
    v_proj = lin("v_proj", d, kv);
    o_proj = lin("o_proj", d, d);
}

// x: (B, S, D) -> (B, S, D)
torch::Tensor LlamaAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& positions,
                                          const torch::Tensor& mask, KvCache* cache, size_t layer) {
    const int64_t b = x.size(0), s = x.size(1), d = x.size(2), hd = d / m_heads;
    auto q = applyLinear(q_proj, x).view({b, s, m_heads, hd}).transpose(1, 2);
    auto k = applyLinear(k_proj, x).view({b, s, m_kvHeads, hd}).transpose(1, 2);
    auto v = applyLinear(v_proj, x).view({b, s, m_kvHeads, hd}).transpose(1, 2);
    applyRope(q, k, positions, m_theta);
    std::tie(k, v) = updateCache(cache, layer, k, v); // the cache holds rotated keys
    k = repeatKv(k, m_heads / m_kvHeads);
    v = repeatKv(v, m_heads / m_kvHeads);
    auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(hd)) + mask;
    auto probs = torch::softmax(scores, -1, torch::kFloat).to(q.scalar_type());
    return applyLinear(o_proj, torch::matmul(probs, v).transpose(1, 2).reshape({b, s, d}));
}

LlamaMlpImpl::LlamaMlpImpl(const io::ModelConfig& c)
    : m_activation(c.activation) {
    auto lin = [&](const char* n, int64_t in, int64_t out) {
        return register_module(
            n, torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(c.mlpBias)));
    };
    gate_proj = lin("gate_proj", c.hiddenSize, c.ffnDim);
    up_proj = lin("up_proj", c.hiddenSize, c.ffnDim);
    down_proj = lin("down_proj", c.ffnDim, c.hiddenSize);
}

torch::Tensor LlamaMlpImpl::forward(const torch::Tensor& x) {
    return applyLinear(down_proj, activation(m_activation, applyLinear(gate_proj, x)) *
                                      applyLinear(up_proj, x)); // SwiGLU
}

LlamaDecoderLayerImpl::LlamaDecoderLayerImpl(const io::ModelConfig& c) {
    self_attn = register_module("self_attn", LlamaAttention(c));
    mlp = register_module("mlp", LlamaMlp(c));
    input_layernorm = register_module("input_layernorm", RmsNorm(c.hiddenSize, c.normEps));
    post_attention_layernorm =
        register_module("post_attention_layernorm", RmsNorm(c.hiddenSize, c.normEps));
}

torch::Tensor LlamaDecoderLayerImpl::forward(torch::Tensor x, const torch::Tensor& positions,
                                             const torch::Tensor& mask, KvCache* cache,
                                             size_t layer) {
    x = x + self_attn(input_layernorm(x), positions, mask, cache, layer);
    return x + mlp(post_attention_layernorm(x));
}

LlamaModelImpl::LlamaModelImpl(const io::ModelConfig& c) {
    // nn.Embedding(padding_idx=pad_token_id): the padding row never receives a gradient.
    auto opts = torch::nn::EmbeddingOptions(c.vocabSize, c.hiddenSize);
    if (c.padTokenId >= 0 && c.padTokenId < c.vocabSize) opts.padding_idx(c.padTokenId);
    embed_tokens = register_module("embed_tokens", torch::nn::Embedding(opts));
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        layers->push_back(LlamaDecoderLayer(c));
    norm = register_module("norm", RmsNorm(c.hiddenSize, c.normEps));
}

LlamaForCausalLM::LlamaForCausalLM(const io::ModelConfig& c)
    : CausalLMImpl(c) {
    model = register_module("model", LlamaModel(c));
    if (!c.tieWordEmbeddings)
        lm_head = register_module(
            "lm_head",
            torch::nn::Linear(torch::nn::LinearOptions(c.hiddenSize, c.vocabSize).bias(false)));
}

LmOutput LlamaForCausalLM::forwardTokens(const LmInput& in) {
    auto& m = *model;
    const int64_t s = in.inputIds.size(1);
    const int64_t past = in.cache ? in.cache->length() : 0;
    const auto mask = fullMask(in, past);
    // HF forward() without position_ids: past .. past+S-1 for every row (ignores padding).
    auto positions = in.positionIds.defined()
                         ? in.positionIds
                         : torch::arange(past - virtualTokens(in), past - virtualTokens(in) + s,
                                         in.inputIds.options())
                               .unsqueeze(0)
                               .expand({in.inputIds.size(0), s});
    const auto attnMask = additiveCausalMask(mask, s);
    auto x = lm_head.is_empty() ? tiedEmbeddingLookup(m.embed_tokens, in.inputIds)
                                : m.embed_tokens(in.inputIds);
    LmOutput out;
    for (size_t i = 0; i < m.layers->size(); ++i) {
        if (in.outputHiddenStates) out.hiddenStates.push_back(x);
        x = m.layers->at<LlamaDecoderLayerImpl>(i).forward(x, positions, attnMask, in.cache, i);
    }
    x = m.norm(x);
    if (in.outputHiddenStates) out.hiddenStates.push_back(x);
    out.logits = lm_head.is_empty() ? torch::matmul(x, m.embed_tokens->weight.t()) : lm_head(x);
    if (in.labels.defined()) out.loss = causalLmLoss(out.logits, in.labels);
    return out;
}

} // namespace gt::model
