#include "core/io/model_config.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <set>

namespace gt::io {
namespace {

using nlohmann::json;

class Fields {
public:
    Fields(const json& j, std::string source)
        : m_j(j)
        , m_source(std::move(source)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
        throw ConfigError(m_source + ": field '" + key + "' " + expected);
    }

    bool present(const char* key) const { return m_j.contains(key) && !m_j[key].is_null(); }

    /// First present key of `keys` as a positive integer; error when none is present.
    int64_t positiveInt(std::initializer_list<const char*> keys) const {
        for (const char* k : keys)
            if (present(k)) return checkedInt(k, 1);
        fail(*keys.begin(), "is missing (expected a positive integer)");
    }

    int64_t intOr(const char* key, int64_t fallback, int64_t min = INT64_MIN) const {
        return present(key) ? checkedInt(key, min) : fallback;
    }

    double numberOr(const char* key, double fallback) const {
        if (!present(key)) return fallback;
        if (!m_j[key].is_number()) fail(key, "must be a number, got " + m_j[key].dump());
        return m_j[key].get<double>();
    }

    bool boolOr(const char* key, bool fallback) const {
        if (!present(key)) return fallback;
        if (!m_j[key].is_boolean()) fail(key, "must be true or false, got " + m_j[key].dump());
        return m_j[key].get<bool>();
    }

    std::string stringOr(const char* key, std::string fallback) const {
        if (!present(key)) return fallback;
        if (!m_j[key].is_string()) fail(key, "must be a string, got " + m_j[key].dump());
        return m_j[key].get<std::string>();
    }

    /// An activation name the models implement (core/model/layers.cpp: activation()).
    std::string activationOr(const char* key, std::string fallback) const {
        static const std::set<std::string> known{
            "relu", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "silu", "swish"};
        std::string a = stringOr(key, std::move(fallback));
        if (!known.count(a))
            fail(key, "is '" + a +
                          "', which is not supported (relu, gelu, gelu_new, gelu_pytorch_tanh, "
                          "gelu_fast, silu, swish)");
        return a;
    }

private:
    int64_t checkedInt(const char* key, int64_t min) const {
        const json& v = m_j[key];
        if (!v.is_number_integer()) fail(key, "must be an integer, got " + v.dump());
        const int64_t n = v.get<int64_t>();
        if (n < min) fail(key, "must be at least " + std::to_string(min) + ", got " + v.dump());
        return n;
    }

    const json& m_j;
    std::string m_source;
};

void parseOpt(const Fields& f, ModelConfig& c) {
    c.hiddenSize = f.positiveInt({"hidden_size"});
    c.numLayers = f.positiveInt({"num_hidden_layers"});
    c.numHeads = f.positiveInt({"num_attention_heads"});
    c.ffnDim = f.positiveInt({"ffn_dim"});
    c.maxPositions = f.positiveInt({"max_position_embeddings"});
    c.wordEmbedProjDim = f.intOr("word_embed_proj_dim", c.hiddenSize, 1);
    c.activation = f.activationOr("activation_function", "relu");
    c.doLayerNormBefore = f.boolOr("do_layer_norm_before", true);
    // HF: the decoder's final LayerNorm exists only for pre-LN models not marked otherwise.
    c.finalLayerNorm = c.doLayerNormBefore && !f.boolOr("_remove_final_layer_norm", false);
    c.enableBias = f.boolOr("enable_bias", true);
    c.layerNormAffine = f.boolOr("layer_norm_elementwise_affine", true);
    c.tieWordEmbeddings = f.boolOr("tie_word_embeddings", true);
}

void parseBloom(const Fields& f, ModelConfig& c) {
    c.hiddenSize = f.positiveInt({"hidden_size", "n_embed"});
    c.numLayers = f.positiveInt({"n_layer", "num_hidden_layers"});
    c.numHeads = f.positiveInt({"n_head", "num_attention_heads"});
    c.ffnDim = 4 * c.hiddenSize;
    c.activation = "gelu_bloom";
    c.normEps = f.numberOr("layer_norm_epsilon", 1e-5);
    c.residualPostLayerNorm = f.boolOr("apply_residual_connection_post_layernorm", false);
    c.tieWordEmbeddings = f.boolOr("tie_word_embeddings", true);
}

void parseLlama(const Fields& f, ModelConfig& c) {
    c.hiddenSize = f.positiveInt({"hidden_size"});
    c.numLayers = f.positiveInt({"num_hidden_layers"});
    c.numHeads = f.positiveInt({"num_attention_heads"});
    c.numKeyValueHeads = f.intOr("num_key_value_heads", c.numHeads, 1);
    c.ffnDim = f.positiveInt({"intermediate_size"});
    c.maxPositions = f.intOr("max_position_embeddings", 2048, 1);
    c.activation = f.activationOr("hidden_act", "silu");
    c.normEps = f.numberOr("rms_norm_eps", 1e-6);
    c.ropeTheta = f.numberOr("rope_theta", 10000.0);
    // Scaled RoPE (linear, dynamic, yarn, llama3) changes every position's rotation; computing
    // plain RoPE instead would silently produce a different model.
    if (f.present("rope_scaling"))
        f.fail("rope_scaling", "is not supported (plain RoPE only); remove it only if the "
                               "checkpoint was trained without RoPE scaling");
    c.attentionBias = f.boolOr("attention_bias", false);
    c.mlpBias = f.boolOr("mlp_bias", false);
    c.tieWordEmbeddings = f.boolOr("tie_word_embeddings", false);
    if (c.numHeads % c.numKeyValueHeads != 0)
        f.fail("num_key_value_heads", "(" + std::to_string(c.numKeyValueHeads) +
                                          ") must divide num_attention_heads (" +
                                          std::to_string(c.numHeads) + ")");
}

void parseGpt2(const Fields& f, ModelConfig& c) {
    c.hiddenSize = f.positiveInt({"n_embd", "hidden_size"});
    c.numLayers = f.positiveInt({"n_layer", "num_hidden_layers"});
    c.numHeads = f.positiveInt({"n_head", "num_attention_heads"});
    c.ffnDim = f.intOr("n_inner", 4 * c.hiddenSize, 1);
    c.maxPositions = f.positiveInt({"n_positions", "n_ctx"});
    c.activation = f.activationOr("activation_function", "gelu_new");
    c.normEps = f.numberOr("layer_norm_epsilon", 1e-5);
    c.tieWordEmbeddings = f.boolOr("tie_word_embeddings", true);
}

} // namespace

std::string architectureName(Architecture a) {
    switch (a) {
    case Architecture::Opt:
        return "OPT";
    case Architecture::Bloom:
        return "BLOOM";
    case Architecture::Llama:
        return "LLaMA";
    case Architecture::Gpt2:
        return "GPT-2";
    }
    return "?";
}

ModelConfig parseModelConfig(const json& j, const std::string& source) {
    if (!j.is_object()) throw ConfigError(source + ": expected a JSON object at the top level");
    const Fields f(j, source);
    ModelConfig c;
    c.modelType = f.stringOr("model_type", "");
    if (c.modelType.empty())
        f.fail("model_type", "is missing (expected opt, bloom, llama or gpt2)");
    c.nameOrPath = f.stringOr("_name_or_path", "");
    c.vocabSize = f.positiveInt({"vocab_size"});
    if (c.modelType == "opt") {
        c.architecture = Architecture::Opt;
        parseOpt(f, c);
    } else if (c.modelType == "bloom") {
        c.architecture = Architecture::Bloom;
        parseBloom(f, c);
    } else if (c.modelType == "llama") {
        c.architecture = Architecture::Llama;
        parseLlama(f, c);
    } else if (c.modelType == "gpt2") {
        c.architecture = Architecture::Gpt2;
        parseGpt2(f, c);
    } else {
        f.fail("model_type", "is '" + c.modelType +
                                 "', which is not supported (supported: opt, bloom, llama, gpt2)");
    }
    if (c.numKeyValueHeads == 0) c.numKeyValueHeads = c.numHeads;
    if (c.hiddenSize % c.numHeads != 0)
        throw ConfigError(source + ": hidden size " + std::to_string(c.hiddenSize) +
                          " is not divisible by the number of attention heads " +
                          std::to_string(c.numHeads));
    c.bosTokenId = f.intOr("bos_token_id", -1);
    c.eosTokenId = f.intOr("eos_token_id", -1);
    c.padTokenId = f.intOr("pad_token_id", -1);
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    const fs::path file = fs::is_directory(path) ? path / "config.json" : path;
    std::ifstream in(file);
    if (!in) {
        throw ConfigError(file.string() + ": cannot open (" +
                          (fs::exists(file) ? "permission denied" : "no such file") +
                          "); expected a Hugging Face config.json or a model directory");
    }
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) {
        throw ConfigError(file.string() + ": malformed JSON: " + e.what());
    }
    return parseModelConfig(j, file.string());
}

void requirePositions(const ModelConfig& config, int64_t positions, const std::string& what) {
    if (config.maxPositions > 0 && positions > config.maxPositions)
        throw ConfigError(what + " (" + std::to_string(positions) +
                          " positions) exceeds the model's " + std::to_string(config.maxPositions) +
                          " positions" +
                          (config.architecture == Architecture::Gpt2
                               ? " (config.json: n_positions)"
                               : " (config.json: max_position_embeddings)"));
}

} // namespace gt::io
