#include "core/train/fused_adamw.h"

#include "core/model/vector_kernels.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace gt::train {
namespace {

void update(float* p, const float* g, float* m, float* v, int64_t n,
            const model::AdamWCoefficients& c) {
    at::parallel_for(0, n, 16384, [&](int64_t begin, int64_t end) {
        model::adamwUpdate(p, g, m, v, begin, end, c);
    });
}

} // namespace

bool FusedAdamW::fusable(const torch::Tensor& p, const torch::optim::AdamWOptions& o) const {
    const auto& g = p.grad();
    return !o.amsgrad() && p.scalar_type() == torch::kFloat && g.scalar_type() == torch::kFloat &&
           p.is_contiguous() && g.is_contiguous() && !g.is_sparse() && p.device().is_cpu();
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enable(true);
        loss = closure();
    }
    bool allFusable = true;
    for (auto& group : param_groups())
        for (auto& p : group.params())
            if (p.grad().defined())
                allFusable = allFusable &&
                             fusable(p, static_cast<torch::optim::AdamWOptions&>(group.options()));
    if (!allFusable) {
        torch::optim::AdamW::step(); // the stock path, as it is
        return loss;
    }
    torch::NoGradGuard noGrad;
    for (auto& group : param_groups()) {
        auto& o = static_cast<torch::optim::AdamWOptions&>(group.options());
        for (auto& p : group.params()) {
            if (!p.grad().defined()) continue;
            const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
            auto it = state().find(key);
            if (it == state().end()) {
                auto s = std::make_unique<torch::optim::AdamWParamState>();
                s->step(0);
                s->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                s->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                it = state().emplace(key, std::move(s)).first;
            }
            auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
            if (!s.exp_avg().is_contiguous()) s.exp_avg(s.exp_avg().contiguous());
            if (!s.exp_avg_sq().is_contiguous()) s.exp_avg_sq(s.exp_avg_sq().contiguous());
            s.step(s.step() + 1);
            const auto [beta1, beta2] = o.betas();
            const double bias1 = 1 - std::pow(beta1, static_cast<double>(s.step()));
            const double bias2 = 1 - std::pow(beta2, static_cast<double>(s.step()));
            const model::AdamWCoefficients c{static_cast<float>(1 - o.lr() * o.weight_decay()),
                                             static_cast<float>(beta1),
                                             static_cast<float>(1 - beta1),
                                             static_cast<float>(beta2),
                                             static_cast<float>(1 - beta2),
                                             static_cast<float>(std::sqrt(bias2)),
                                             static_cast<float>(o.eps()),
                                             static_cast<float>(-(o.lr() / bias1))};
            update(p.data_ptr<float>(), p.grad().data_ptr<float>(), s.exp_avg().data_ptr<float>(),
                   s.exp_avg_sq().data_ptr<float>(), p.numel(), c);
        }
    }
    return loss;
}

} // namespace gt::train
