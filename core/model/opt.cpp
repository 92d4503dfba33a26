#include "core/model/opt.h"

#include "core/model/layers.h"
#include "core/model/lora.h"

namespace gt::model {

OptAttentionImpl::OptAttentionImpl(int64_t d, int64_t heads, bool bias)
    : m_heads(heads) {
    auto lin = [&](const char* name) {
        return register_module(name, torch::nn::Linear(torch::nn::LinearOptions(d, d).bias(bias)));
    };
    k_proj = lin("k_proj"); // HF registration order: k, v, q, out
    v_proj = lin("v_proj");
    q_proj = lin("q_proj");
    out_proj = lin("out_proj");
}

// x: (B, S, D) -> (B, S, D)
torch::Tensor OptAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask,
                                        KvCache* cache, size_t layer) {
    const int64_t b = x.size(0), s = x.size(1), d = x.size(2), hd = d / m_heads;
    auto split = [&](const torch::Tensor& t) {
        return t.view({b, s, m_heads, hd}).transpose(1, 2);
    };
    auto q = split(applyLinear(q_proj, x) * std::pow(static_cast<double>(hd), -0.5));
    auto [k, v] =
        updateCache(cache, layer, split(applyLinear(k_proj, x)), split(applyLinear(v_proj, x)));
    auto scores = torch::matmul(q, k.transpose(-1, -2)) + mask; // (B, H, S, T)
    // HF: torch.max(scores, finfo.min), with maximum()'s gradient, which is split in half on
    // ties (fully masked padding rows sit exactly at the minimum).
    scores = clampToMaskValue(scores);
    auto probs = torch::softmax(scores, -1, torch::kFloat).to(v.scalar_type());
    auto ctx = torch::matmul(probs, v).transpose(1, 2).reshape({b, s, d});
    return applyLinear(out_proj, ctx);
}

OptDecoderLayerImpl::OptDecoderLayerImpl(const io::ModelConfig& c)
    : m_preLn(c.doLayerNormBefore)
    , m_activation(c.activation) {
    const int64_t d = c.hiddenSize;
    auto ln = [&] {
        return torch::nn::LayerNorm(
            torch::nn::LayerNormOptions({d}).elementwise_affine(c.layerNormAffine));
    };
    self_attn = register_module("self_attn", OptAttention(d, c.numHeads, c.enableBias));
    self_attn_layer_norm = register_module("self_attn_layer_norm", ln());
    fc1 = register_module(
        "fc1", torch::nn::Linear(torch::nn::LinearOptions(d, c.ffnDim).bias(c.enableBias)));
    fc2 = register_module(
        "fc2", torch::nn::Linear(torch::nn::LinearOptions(c.ffnDim, d).bias(c.enableBias)));
    final_layer_norm = register_module("final_layer_norm", ln());
}

torch::Tensor OptDecoderLayerImpl::forward(torch::Tensor x, const torch::Tensor& mask,
                                           KvCache* cache, size_t layer) {
    auto residual = x;
    if (m_preLn) x = self_attn_layer_norm(x);
    x = residual + self_attn(x, mask, cache, layer);
    if (!m_preLn) x = self_attn_layer_norm(x);
    residual = x;
    if (m_preLn) x = final_layer_norm(x);
    x = residual + applyLinear(fc2, activation(m_activation, applyLinear(fc1, x))); // D -> F -> D
    if (!m_preLn) x = final_layer_norm(x);
    return x;
}

OptDecoderImpl::OptDecoderImpl(const io::ModelConfig& c) {
    const int64_t d = c.hiddenSize, e = c.wordEmbedProjDim;
    // nn.Embedding(padding_idx=pad_token_id): the padding row never receives a gradient.
    auto opts = torch::nn::EmbeddingOptions(c.vocabSize, e);
    if (c.padTokenId >= 0 && c.padTokenId < c.vocabSize) opts.padding_idx(c.padTokenId);
    embed_tokens = register_module("embed_tokens", torch::nn::Embedding(opts));
    // OPTLearnedPositionalEmbedding: 2 extra rows, looked up at position + 2.
    embed_positions =
        register_module("embed_positions", torch::nn::Embedding(c.maxPositions + 2, d));
    if (e != d) {
        project_out = register_module(
            "project_out", torch::nn::Linear(torch::nn::LinearOptions(d, e).bias(false)));
        project_in = register_module("project_in",
                                     torch::nn::Linear(torch::nn::LinearOptions(e, d).bias(false)));
    }
    if (c.finalLayerNorm)
        final_layer_norm = register_module(
            "final_layer_norm",
            torch::nn::LayerNorm(
                torch::nn::LayerNormOptions({d}).elementwise_affine(c.layerNormAffine)));
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.numLayers; ++i)
        layers->push_back(OptDecoderLayer(c));
}

OptModelImpl::OptModelImpl(const io::ModelConfig& c) {
    decoder = register_module("decoder", OptDecoder(c));
}

OptForCausalLM::OptForCausalLM(const io::ModelConfig& c)
    : CausalLMImpl(c) {
    model = register_module("model", OptModel(c));
}

LmOutput OptForCausalLM::forwardTokens(const LmInput& in) {
    auto& dec = *model->decoder;
    const int64_t s = in.inputIds.size(1);
    const int64_t past = in.cache ? in.cache->length() : 0;
    const auto mask = fullMask(in, past);
    // Positions from the mask, in forward and in generate alike: cumsum(mask) * mask - 1,
    // counted from the first real token (a prefix's virtual tokens take none).
    const int64_t virt = virtualTokens(in);
    const auto real = mask.slice(1, virt);
    auto positions = (torch::cumsum(real, 1) * real - 1).slice(1, past - virt);
    auto x = tiedEmbeddingLookup(dec.embed_tokens, in.inputIds); // (B, S, E)
    if (!dec.project_in.is_empty()) x = dec.project_in(x);
    x = x + dec.embed_positions(positions + 2);
    const auto attnMask = additiveCausalMask(mask, s);
    LmOutput out;
    for (size_t i = 0; i < dec.layers->size(); ++i) {
        if (in.outputHiddenStates) out.hiddenStates.push_back(x);
        x = dec.layers->at<OptDecoderLayerImpl>(i).forward(x, attnMask, in.cache, i);
    }
    if (!dec.final_layer_norm.is_empty()) x = dec.final_layer_norm(x);
    if (!dec.project_out.is_empty()) x = dec.project_out(x);
    if (in.outputHiddenStates) out.hiddenStates.push_back(x);
    out.logits = torch::matmul(x, dec.embed_tokens->weight.t()); // tied LM head
    if (in.labels.defined()) out.loss = causalLmLoss(out.logits, in.labels);
    return out;
}

} // namespace gt::model
