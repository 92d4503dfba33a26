#include "core/train/methods/prefix_method.h"

#include "core/green/baseline_plans.h"
#include "core/model/kv_prefix.h"

#include <stdexcept>

namespace gt::train {

/// peft's PrefixEncoder: embedding (and MLP), giving (2L, H_kv, Np, head_dim).
class PrefixMethod::Encoder : public model::KvPrefix {
public:
    Encoder(const io::ModelConfig& c, const TrainOptions& o)
        : m_layers(c.numLayers)
        , m_heads(c.numKeyValueHeads > 0 ? c.numKeyValueHeads : c.numHeads)
        , m_headDim(c.headDim())
        , m_tokens(o.prefixTokens) {
        const int64_t width = 2 * m_layers * m_heads * m_headDim;
        const int64_t hidden = o.prefixHidden > 0 ? o.prefixHidden : c.hiddenSize;
        torch::NoGradGuard g;
        // torch.nn.Embedding's N(0, 1) and torch.nn.Linear's U(+-1/sqrt(in)), as peft builds.
        if (o.prefixProjection) {
            m_embedding = torch::randn({m_tokens, c.hiddenSize});
            m_w1 = uniform({hidden, c.hiddenSize}, c.hiddenSize);
            m_b1 = uniform({hidden}, c.hiddenSize);
            m_w2 = uniform({width, hidden}, hidden);
            m_b2 = uniform({width}, hidden);
        } else {
            m_embedding = torch::randn({m_tokens, width});
        }
        for (auto* t : tensors())
            t->set_requires_grad(true);
    }
    int64_t length() const override { return m_tokens; }
    torch::Tensor keyValues() const override {
        auto x = m_embedding;
        if (m_w1.defined())
            x = torch::nn::functional::linear(
                torch::tanh(torch::nn::functional::linear(x, m_w1, m_b1)), m_w2, m_b2);
        // peft: view(Np, 2L, H, d).permute -> (2L, H, Np, d): key then value per layer.
        return x.view({m_tokens, 2 * m_layers, m_heads, m_headDim}).permute({1, 2, 0, 3});
    }
    NamedTensors named() const {
        NamedTensors out{{"prefix_encoder.embedding.weight", m_embedding}};
        if (m_w1.defined()) {
            out.emplace_back("prefix_encoder.transform.0.weight", m_w1);
            out.emplace_back("prefix_encoder.transform.0.bias", m_b1);
            out.emplace_back("prefix_encoder.transform.2.weight", m_w2);
            out.emplace_back("prefix_encoder.transform.2.bias", m_b2);
        }
        return out;
    }
    std::vector<torch::Tensor*> tensors() {
        std::vector<torch::Tensor*> out{&m_embedding};
        if (m_w1.defined()) out.insert(out.end(), {&m_w1, &m_b1, &m_w2, &m_b2});
        return out;
    }
    /// MACs of one forward pass of the MLP (0 without one).
    double mlpMacs() const {
        if (!m_w1.defined()) return 0.0;
        return static_cast<double>(m_tokens) * static_cast<double>(m_w1.numel() + m_w2.numel());
    }

private:
    static torch::Tensor uniform(std::vector<int64_t> shape, int64_t fanIn) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
        return torch::empty(shape).uniform_(-bound, bound);
    }
    int64_t m_layers, m_heads, m_headDim, m_tokens;
    torch::Tensor m_embedding, m_w1, m_b1, m_w2, m_b2;
};

PrefixMethod::PrefixMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_model(setup.model) {
    if (setup.options.prefixTokens < 1)
        throw std::invalid_argument("prefix tuning: --prefix-tokens must be at least 1, got " +
                                    std::to_string(setup.options.prefixTokens));
    if (setup.options.prefixHidden < 0)
        throw std::invalid_argument("prefix tuning: --prefix-hidden must be positive, got " +
                                    std::to_string(setup.options.prefixHidden));
    if (m_model.prefix())
        throw std::invalid_argument("prefix tuning: this model carries a prefix already "
                                    "(prefix.safetensors); prefix-tune its base model instead");
    m_encoder = std::make_shared<Encoder>(m_model.config(), setup.options);
    m_model.setPrefix(m_encoder);
}

PrefixMethod::~PrefixMethod() {
    if (m_encoder && m_model.prefix() == m_encoder.get()) m_model.setPrefix(nullptr);
}

double PrefixMethod::stepMacs(int64_t tokens) const {
    if (!m_encoder) return 0.0;
    const auto& c = m_model.config();
    // Scores and weighted values against Np more keys: 2 x tokens x Np x D per layer forward,
    // twice that backward (dQ, dP, and the prefix's dK, dV).
    const double attention = 6.0 * static_cast<double>(tokens) *
                             static_cast<double>(m_encoder->length()) *
                             static_cast<double>(c.hiddenSize * c.numLayers);
    return attention + 3.0 * m_encoder->mlpMacs();
}

green::Plan PrefixMethod::prefixPlan() const {
    // The virtual keys and values join every layer where its key and value projections'
    // outputs do: backprop must reach block 0's, like LoRA on K and V of every block.
    std::vector<std::string> entry;
    for (size_t i = 0; i < m_catalogue.size(); ++i) {
        const auto& t = m_catalogue[i];
        const bool kv = t.role == model::TensorRole::K || t.role == model::TensorRole::V ||
                        t.role == model::TensorRole::Qkv;
        if (kv && t.kind == model::ParamKind::Weight) entry.push_back(t.name);
    }
    auto p = green::loraPlan(m_catalogue, m_costs, entry,
                             stepMacs(m_costs.shape.batch * m_costs.shape.seqLen));
    p.method = "prefix";
    return p;
}

green::Plan PrefixMethod::plan(Trainer&, size_t, int, std::vector<double>&) {
    return prefixPlan();
}

green::Plan PrefixMethod::restorePlan(green::Plan, const std::vector<double>&, int) const {
    return prefixPlan();
}

std::vector<torch::Tensor> PrefixMethod::extraParameters() const {
    std::vector<torch::Tensor> out;
    if (m_encoder)
        for (auto* t : m_encoder->tensors())
            out.push_back(*t);
    return out;
}

NamedTensors PrefixMethod::stateTensors() const {
    return m_encoder ? m_encoder->named() : NamedTensors{};
}

void PrefixMethod::merge() {
    if (!m_encoder) return;
    torch::NoGradGuard g;
    m_model.setPrefix(std::make_shared<model::FixedKvPrefix>(m_encoder->keyValues().clone()));
    m_encoder.reset();
}

} // namespace gt::train
