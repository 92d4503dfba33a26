// Tensor importance (method.md §3): one real AdamW step on a batch; importance of tensor k is
// -<g_k(w + dw), dw_k>, the first-order loss drop its update buys, normalised by the largest
// magnitude. Weights are always restored. The optimizer's state is restored too (default), or
// left advanced by two steps per probe as the paper's code does (paper mode).
#pragma once

#include "core/data/batch_source.h"
#include "core/model/causal_lm.h"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <vector>

namespace gt::green {

struct ProbeOptions {
    bool restoreOptimizer = true;   ///< false = the paper's side effect
    std::vector<uint8_t> reachable; ///< tensors the probe may update; empty = all
    /// After each forward + backward pass: (passes done, passes in all = 2 x batches).
    std::function<void(int done, int total)> onPass;
    /// Checked between passes; when set the probe restores everything and throws ProbeStopped.
    const std::atomic<bool>* stop = nullptr;
};

/// A probe ended early by its stop flag; the model and optimizer are as they were before it.
class ProbeStopped : public std::runtime_error {
public:
    ProbeStopped()
        : std::runtime_error("importance probe stopped") {}
};

/// Catalogue-order importance, in [-1, 1]; unreachable tensors get 0. `optimizer` must hold
/// the model's parameters (in the order of named_parameters()).
std::vector<double> probeImportance(model::CausalLMImpl& model, torch::optim::AdamW& optimizer,
                                    const std::vector<data::Batch>& batches,
                                    const ProbeOptions& options = {});

} // namespace gt::green
