#include "core/model/lora.h"

#include <atomic>
#include <cmath>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace gt::model {

struct LoraAdapters::Adapter {
    std::string name; ///< module name, e.g. "model.decoder.layers.0.self_attn.q_proj"
    torch::nn::Module* module = nullptr; ///< the adapted layer
    bool transposed = false;             ///< Conv1D stores its weight (in, out)
    torch::Tensor a, b;                  ///< (r, in), (out, r)
    double scale = 1.0, dropout = 0.0;
};

namespace {

// Adapters by the layer they modify. Few writers (attach/detach), many readers (every
// projection call), so a shared mutex; `g_count` keeps the no-adapter path lock-free.
std::shared_mutex g_mutex;
std::unordered_map<const torch::nn::Module*, const LoraAdapters::Adapter*> g_registry;
std::atomic<int> g_count{0};

const LoraAdapters::Adapter* adapterFor(const torch::nn::Module* m) {
    if (g_count.load(std::memory_order_acquire) == 0) return nullptr;
    std::shared_lock lock(g_mutex);
    const auto it = g_registry.find(m);
    return it == g_registry.end() ? nullptr : it->second;
}

torch::Tensor addUpdate(torch::Tensor y, const torch::Tensor& x, const LoraAdapters::Adapter& a,
                        bool training) {
    auto in = a.dropout > 0 && training ? torch::dropout(x, a.dropout, true) : x;
    return y + torch::matmul(torch::matmul(in, a.a.t()), a.b.t()) * a.scale;
}

std::string lastComponent(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

} // namespace

std::vector<std::string> defaultLoraTargets(const io::ModelConfig& c) {
    switch (c.architecture) {
    case io::Architecture::Bloom:
        return {"query_key_value"};
    case io::Architecture::Gpt2:
        return {"c_attn"};
    case io::Architecture::Opt:
    case io::Architecture::Llama:
        break;
    }
    return {"q_proj", "v_proj"};
}

LoraAdapters::LoraAdapters(CausalLMImpl& model, LoraOptions options)
    : m_options(std::move(options)) {
    if (m_options.rank < 1) throw std::invalid_argument("LoRA rank must be at least 1");
    if (m_options.targets.empty()) m_options.targets = defaultLoraTargets(model.config());
    std::vector<std::string> seen;
    for (const auto& item : model.named_modules("", false)) {
        const std::string leaf = lastComponent(item.key());
        const bool wanted = std::find(m_options.targets.begin(), m_options.targets.end(), leaf) !=
                            m_options.targets.end();
        auto* lin = item.value()->as<torch::nn::LinearImpl>();
        auto* conv = item.value()->as<Conv1DImpl>();
        if (lin || conv) seen.push_back(leaf);
        if (!wanted || (!lin && !conv)) continue;
        auto ad = std::make_unique<Adapter>();
        ad->name = item.key();
        ad->module = item.value().get();
        ad->transposed = conv != nullptr;
        const torch::Tensor& w = lin ? lin->weight : conv->weight;
        const int64_t in = ad->transposed ? w.size(0) : w.size(1);
        const int64_t out = ad->transposed ? w.size(1) : w.size(0);
        const double bound = 1.0 / std::sqrt(static_cast<double>(in)); // kaiming_uniform(a=sqrt5)
        ad->a = torch::empty({m_options.rank, in}).uniform_(-bound, bound).requires_grad_(true);
        ad->b = torch::zeros({out, m_options.rank}).requires_grad_(true);
        ad->scale = m_options.alpha / static_cast<double>(m_options.rank);
        ad->dropout = m_options.dropout;
        m_adapters.push_back(std::move(ad));
    }
    if (m_adapters.empty()) {
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        std::string targets, have;
        for (const auto& t : m_options.targets)
            targets += (targets.empty() ? "" : ", ") + t;
        for (const auto& t : seen)
            have += (have.empty() ? "" : ", ") + t;
        throw std::invalid_argument("LoRA: no layer named " + targets +
                                    " in this model (its linear layers: " + have + ")");
    }
    std::unique_lock lock(g_mutex);
    for (const auto& ad : m_adapters)
        g_registry[ad->module] = ad.get();
    g_count.fetch_add(static_cast<int>(m_adapters.size()), std::memory_order_release);
}

LoraAdapters::~LoraAdapters() {
    std::unique_lock lock(g_mutex);
    for (const auto& ad : m_adapters)
        if (g_registry.erase(ad->module)) g_count.fetch_sub(1, std::memory_order_release);
}

std::vector<torch::Tensor> LoraAdapters::parameters() const {
    std::vector<torch::Tensor> out;
    for (const auto& ad : m_adapters) {
        out.push_back(ad->a);
        out.push_back(ad->b);
    }
    return out;
}

std::vector<std::pair<std::string, torch::Tensor>> LoraAdapters::namedParameters() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& ad : m_adapters) {
        out.emplace_back(ad->name + ".lora_A.weight", ad->a);
        out.emplace_back(ad->name + ".lora_B.weight", ad->b);
    }
    return out;
}

std::vector<std::string> LoraAdapters::adaptedWeights() const {
    std::vector<std::string> out;
    for (const auto& ad : m_adapters)
        out.push_back(ad->name + ".weight");
    return out;
}

double LoraAdapters::stepMacs(int64_t tokens) const {
    double macs = 0;
    for (const auto& ad : m_adapters) // x A^T, (.) B^T: r (in + out) per token, three passes
        macs += 3.0 * static_cast<double>(tokens) * static_cast<double>(ad->a.size(0)) *
                static_cast<double>(ad->a.size(1) + ad->b.size(0));
    return macs;
}

void LoraAdapters::merge() {
    torch::NoGradGuard g;
    {
        std::unique_lock lock(g_mutex);
        for (const auto& ad : m_adapters)
            if (g_registry.erase(ad->module)) g_count.fetch_sub(1, std::memory_order_release);
    }
    for (const auto& ad : m_adapters) {
        const auto delta = torch::matmul(ad->b, ad->a) * ad->scale; // (out, in)
        if (auto* lin = ad->module->as<torch::nn::LinearImpl>())
            lin->weight.add_(delta);
        else if (auto* conv = ad->module->as<Conv1DImpl>())
            conv->weight.add_(delta.t());
    }
    m_adapters.clear();
}

torch::Tensor applyLinear(torch::nn::Linear& linear, const torch::Tensor& x) {
    auto y = linear(x);
    const auto* ad = adapterFor(linear.get());
    return ad ? addUpdate(std::move(y), x, *ad, linear->is_training()) : y;
}

torch::Tensor applyConv1D(Conv1D& conv, const torch::Tensor& x) {
    auto y = conv(x);
    const auto* ad = adapterFor(conv.get());
    return ad ? addUpdate(std::move(y), x, *ad, conv->is_training()) : y;
}

} // namespace gt::model
