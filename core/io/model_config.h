// Hugging Face `config.json` -> a typed model configuration for the four decoder families
// (OPT, BLOOM, LLaMA, GPT-2; T5 is recognised but not yet supported). Unknown fields are
// ignored; a missing or mistyped required field is an error naming the file and the field.
// Dimensions: V vocab, D hidden, L layers, H heads, F FFN inner size, P max positions.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace gt::io {

/// A config file that cannot be used; what() names the file and the field.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Architecture { Opt, Bloom, Llama, Gpt2 };

std::string architectureName(Architecture a);

struct ModelConfig {
    Architecture architecture = Architecture::Opt;
    std::string modelType;        ///< "opt", "bloom", "llama", "gpt2" as in the file
    std::string nameOrPath;       ///< "_name_or_path" when present, for display
    int64_t vocabSize = 0;        ///< V, e.g. 50272 (OPT)
    int64_t hiddenSize = 0;       ///< D, e.g. 2560 (OPT-2.7B)
    int64_t numLayers = 0;        ///< L
    int64_t numHeads = 0;         ///< H
    int64_t numKeyValueHeads = 0; ///< LLaMA GQA; equals numHeads elsewhere
    int64_t ffnDim = 0;           ///< F: OPT ffn_dim, LLaMA intermediate_size, 4D for BLOOM/GPT-2
    int64_t maxPositions = 0;     ///< P (learned tables: OPT, GPT-2; RoPE limit: LLaMA; 0: BLOOM)
    std::string activation;       ///< "relu", "gelu", "gelu_new", "silu"
    double normEps = 1e-5;        ///< LayerNorm / RMSNorm epsilon
    bool tieWordEmbeddings = true;

    // OPT
    int64_t wordEmbedProjDim = 0;  ///< OPT: embedding width; != D adds project_in/out
    bool doLayerNormBefore = true; ///< OPT: pre-LN (true) or post-LN (350m: false)
    bool finalLayerNorm = true;    ///< OPT: decoder.final_layer_norm exists
    bool enableBias = true;        ///< OPT: linear biases
    bool layerNormAffine = true;   ///< OPT: layer_norm_elementwise_affine

    // BLOOM
    bool residualPostLayerNorm = false; ///< apply_residual_connection_post_layernorm

    // LLaMA
    double ropeTheta = 10000.0;
    bool attentionBias = false;
    bool mlpBias = false;

    // token ids (-1 = not set)
    int64_t bosTokenId = -1;
    int64_t eosTokenId = -1;
    int64_t padTokenId = -1;

    int64_t headDim() const { return hiddenSize / numHeads; }
    /// Width of the token embedding table (OPT may differ from D).
    int64_t embedDim() const {
        return architecture == Architecture::Opt ? wordEmbedProjDim : hiddenSize;
    }
};

/// Parses a config already read as JSON; `source` names it in error messages.
ModelConfig parseModelConfig(const nlohmann::json& j, const std::string& source);

/// Reads `path`: a config.json file or a model directory containing one.
ModelConfig loadModelConfig(const std::filesystem::path& path);

/// Throws ConfigError when `what` needs more than the model's `maxPositions` positions (a
/// learned table has no row beyond it; LLaMA's RoPE was never trained there).
void requirePositions(const ModelConfig& config, int64_t positions, const std::string& what);

} // namespace gt::io
