#include "core/model/layers.h"

#include "core/model/causal_lm.h"
#include "core/model/vector_kernels.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <limits>

namespace gt::model {

float maskValue() {
    return std::numeric_limits<float>::lowest();
}

namespace {

class ClampToMaskValue : public torch::autograd::Function<ClampToMaskValue> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& s) {
        ctx->save_for_backward({s});
        return s.clamp_min(maskValue());
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto s = ctx->get_saved_variables()[0];
        const auto g = grads[0];
        if (s.scalar_type() != torch::kFloat || g.scalar_type() != torch::kFloat ||
            !s.is_contiguous() || !g.is_contiguous() || !s.device().is_cpu()) {
            const auto m = torch::tensor(maskValue(), s.options());
            return {torch::where(s == m, g / 2, g).masked_fill_(s < m, 0)};
        }
        auto out = torch::empty_like(g);
        const float* sp = s.data_ptr<float>();
        const float* gp = g.data_ptr<float>();
        float* op = out.data_ptr<float>();
        at::parallel_for(0, s.numel(), 16384, [&](int64_t begin, int64_t end) {
            model::clampGradient(sp, gp, op, maskValue(), begin, end);
        });
        return {out};
    }
};

} // namespace

torch::Tensor clampToMaskValue(const torch::Tensor& scores) {
    return ClampToMaskValue::apply(scores);
}

torch::Tensor tiedEmbeddingLookup(const torch::nn::Embedding& embedding, const torch::Tensor& ids) {
    namespace F = torch::nn::functional;
    auto o = F::EmbeddingFuncOptions().sparse(true);
    if (embedding->options.padding_idx()) o.padding_idx(*embedding->options.padding_idx());
    return F::embedding(ids, embedding->weight, o);
}

torch::Tensor blockedCausalMask(const torch::Tensor& mask, int64_t queryLen) {
    const int64_t total = mask.size(1), past = total - queryLen;
    auto opts = torch::TensorOptions().device(mask.device());
    // causal: query s (absolute position past + s) may not see keys after it
    auto q = torch::arange(past, total, opts.dtype(torch::kLong)).unsqueeze(1);
    auto k = torch::arange(0, total, opts.dtype(torch::kLong)).unsqueeze(0);
    auto future = (k > q).unsqueeze(0).unsqueeze(0);      // (1, 1, S, T)
    auto padding = (mask == 0).unsqueeze(1).unsqueeze(1); // (B, 1, 1, T)
    return future | padding;
}

torch::Tensor additiveCausalMask(const torch::Tensor& mask, int64_t queryLen) {
    // HF (AttentionMaskConverter.to_4d) ADDS the causal part and the padding part, each 0 or
    // the float minimum, so a key that is both future and padding gets -inf. That changes
    // what fully masked (padding) queries attend to, and their outputs feed the loss.
    const int64_t total = mask.size(1), past = total - queryLen;
    auto f = torch::TensorOptions().dtype(torch::kFloat).device(mask.device());
    auto q = torch::arange(past, total, f.dtype(torch::kLong)).unsqueeze(1);
    auto k = torch::arange(0, total, f.dtype(torch::kLong)).unsqueeze(0);
    auto causal = torch::zeros({queryLen, total}, f).masked_fill(k > q, maskValue());
    auto padding = ((1 - mask).to(torch::kFloat) * maskValue()).view({mask.size(0), 1, 1, total});
    return causal.view({1, 1, queryLen, total}) + padding;
}

torch::Tensor repeatKv(const torch::Tensor& x, int64_t groups) {
    if (groups == 1) return x;
    const auto b = x.size(0), h = x.size(1), t = x.size(2), d = x.size(3);
    return x.unsqueeze(2).expand({b, h, groups, t, d}).reshape({b, h * groups, t, d});
}

namespace {
torch::Tensor rotateHalf(const torch::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}
} // namespace

void applyRope(torch::Tensor& q, torch::Tensor& k, const torch::Tensor& positions, double theta) {
    const int64_t d = q.size(-1);
    auto fopts = torch::TensorOptions().dtype(torch::kFloat).device(q.device());
    // HF LlamaRotaryEmbedding: inv_freq = 1 / theta^(2i/d), emb = cat(freqs, freqs)
    auto invFreq =
        1.0 /
        torch::pow(theta, torch::arange(0, d, 2, fopts.dtype(torch::kLong)).to(torch::kFloat) / d);
    auto freqs = positions.to(torch::kFloat).unsqueeze(-1) * invFreq; // (B, S, d/2)
    auto emb = torch::cat({freqs, freqs}, -1);
    auto cos = emb.cos().to(q.scalar_type()).unsqueeze(1); // (B, 1, S, d)
    auto sin = emb.sin().to(q.scalar_type()).unsqueeze(1);
    q = q * cos + rotateHalf(q) * sin;
    k = k * cos + rotateHalf(k) * sin;
}

torch::Tensor alibiSlopes(int64_t heads) {
    const int64_t closest = int64_t{1} << static_cast<int>(std::floor(std::log2(heads)));
    auto f32 = torch::TensorOptions().dtype(torch::kFloat);
    const float base = static_cast<float>(std::pow(2.0, -std::pow(2.0, -(std::log2(closest) - 3))));
    auto slopes = torch::pow(torch::tensor(base, f32), torch::arange(1, 1 + closest, torch::kInt));
    if (closest != heads) {
        const float extraBase =
            static_cast<float>(std::pow(2.0, -std::pow(2.0, -(std::log2(2 * closest) - 3))));
        const int64_t remaining = std::min(closest, heads - closest);
        auto extra = torch::pow(torch::tensor(extraBase, f32),
                                torch::arange(1, 1 + 2 * remaining, 2, torch::kInt));
        slopes = torch::cat({slopes, extra});
    }
    return slopes;
}

torch::Tensor geluTanh(const torch::Tensor& x) {
    return 0.5 * x *
           (1.0 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * torch::pow(x, 3.0))));
}

torch::Tensor activation(const std::string& name, const torch::Tensor& x) {
    if (name == "relu") return torch::relu(x);
    if (name == "gelu") return torch::gelu(x);
    if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
        return geluTanh(x);
    if (name == "silu" || name == "swish") return torch::silu(x);
    throw std::invalid_argument("unsupported activation function '" + name +
                                "' (relu, gelu, gelu_new, silu)");
}

RmsNormImpl::RmsNormImpl(int64_t dim, double eps)
    : m_eps(eps) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
    auto h = x.to(torch::kFloat);
    h = h * torch::rsqrt(h.pow(2).mean(-1, true) + m_eps);
    return weight * h.to(x.scalar_type());
}

Conv1DImpl::Conv1DImpl(int64_t in, int64_t out) {
    weight = register_parameter("weight", torch::randn({in, out}) * 0.02);
    bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor Conv1DImpl::forward(const torch::Tensor& x) {
    auto sizes = x.sizes().vec();
    sizes.back() = weight.size(1);
    return torch::addmm(bias, x.reshape({-1, x.size(-1)}), weight).view(sizes);
}

std::pair<torch::Tensor, torch::Tensor> updateCache(KvCache* cache, size_t layer, torch::Tensor k,
                                                    torch::Tensor v) {
    if (!cache) return {k, v};
    if (cache->keys.size() <= layer) {
        cache->keys.resize(layer + 1);
        cache->values.resize(layer + 1);
    }
    if (cache->keys[layer].defined()) {
        k = torch::cat({cache->keys[layer], k}, 2);
        v = torch::cat({cache->values[layer], v}, 2);
    }
    cache->keys[layer] = k;
    cache->values[layer] = v;
    return {k, v};
}

} // namespace gt::model
