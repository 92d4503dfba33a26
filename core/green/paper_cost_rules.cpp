#include "core/green/paper_cost_rules.h"

namespace gt::green {
namespace {

using model::ParamKind;
using model::TensorRole;

bool isNorm(TensorRole r) {
    return r == TensorRole::AttnNorm || r == TensorRole::FfnNorm || r == TensorRole::FinalNorm ||
           r == TensorRole::EmbedNorm;
}

bool isLinear(TensorRole r) {
    switch (r) {
    case TensorRole::Q:
    case TensorRole::K:
    case TensorRole::V:
    case TensorRole::Qkv:
    case TensorRole::O:
    case TensorRole::Fc1:
    case TensorRole::Fc2:
    case TensorRole::Gate:
    case TensorRole::Up:
    case TensorRole::Down:
        return true;
    default:
        return false;
    }
}

} // namespace

CostTable paperCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                     CostShape shape) {
    const double B = static_cast<double>(shape.batch), N = static_cast<double>(shape.seqLen);
    const double T = B * N; // tokens per step
    const double D = static_cast<double>(config.hiddenSize);
    const double attention = 4.0 * B * N * N * D; // backward of QK^T and AV over all heads
    // Where the code charges attention: the V bias (OPT) or the fused QKV bias (BLOOM); a model
    // without attention biases gets it on the V weight, as the code does for T5.
    bool vHasBias = false;
    for (const auto& t : catalogue.tensors())
        if ((t.role == TensorRole::V || t.role == TensorRole::Qkv) && t.kind == ParamKind::Bias)
            vHasBias = true;
    const ParamKind attentionCarrier = vHasBias ? ParamKind::Bias : ParamKind::Weight;

    CostTable table;
    table.accounting = Accounting::Paper;
    table.shape = shape;
    table.costs.resize(catalogue.size());
    double headInputGrad = 0.0;
    for (size_t i = 0; i < catalogue.size(); ++i) {
        const model::TensorInfo& t = catalogue[i];
        TensorCost& c = table.costs[i];
        const double n = static_cast<double>(t.numel());
        const bool weight = t.kind == ParamKind::Weight;
        if (t.role == TensorRole::Embed) {
            const double V = static_cast<double>(t.shape[0]), E = static_cast<double>(t.shape[1]);
            if (config.tieWordEmbeddings) {
                c.dw = T * V * E + V * E; // output projection's gradient + the lookup scatter
                c.forward = T * E + T * V * E;
                headInputGrad = T * V * E;
            } else {
                c.dw = V * E;
                c.forward = T * E;
            }
        } else if (t.role == TensorRole::Position) {
            c.dw = static_cast<double>(t.shape[0]);
            c.forward = T * static_cast<double>(t.shape[0]);
        } else if (t.role == TensorRole::Head) {
            c.forward = c.dw = c.dy = T * n;
        } else if (isNorm(t.role)) {
            c.forward = T * n;
            if (weight) c.dw = c.dy = T * n;
        } else if (isLinear(t.role)) {
            c.forward = c.dw = T * n;
            if (weight) c.dy = T * n;
            if ((t.role == TensorRole::V || t.role == TensorRole::Qkv) &&
                t.kind == attentionCarrier) {
                c.dy += attention;
                c.forward += attention / 2.0;
            }
        }
        // ProjectIn / ProjectOut: the paper's name rules match neither; they cost 0 here.
    }
    if (!table.costs.empty()) table.costs.back().dy += headInputGrad;
    for (const TensorCost& c : table.costs)
        table.forwardTotal += c.forward;
    return table;
}

} // namespace gt::green
