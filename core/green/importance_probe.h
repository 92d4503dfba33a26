// Tensor importance (method.md §3): one real AdamW step on a batch; importance of tensor k is
// -<g_k(w + dw), dw_k>, the first-order loss drop its update buys, normalised by the largest
// magnitude. Weights are always restored. The optimizer's state is restored too (default), or
// left advanced by two steps per probe as the paper's code does (paper mode).
#pragma once

#include "core/model/causal_lm.h"
#include "core/train/batch_source.h"

#include <vector>

namespace gt::green {

struct ProbeOptions {
    bool restoreOptimizer = true;   ///< false = the paper's side effect
    std::vector<uint8_t> reachable; ///< tensors the probe may update; empty = all
};

/// Catalogue-order importance, in [-1, 1]; unreachable tensors get 0. `optimizer` must hold
/// the model's parameters (in the order of named_parameters()).
std::vector<double> probeImportance(model::CausalLMImpl& model, torch::optim::AdamW& optimizer,
                                    const std::vector<train::Batch>& batches,
                                    const ProbeOptions& options = {});

} // namespace gt::green
