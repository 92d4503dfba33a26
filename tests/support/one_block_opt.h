// An OPT with one block, as the Hugging Face config spells it (20 tensors): small enough for
// the selector tests to check against brute force over every selection.
#pragma once

#include "core/io/model_config.h"

#include <nlohmann/json.hpp>

namespace gt::test {

inline io::ModelConfig oneBlockOpt() {
    const nlohmann::json j = {{"model_type", "opt"},
                              {"architectures", {"OPTForCausalLM"}},
                              {"activation_function", "relu"},
                              {"do_layer_norm_before", true},
                              {"enable_bias", true},
                              {"ffn_dim", 128},
                              {"hidden_size", 64},
                              {"max_position_embeddings", 64},
                              {"num_attention_heads", 4},
                              {"num_hidden_layers", 1},
                              {"vocab_size", 320},
                              {"word_embed_proj_dim", 64}};
    return io::parseModelConfig(j, "one-block OPT");
}

} // namespace gt::test
