#include "core/green/exact_cost_rules.h"

namespace gt::green {
namespace {

using model::ParamKind;
using model::TensorRole;

/// One forward op: the tensors it owns (execution order), its forward MACs and the MACs to
/// pass the gradient from its output to its input.
struct Op {
    std::vector<int> tensors;
    double forward = 0.0;
    double inputGrad = 0.0;
};

/// Ops whose tensors read the same input and run side by side (q/k/v; gate/up) share one op,
/// so reaching one of them never pays for its siblings' input gradients.
int groupOf(TensorRole r) {
    switch (r) {
    case TensorRole::Q:
    case TensorRole::K:
    case TensorRole::V:
        return 1;
    case TensorRole::Gate:
    case TensorRole::Up:
        return 2;
    default:
        return 100 + static_cast<int>(r);
    }
}

bool isNormRole(TensorRole r) {
    return r == TensorRole::AttnNorm || r == TensorRole::FfnNorm || r == TensorRole::FinalNorm ||
           r == TensorRole::EmbedNorm;
}

bool opensAttention(TensorRole r) {
    return r == TensorRole::Q || r == TensorRole::K || r == TensorRole::V || r == TensorRole::Qkv;
}

} // namespace

CostTable exactCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                     CostShape shape) {
    const double B = static_cast<double>(shape.batch), N = static_cast<double>(shape.seqLen);
    const double T = B * N;
    const double attnD = static_cast<double>(config.numHeads * config.headDim());
    CostTable table;
    table.accounting = Accounting::Exact;
    table.shape = shape;
    table.costs.resize(catalogue.size());

    // 1. Group the execution order into ops and cost each tensor's own work.
    std::vector<Op> ops;
    int embedIndex = -1;
    const std::vector<int> exec = catalogue.executionOrder();
    for (size_t e = 0; e < exec.size(); ++e) {
        const int i = exec[e];
        const model::TensorInfo& t = catalogue[i];
        const bool continues = !ops.empty() && e > 0 && catalogue[exec[e - 1]].block == t.block &&
                               groupOf(catalogue[exec[e - 1]].role) == groupOf(t.role);
        if (!continues) ops.emplace_back();
        Op& op = ops.back();
        op.tensors.push_back(i);
        TensorCost& c = table.costs[i];
        const double n = static_cast<double>(t.numel());
        if (t.role == TensorRole::Embed || t.role == TensorRole::Position) {
            const double width = static_cast<double>(t.shape[1]);
            c.forward = c.dw = T * width; // lookup copy; scatter-add of the gradient
            if (t.role == TensorRole::Embed) embedIndex = i;
        } else if (isNormRole(t.role)) {
            c.forward = c.dw = T * n;
            if (t.kind == ParamKind::Weight) op.inputGrad += 2.0 * T * n;
        } else { // linear layers, including the untied head
            c.forward = c.dw = T * n;
            if (t.kind == ParamKind::Weight) op.inputGrad += T * n;
        }
        op.forward += c.forward;
        // The attention maps run right after the projections that feed them.
        const bool lastOfGroup = e + 1 == exec.size() || catalogue[exec[e + 1]].block != t.block ||
                                 groupOf(catalogue[exec[e + 1]].role) != groupOf(t.role);
        if (opensAttention(t.role) && lastOfGroup) {
            Op maps;
            maps.forward = 2.0 * B * N * N * attnD;
            maps.inputGrad = 4.0 * B * N * N * attnD;
            ops.push_back(maps);
        }
    }
    // A tied LM head is an op without a tensor of its own: its weight gradient belongs to the
    // embedding table, its input gradient must be paid to reach anything at all.
    if (config.tieWordEmbeddings && embedIndex >= 0) {
        const auto& emb = catalogue[embedIndex];
        const double ve = static_cast<double>(emb.numel());
        Op head;
        head.forward = head.inputGrad = T * ve;
        table.costs[embedIndex].dw += T * ve;
        ops.push_back(head);
    }

    // 2. Charge each op's input gradient to the nearest tensor below it.
    double pending = 0.0;
    for (auto op = ops.rbegin(); op != ops.rend(); ++op) {
        if (!op->tensors.empty()) {
            table.costs[op->tensors.back()].dy += pending; // output-first: its last tensor
            pending = 0.0;
        }
        pending += op->inputGrad;
        table.forwardTotal += op->forward;
    }
    return table;
}

} // namespace gt::green
