#include "core/green/importance_probe.h"

#include <map>

namespace gt::green {
namespace {

void clearGrads(const std::vector<torch::Tensor>& params) {
    for (auto p : params)
        p.mutable_grad() = torch::Tensor();
}

/// g(w) averaged over the batches; `pass` counts forward + backward passes for progress.
void accumulateGrads(model::CausalLMImpl& model, const std::vector<data::Batch>& batches,
                     const ProbeOptions& options, int& pass) {
    const int total = 2 * static_cast<int>(batches.size());
    for (const auto& b : batches) {
        if (options.stop && options.stop->load()) throw ProbeStopped();
        const model::LmInput in{b.inputIds, b.attentionMask, b.labels};
        (model.forward(in).loss / static_cast<double>(batches.size())).backward();
        if (options.onPass) options.onPass(++pass, total);
    }
}

using State = ska::flat_hash_map<std::string, std::unique_ptr<torch::optim::OptimizerParamState>>;

/// Deep copy: AdamW updates its moments in place, so cloned handles are not enough.
std::map<std::string, std::unique_ptr<torch::optim::AdamWParamState>> snapshot(const State& state) {
    std::map<std::string, std::unique_ptr<torch::optim::AdamWParamState>> out;
    for (const auto& [key, value] : state) {
        const auto& s = static_cast<const torch::optim::AdamWParamState&>(*value);
        auto c = std::make_unique<torch::optim::AdamWParamState>();
        c->step(s.step());
        c->exp_avg(s.exp_avg().clone());
        c->exp_avg_sq(s.exp_avg_sq().clone());
        if (s.max_exp_avg_sq().defined()) c->max_exp_avg_sq(s.max_exp_avg_sq().clone());
        out[key] = std::move(c);
    }
    return out;
}

} // namespace

std::vector<double> probeImportance(model::CausalLMImpl& model, torch::optim::AdamW& optimizer,
                                    const std::vector<data::Batch>& batches,
                                    const ProbeOptions& options) {
    if (batches.empty()) throw std::invalid_argument("importance probe: no batch to probe with");
    const std::vector<torch::Tensor> params = model.parameters();
    const size_t n = params.size();
    std::vector<uint8_t> reach =
        options.reachable.empty() ? std::vector<uint8_t>(n, 1) : options.reachable;
    if (reach.size() != n)
        throw std::invalid_argument("importance probe: reachable mask size differs from the model");
    std::vector<bool> flags;
    for (size_t i = 0; i < n; ++i) {
        flags.push_back(params[i].requires_grad());
        params[i].set_requires_grad(reach[i] != 0);
    }
    clearGrads(params);
    std::vector<torch::Tensor> before(n);
    for (size_t i = 0; i < n; ++i)
        if (reach[i]) before[i] = params[i].detach().clone();
    // A stopped probe must leave the optimizer as it found it, whatever the mode.
    const bool stoppable = options.stop != nullptr;
    auto saved = options.restoreOptimizer || stoppable ? snapshot(optimizer.state())
                                                       : decltype(snapshot(optimizer.state())){};
    auto restore = [&](bool optimizerToo) {
        clearGrads(params);
        {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < n; ++i)
                if (reach[i]) params[i].copy_(before[i]);
        }
        if (optimizerToo) {
            optimizer.state().clear();
            for (auto& [key, value] : saved)
                optimizer.state()[key] = std::move(value);
        }
        for (size_t i = 0; i < n; ++i)
            params[i].set_requires_grad(flags[i]);
    };

    std::vector<double> importance(n, 0.0);
    double largest = 0.0;
    int pass = 0;
    try {
        accumulateGrads(model, batches, options, pass); // g(w)
        optimizer.step();                               // w + dw, the real AdamW update
        clearGrads(params);
        accumulateGrads(model, batches, options, pass); // g(w + dw)
    } catch (const ProbeStopped&) {
        restore(true);
        throw;
    }
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < n; ++i) {
            if (!reach[i] || !params[i].grad().defined()) continue;
            const auto dw = params[i].detach() - before[i];
            importance[i] = -(params[i].grad() * dw).sum().item<double>(); // loss drop bought by dw
            largest = std::max(largest, std::abs(importance[i]));
        }
    }
    if (!options.restoreOptimizer) optimizer.step(); // the paper's code steps a second time
    restore(options.restoreOptimizer);
    if (largest > 0)
        for (double& v : importance)
            v /= largest;
    return importance;
}

} // namespace gt::green
