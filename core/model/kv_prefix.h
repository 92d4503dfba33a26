// A fixed prefix of virtual keys and values (a merged prefix-tuning result) and its file:
// prefix.safetensors next to a model's weights holds one float32 tensor "prefix.key_values",
// (2L, H_kv, Np, head_dim), key then value per layer. loadCausalLM attaches it when present,
// so every reader of an exported prefix-tuned model (gt eval, generate, the workbench)
// computes what the trained model did.
#pragma once

#include "core/model/causal_lm.h"

#include <filesystem>

namespace gt::model {

inline constexpr const char* kPrefixFile = "prefix.safetensors";

class FixedKvPrefix : public KvPrefix {
public:
    explicit FixedKvPrefix(torch::Tensor keyValues);
    int64_t length() const override { return m_kv.size(2); }
    torch::Tensor keyValues() const override { return m_kv; }

private:
    torch::Tensor m_kv;
};

/// Writes `keyValues` (2L, H_kv, Np, head_dim) to `file` atomically.
void saveKvPrefix(const std::filesystem::path& file, const torch::Tensor& keyValues);
/// Reads a prefix written by saveKvPrefix for a model of `config`; throws naming the file and
/// what does not fit.
std::shared_ptr<KvPrefix> loadKvPrefix(const std::filesystem::path& file,
                                       const io::ModelConfig& config);

} // namespace gt::model
