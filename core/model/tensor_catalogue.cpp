// Parameter lists per architecture, following the HF modules' __init__ order (registration)
// and their forward() (execution). Checked against the gradient order of the HF fixtures.
#include "core/model/tensor_catalogue.h"

#include "core/io/name_table.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <stdexcept>

namespace gt::model {
namespace {

using io::Architecture;
using io::ModelConfig;

/// Collects tensors in registration order while a second list records execution order.
class Builder {
public:
    void add(const std::string& name, int block, TensorRole role, ParamKind kind,
             std::vector<int64_t> shape) {
        TensorInfo t;
        t.name = name;
        t.block = block;
        t.role = role;
        t.kind = kind;
        t.shape = std::move(shape);
        t.registrationIndex = static_cast<int>(m_tensors.size());
        m_tensors.push_back(std::move(t));
    }
    /// A linear layer registers weight then bias (bias only when `bias`).
    void linear(const std::string& prefix, int block, TensorRole role, int64_t out, int64_t in,
                bool bias, bool conv1d = false) {
        add(prefix + ".weight", block, role, ParamKind::Weight,
            conv1d ? std::vector<int64_t>{in, out} : std::vector<int64_t>{out, in});
        if (bias) add(prefix + ".bias", block, role, ParamKind::Bias, {out});
    }
    void norm(const std::string& prefix, int block, TensorRole role, int64_t d, bool bias) {
        add(prefix + ".weight", block, role, ParamKind::Weight, {d});
        if (bias) add(prefix + ".bias", block, role, ParamKind::Bias, {d});
    }
    /// Appends every tensor whose name starts with `prefix + "."` (or equals it) to the
    /// execution order, in registration order (weight before bias, as the forward uses them).
    void run(const std::string& prefix) {
        for (const TensorInfo& t : m_tensors)
            if (t.name.rfind(prefix + ".", 0) == 0 &&
                t.name.find('.', prefix.size() + 1) == std::string::npos)
                m_exec.push_back(t.registrationIndex);
    }
    std::vector<TensorInfo> finish() {
        std::vector<int> seen(m_tensors.size(), 0);
        for (int i : m_exec)
            ++seen[i];
        for (size_t i = 0; i < seen.size(); ++i)
            if (seen[i] != 1)
                throw std::logic_error("tensor catalogue: " + m_tensors[i].name + " appears " +
                                       std::to_string(seen[i]) + " times in execution order");
        for (size_t i = 0; i < m_exec.size(); ++i)
            m_tensors[m_exec[i]].executionIndex = static_cast<int>(i);
        return std::move(m_tensors);
    }
    size_t executed() const { return m_exec.size(); }

private:
    std::vector<TensorInfo> m_tensors;
    std::vector<int> m_exec;
};

std::string layer(const std::string& root, int i) {
    return root + "." + std::to_string(i);
}

void buildOpt(const ModelConfig& c, Builder& b) {
    const std::string d = "model.decoder";
    const int64_t D = c.hiddenSize, E = c.wordEmbedProjDim, F = c.ffnDim;
    const bool bias = c.enableBias, lnBias = c.layerNormAffine;
    b.add(d + ".embed_tokens.weight", -1, TensorRole::Embed, ParamKind::Weight, {c.vocabSize, E});
    // OPTLearnedPositionalEmbedding keeps 2 extra rows (HF's offset for the padding scheme).
    b.add(d + ".embed_positions.weight", -1, TensorRole::Position, ParamKind::Weight,
          {c.maxPositions + 2, D});
    if (E != D) {
        b.linear(d + ".project_out", -1, TensorRole::ProjectOut, E, D, false);
        b.linear(d + ".project_in", -1, TensorRole::ProjectIn, D, E, false);
    }
    if (c.finalLayerNorm && c.layerNormAffine)
        b.norm(d + ".final_layer_norm", -1, TensorRole::FinalNorm, D, lnBias);
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(d + ".layers", i);
        b.linear(p + ".self_attn.k_proj", i, TensorRole::K, D, D, bias);
        b.linear(p + ".self_attn.v_proj", i, TensorRole::V, D, D, bias);
        b.linear(p + ".self_attn.q_proj", i, TensorRole::Q, D, D, bias);
        b.linear(p + ".self_attn.out_proj", i, TensorRole::O, D, D, bias);
        if (c.layerNormAffine)
            b.norm(p + ".self_attn_layer_norm", i, TensorRole::AttnNorm, D, lnBias);
        b.linear(p + ".fc1", i, TensorRole::Fc1, F, D, bias);
        b.linear(p + ".fc2", i, TensorRole::Fc2, D, F, bias);
        if (c.layerNormAffine) b.norm(p + ".final_layer_norm", i, TensorRole::FfnNorm, D, lnBias);
    }
    // Forward (OPTDecoder.forward): tokens -> project_in, plus positions; blocks; final norm;
    // project_out; tied head.
    b.run(d + ".embed_tokens");
    b.run(d + ".project_in");
    b.run(d + ".embed_positions");
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(d + ".layers", i);
        if (c.doLayerNormBefore) b.run(p + ".self_attn_layer_norm");
        for (const char* m :
             {".self_attn.q_proj", ".self_attn.k_proj", ".self_attn.v_proj", ".self_attn.out_proj"})
            b.run(p + m);
        if (!c.doLayerNormBefore) b.run(p + ".self_attn_layer_norm");
        if (c.doLayerNormBefore) b.run(p + ".final_layer_norm");
        b.run(p + ".fc1");
        b.run(p + ".fc2");
        if (!c.doLayerNormBefore) b.run(p + ".final_layer_norm");
    }
    b.run(d + ".final_layer_norm");
    b.run(d + ".project_out");
}

void buildBloom(const ModelConfig& c, Builder& b) {
    const std::string t = "transformer";
    const int64_t D = c.hiddenSize, F = c.ffnDim;
    b.add(t + ".word_embeddings.weight", -1, TensorRole::Embed, ParamKind::Weight,
          {c.vocabSize, D});
    b.norm(t + ".word_embeddings_layernorm", -1, TensorRole::EmbedNorm, D, true);
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(t + ".h", i);
        b.norm(p + ".input_layernorm", i, TensorRole::AttnNorm, D, true);
        b.linear(p + ".self_attention.query_key_value", i, TensorRole::Qkv, 3 * D, D, true);
        b.linear(p + ".self_attention.dense", i, TensorRole::O, D, D, true);
        b.norm(p + ".post_attention_layernorm", i, TensorRole::FfnNorm, D, true);
        b.linear(p + ".mlp.dense_h_to_4h", i, TensorRole::Fc1, F, D, true);
        b.linear(p + ".mlp.dense_4h_to_h", i, TensorRole::Fc2, D, F, true);
    }
    b.norm(t + ".ln_f", -1, TensorRole::FinalNorm, D, true);
    // BLOOM's forward runs in registration order.
    b.run(t + ".word_embeddings");
    b.run(t + ".word_embeddings_layernorm");
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(t + ".h", i);
        for (const char* m :
             {".input_layernorm", ".self_attention.query_key_value", ".self_attention.dense",
              ".post_attention_layernorm", ".mlp.dense_h_to_4h", ".mlp.dense_4h_to_h"})
            b.run(p + m);
    }
    b.run(t + ".ln_f");
}

void buildLlama(const ModelConfig& c, Builder& b) {
    const std::string m = "model";
    const int64_t D = c.hiddenSize, F = c.ffnDim, KV = c.numKeyValueHeads * c.headDim();
    const bool ab = c.attentionBias, mb = c.mlpBias;
    b.add(m + ".embed_tokens.weight", -1, TensorRole::Embed, ParamKind::Weight, {c.vocabSize, D});
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(m + ".layers", i);
        b.linear(p + ".self_attn.q_proj", i, TensorRole::Q, D, D, ab);
        b.linear(p + ".self_attn.k_proj", i, TensorRole::K, KV, D, ab);
        b.linear(p + ".self_attn.v_proj", i, TensorRole::V, KV, D, ab);
        b.linear(p + ".self_attn.o_proj", i, TensorRole::O, D, D, ab);
        b.linear(p + ".mlp.gate_proj", i, TensorRole::Gate, F, D, mb);
        b.linear(p + ".mlp.up_proj", i, TensorRole::Up, F, D, mb);
        b.linear(p + ".mlp.down_proj", i, TensorRole::Down, D, F, mb);
        b.norm(p + ".input_layernorm", i, TensorRole::AttnNorm, D, false);
        b.norm(p + ".post_attention_layernorm", i, TensorRole::FfnNorm, D, false);
    }
    b.norm(m + ".norm", -1, TensorRole::FinalNorm, D, false);
    if (!c.tieWordEmbeddings) b.linear("lm_head", -1, TensorRole::Head, c.vocabSize, D, false);
    b.run(m + ".embed_tokens");
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(m + ".layers", i);
        for (const char* s : {".input_layernorm", ".self_attn.q_proj", ".self_attn.k_proj",
                              ".self_attn.v_proj", ".self_attn.o_proj", ".post_attention_layernorm",
                              ".mlp.gate_proj", ".mlp.up_proj", ".mlp.down_proj"})
            b.run(p + s);
    }
    b.run(m + ".norm");
    b.run("lm_head");
}

void buildGpt2(const ModelConfig& c, Builder& b) {
    const std::string t = "transformer";
    const int64_t D = c.hiddenSize, F = c.ffnDim;
    b.add(t + ".wte.weight", -1, TensorRole::Embed, ParamKind::Weight, {c.vocabSize, D});
    b.add(t + ".wpe.weight", -1, TensorRole::Position, ParamKind::Weight, {c.maxPositions, D});
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(t + ".h", i);
        b.norm(p + ".ln_1", i, TensorRole::AttnNorm, D, true);
        b.linear(p + ".attn.c_attn", i, TensorRole::Qkv, 3 * D, D, true, /*conv1d=*/true);
        b.linear(p + ".attn.c_proj", i, TensorRole::O, D, D, true, true);
        b.norm(p + ".ln_2", i, TensorRole::FfnNorm, D, true);
        b.linear(p + ".mlp.c_fc", i, TensorRole::Fc1, F, D, true, true);
        b.linear(p + ".mlp.c_proj", i, TensorRole::Fc2, D, F, true, true);
    }
    b.norm(t + ".ln_f", -1, TensorRole::FinalNorm, D, true);
    if (!c.tieWordEmbeddings) b.linear("lm_head", -1, TensorRole::Head, c.vocabSize, D, false);
    b.run(t + ".wte");
    b.run(t + ".wpe");
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = layer(t + ".h", i);
        for (const char* s :
             {".ln_1", ".attn.c_attn", ".attn.c_proj", ".ln_2", ".mlp.c_fc", ".mlp.c_proj"})
            b.run(p + s);
    }
    b.run(t + ".ln_f");
    b.run("lm_head");
}

} // namespace

namespace {
constexpr io::NameTable kRoles("tensor role", std::array<io::EnumName<TensorRole>, 19>{
                                                  {{TensorRole::Embed, "embed"},
                                                   {TensorRole::Position, "pos"},
                                                   {TensorRole::EmbedNorm, "embed_norm"},
                                                   {TensorRole::ProjectIn, "project_in"},
                                                   {TensorRole::AttnNorm, "attn_norm"},
                                                   {TensorRole::Q, "q"},
                                                   {TensorRole::K, "k"},
                                                   {TensorRole::V, "v"},
                                                   {TensorRole::Qkv, "qkv"},
                                                   {TensorRole::O, "o"},
                                                   {TensorRole::FfnNorm, "ffn_norm"},
                                                   {TensorRole::Fc1, "fc1"},
                                                   {TensorRole::Fc2, "fc2"},
                                                   {TensorRole::Gate, "gate"},
                                                   {TensorRole::Up, "up"},
                                                   {TensorRole::Down, "down"},
                                                   {TensorRole::FinalNorm, "final_norm"},
                                                   {TensorRole::ProjectOut, "project_out"},
                                                   {TensorRole::Head, "head"}}});
} // namespace

std::string roleName(TensorRole role) {
    return kRoles.name(role);
}

int64_t TensorInfo::numel() const {
    return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

TensorCatalogue TensorCatalogue::fromConfig(const io::ModelConfig& config) {
    Builder b;
    switch (config.architecture) {
    case Architecture::Opt:
        buildOpt(config, b);
        break;
    case Architecture::Bloom:
        buildBloom(config, b);
        break;
    case Architecture::Llama:
        buildLlama(config, b);
        break;
    case Architecture::Gpt2:
        buildGpt2(config, b);
        break;
    }
    TensorCatalogue cat;
    cat.m_blocks = static_cast<int>(config.numLayers);
    cat.m_tensors = b.finish();
    return cat;
}

std::vector<int> TensorCatalogue::executionOrder() const {
    std::vector<int> order(m_tensors.size());
    for (const TensorInfo& t : m_tensors)
        order[t.executionIndex] = t.registrationIndex;
    return order;
}

int TensorCatalogue::find(const std::string& name) const {
    auto it = std::find_if(m_tensors.begin(), m_tensors.end(),
                           [&](const TensorInfo& t) { return t.name == name; });
    return it == m_tensors.end() ? -1 : static_cast<int>(it - m_tensors.begin());
}

int64_t TensorCatalogue::parameterCount() const {
    int64_t n = 0;
    for (const TensorInfo& t : m_tensors)
        n += t.numel();
    return n;
}

} // namespace gt::model
