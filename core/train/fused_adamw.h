// LibTorch's AdamW with its update fused into one pass per tensor. The stock step makes about
// ten element-wise passes over every trained tensor (decay, two moments, sqrt, divide, add),
// which on a CPU is memory-bound: ~1 s of a 13 s single-thread OPT-125m step, paid only by
// the tensors a plan trains, so it skewed measured savings away from planned MACs. Same
// options, same state (AdamWParamState: checkpoints and the importance probe are unchanged)
// and the same arithmetic in the same order per element; AMSGrad, non-float or
// non-contiguous tensors take the stock path.
#pragma once

#include <torch/optim/adamw.h>

namespace gt::train {

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;

private:
    bool fusable(const torch::Tensor& p, const torch::optim::AdamWOptions& o) const;
};

} // namespace gt::train
