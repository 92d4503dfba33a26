// The tensor catalogue: every trainable tensor of a model, with its Hugging Face name, block,
// role, shape, parameter-registration order (HF `named_parameters()`) and forward execution
// order. Built from the config alone, so costs and plans work without weights; a loaded
// model checks its parameters against it. The cost model, the importance probe, the heatmaps
// and the selectors all key on catalogue indices (= registration order).
#pragma once

#include "core/io/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::model {

/// What a tensor does. Heatmap columns are roles; rows are blocks.
enum class TensorRole {
    Embed,     ///< token embedding table (tied with the LM head where the config says so)
    Position,  ///< learned position table (OPT, GPT-2)
    EmbedNorm, ///< BLOOM word_embeddings_layernorm
    ProjectIn, ///< OPT project_in (embedding width -> hidden)
    AttnNorm,  ///< norm before (pre-LN) or after (post-LN) attention
    Q,
    K,
    V,
    Qkv, ///< fused query/key/value (BLOOM, GPT-2)
    O,   ///< attention output projection
    FfnNorm,
    Fc1,  ///< FFN up projection (OPT fc1, BLOOM dense_h_to_4h, GPT-2 c_fc)
    Fc2,  ///< FFN down projection
    Gate, ///< LLaMA SwiGLU gate_proj
    Up,   ///< LLaMA up_proj
    Down, ///< LLaMA down_proj
    FinalNorm,
    ProjectOut, ///< OPT project_out (hidden -> embedding width)
    Head,       ///< untied LM head
};

/// Short lower-case name ("q", "fc1", "attn_norm", ...), stable: used in JSON and the GUI.
std::string roleName(TensorRole role);

/// Weight covers matrices, embedding tables and norm gains; Bias covers biases and norm shifts.
enum class ParamKind { Weight, Bias };

struct TensorInfo {
    std::string name; ///< HF parameter name, e.g. "model.decoder.layers.3.fc1.weight"
    int block = -1;   ///< transformer block index; -1 outside the blocks
    TensorRole role = TensorRole::Embed;
    ParamKind kind = ParamKind::Weight;
    std::vector<int64_t> shape; ///< as stored by HF (GPT-2 Conv1D weights are (in, out))
    int registrationIndex = 0;  ///< position in named_parameters(); equals the catalogue index
    int executionIndex = 0;     ///< position in the forward pass

    int64_t numel() const;
};

class TensorCatalogue {
public:
    /// Lists the tensors HF `AutoModelForCausalLM` registers for `config` (tied LM heads are
    /// not separate tensors, exactly as HF omits them from named_parameters()).
    static TensorCatalogue fromConfig(const io::ModelConfig& config);

    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    size_t size() const { return m_tensors.size(); }
    const TensorInfo& operator[](size_t i) const { return m_tensors[i]; }

    /// Catalogue indices in forward execution order.
    std::vector<int> executionOrder() const;
    /// Index of the tensor named `name`, or -1.
    int find(const std::string& name) const;
    int64_t parameterCount() const;
    int blockCount() const { return m_blocks; }

private:
    std::vector<TensorInfo> m_tensors;
    int m_blocks = 0;
};

} // namespace gt::model
