// The causal language model interface every architecture implements, and the factory.
// Dimensions: B batch, S new tokens, P past (cached) tokens, T = P + S, V vocabulary.
// Torch header: only core/ and tests include it (widgets/ use core/api instead).
#pragma once

#include "core/io/model_config.h"
#include "core/io/safetensors_file.h"

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace gt::io {
class WeightStore;
}

namespace gt::model {

/// Keys and values of every layer so far: (B, H_kv, T, head_dim) each.
struct KvCache {
    std::vector<torch::Tensor> keys, values;
    /// The leading entries that are a prefix's virtual tokens: they take no position, so the
    /// architectures count positions from the first real token.
    int64_t virtualLength = 0;
    int64_t length() const { return keys.empty() || !keys[0].defined() ? 0 : keys[0].size(2); }
    void reset() {
        keys.clear();
        values.clear();
        virtualLength = 0;
    }
};

/// Virtual tokens whose keys and values every forward() puts in front of each layer's own
/// (prefix tuning). Implemented by the trained prefix (with autograd) and by a fixed one.
class KvPrefix {
public:
    virtual ~KvPrefix() = default;
    virtual int64_t length() const = 0;
    /// (2L, H_kv, Np, head_dim): layer l's keys at 2l, its values at 2l + 1.
    virtual torch::Tensor keyValues() const = 0;
};

struct LmInput {
    torch::Tensor inputIds;      ///< (B, S) int64
    torch::Tensor attentionMask; ///< (B, T) 1 = token, 0 = padding; undefined = all ones
    torch::Tensor labels;        ///< (B, S) int64, -100 = ignored; undefined = no loss
    /// (B, S) explicit positions (what HF generate() passes). Undefined: the architecture's
    /// HF forward() default (OPT, BLOOM derive them from the mask; LLaMA, GPT-2 use P..T-1).
    torch::Tensor positionIds;
    KvCache* cache = nullptr; ///< when set, read and extended in place
    bool outputHiddenStates = false;
};

struct LmOutput {
    torch::Tensor logits; ///< (B, S, V)
    torch::Tensor loss;   ///< mean cross-entropy of shifted labels; undefined without labels
    std::vector<torch::Tensor> hiddenStates; ///< L + 1 tensors (B, S, D), HF convention
};

class CausalLMImpl : public torch::nn::Module {
public:
    explicit CausalLMImpl(io::ModelConfig config)
        : m_config(std::move(config)) {}
    /// The architecture's forward pass, with the prefix (if any) in front: a cache that starts
    /// empty (or none) is filled with its keys and values, and the mask is extended to them.
    LmOutput forward(const LmInput& input);
    const io::ModelConfig& config() const { return m_config; }

    /// Attaches a prefix of virtual tokens (null detaches it).
    void setPrefix(std::shared_ptr<const KvPrefix> prefix) { m_prefix = std::move(prefix); }
    const KvPrefix* prefix() const { return m_prefix.get(); }

protected:
    /// The architecture itself; positions count from cache->virtualLength.
    virtual LmOutput forwardTokens(const LmInput& input) = 0;
    io::ModelConfig m_config;

private:
    std::shared_ptr<const KvPrefix> m_prefix;
};

/// The number of virtual (prefix) entries in `input`'s cache.
inline int64_t virtualTokens(const LmInput& input) {
    return input.cache ? input.cache->virtualLength : 0;
}

/// A randomly initialised model of `config`'s architecture (HF parameter names).
std::shared_ptr<CausalLMImpl> createCausalLM(const io::ModelConfig& config);

/// Config + safetensors weights from a HF model directory, converted to float32. Missing,
/// unexpected or mis-shaped tensors are an error that lists them.
std::shared_ptr<CausalLMImpl> loadCausalLM(const std::filesystem::path& dir);

/// Copies weights from a checkpoint into `model` (float32). Throws, listing missing,
/// unexpected and mis-shaped tensors.
void loadWeights(CausalLMImpl& model, const io::WeightStore& store);

/// The (B, P + S) int64 mask of `input`, all ones when it has none.
torch::Tensor fullMask(const LmInput& input, int64_t past);

/// A zero-copy torch view of a mapped safetensors tensor (keeps the mapping alive).
torch::Tensor tensorFromView(const io::TensorView& view);

/// Mean cross-entropy of logits[:, :-1] against labels[:, 1:], ignoring -100 (HF's rule).
torch::Tensor causalLmLoss(const torch::Tensor& logits, const torch::Tensor& labels);

} // namespace gt::model
