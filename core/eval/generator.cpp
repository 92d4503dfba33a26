#include "core/eval/generator.h"

namespace gt::eval {
namespace {

// HF prepare_inputs_for_generation: position_ids = cumsum(mask) - 1, 1 where masked.
torch::Tensor generatePositions(const torch::Tensor& mask, int64_t newTokens) {
    auto pos = torch::cumsum(mask, 1) - 1;
    pos.masked_fill_(mask == 0, 1);
    return pos.slice(1, pos.size(1) - newTokens);
}

} // namespace

GenerateResult generateGreedy(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                              const torch::Tensor& attentionMask, const GenerateOptions& o) {
    torch::NoGradGuard noGrad;
    GenerateResult r;
    auto seq = inputIds.to(torch::kLong);
    auto mask = attentionMask.defined() ? attentionMask.to(torch::kLong) : torch::ones_like(seq);
    const int64_t pad = o.padTokenId >= 0 ? o.padTokenId : o.eosTokenId;
    auto unfinished = torch::ones({seq.size(0)}, seq.options());
    model::KvCache cache;
    torch::Tensor next;
    for (int64_t step = 0; step < o.maxNewTokens; ++step) {
        model::LmInput in;
        in.attentionMask = mask;
        if (o.useCache && step > 0) {
            in.inputIds = next.unsqueeze(1);
            in.cache = &cache;
        } else {
            in.inputIds = seq;
            if (o.useCache) in.cache = &cache;
        }
        in.positionIds = generatePositions(mask, in.inputIds.size(1));
        const auto logits = model.forward(in).logits.select(1, -1); // (B, V)
        if (o.keepScores) r.scores.push_back(logits.clone());
        next = logits.argmax(-1);
        if (pad >= 0) next = next * unfinished + pad * (1 - unfinished);
        seq = torch::cat({seq, next.unsqueeze(1)}, 1);
        mask = torch::cat({mask, torch::ones({mask.size(0), 1}, mask.options())}, 1);
        if (o.eosTokenId >= 0) {
            unfinished = unfinished * (next != o.eosTokenId).to(torch::kLong);
            if (unfinished.max().item<int64_t>() == 0) break;
        }
    }
    r.sequences = seq;
    return r;
}

} // namespace gt::eval
