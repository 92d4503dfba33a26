#include "core/eval/generator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gt::eval {
namespace {

// HF prepare_inputs_for_generation: position_ids = cumsum(mask) - 1, 1 where masked.
torch::Tensor generatePositions(const torch::Tensor& mask, int64_t newTokens) {
    auto pos = torch::cumsum(mask, 1) - 1;
    pos.masked_fill_(mask == 0, 1);
    return pos.slice(1, pos.size(1) - newTokens);
}

} // namespace

void banRepeatedNgrams(torch::Tensor& scores, const torch::Tensor& seq, int64_t start, int64_t n) {
    const int64_t len = seq.size(1) - start;
    if (n <= 0 || len < n - 1) return;
    const auto gen = seq.slice(1, start).to(torch::kCPU, torch::kLong).contiguous();
    const auto ninf = -std::numeric_limits<float>::infinity();
    for (int64_t r = 0; r < gen.size(0); ++r) {
        const int64_t* g = gen[r].data_ptr<int64_t>();
        const int64_t* tail = g + len - (n - 1); // the n-1 tokens the next one would extend
        for (int64_t i = 0; i + n - 1 < len; ++i)
            if (std::equal(g + i, g + i + n - 1, tail)) scores[r][g[i + n - 1]] = ninf;
    }
}

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
        auto logits = model.forward(in).logits.select(1, -1); // (B, V)
        if (o.noRepeatNgram > 0) {
            logits = logits.clone();
            banRepeatedNgrams(logits, seq, inputIds.size(1), o.noRepeatNgram);
        }
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

GenerateResult generateBeam(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                            const torch::Tensor& attentionMask, const BeamOptions& o) {
    torch::NoGradGuard noGrad;
    const int64_t batch = inputIds.size(0), k = std::max<int64_t>(1, o.numBeams);
    const int64_t pad = o.padTokenId >= 0 ? o.padTokenId : std::max<int64_t>(o.eosTokenId, 0);
    // one row per (input, beam); beams start identical, so only beam 0 may expand at first
    auto seq = inputIds.to(torch::kLong).repeat_interleave(k, 0);
    auto mask = (attentionMask.defined() ? attentionMask.to(torch::kLong)
                                         : torch::ones_like(inputIds.to(torch::kLong)))
                    .repeat_interleave(k, 0);
    auto beamScores = torch::full({batch, k}, -1e9, torch::kFloat);
    beamScores.select(1, 0).fill_(0);
    beamScores = beamScores.view({-1});
    struct Hyp {
        double score;
        std::vector<int64_t> tokens;
        bool eos; ///< ended with EOS (appended to the output)
    };
    std::vector<std::vector<Hyp>> finished(static_cast<size_t>(batch));
    std::vector<bool> done(static_cast<size_t>(batch), false);
    const int64_t promptLen = seq.size(1);
    // HF 4.35 divides by the sequence length before any EOS, prompt included; counting new
    // tokens includes a finishing EOS, so an immediate EOS has length 1, not 0
    auto hypLength = [&](bool endsWithEos) {
        const int64_t total = seq.size(1);
        return static_cast<double>(o.lengthOfNewTokens ? total - promptLen + (endsWithEos ? 1 : 0)
                                                       : total);
    };
    model::KvCache cache;
    for (int64_t step = 0; step < o.maxNewTokens; ++step) {
        model::LmInput in;
        in.attentionMask = mask;
        in.cache = &cache;
        in.inputIds = step == 0 ? seq : seq.slice(1, -1);
        in.positionIds = generatePositions(mask, in.inputIds.size(1));
        auto logp = torch::log_softmax(model.forward(in).logits.select(1, -1).to(torch::kFloat),
                                       -1); // (B*k, V)
        if (o.repetitionPenalty != 1.0) {   // on the log-probabilities, as HF's processor does
            auto seen = logp.gather(1, seq);
            seen = torch::where(seen < 0, seen * o.repetitionPenalty, seen / o.repetitionPenalty);
            logp = logp.scatter(1, seq, seen);
        }
        if (o.noRepeatNgram > 0) banRepeatedNgrams(logp, seq, promptLen, o.noRepeatNgram);
        const int64_t vocab = logp.size(1);
        auto total = (logp + beamScores.unsqueeze(1)).view({batch, k * vocab});
        auto [topScores, topIdx] = total.topk(2 * k, 1);
        std::vector<int64_t> srcRows, nextTokens;
        std::vector<float> nextScores;
        for (int64_t b = 0; b < batch; ++b) {
            int64_t kept = 0;
            for (int64_t c = 0; c < 2 * k && kept < k; ++c) {
                const int64_t flat = topIdx[b][c].item<int64_t>();
                const int64_t beam = flat / vocab, token = flat % vocab;
                const double score = topScores[b][c].item<double>();
                const int64_t row = b * k + beam;
                if (!done[static_cast<size_t>(b)] && o.eosTokenId >= 0 && token == o.eosTokenId) {
                    if (c >= k) continue; // an EOS outside the top k does not finish a beam
                    std::vector<int64_t> toks;
                    for (int64_t t = promptLen; t < seq.size(1); ++t)
                        toks.push_back(seq[row][t].item<int64_t>());
                    const double len = hypLength(true);
                    finished[static_cast<size_t>(b)].push_back(
                        {score / std::pow(len, o.lengthPenalty), toks, true});
                    continue;
                }
                srcRows.push_back(row);
                nextTokens.push_back(done[static_cast<size_t>(b)] ? pad : token);
                nextScores.push_back(done[static_cast<size_t>(b)] ? 0.f
                                                                  : static_cast<float>(score));
                ++kept;
            }
            auto& f = finished[static_cast<size_t>(b)];
            if (o.earlyStopping && static_cast<int64_t>(f.size()) >= k)
                done[static_cast<size_t>(b)] = true;
        }
        const auto rows = torch::tensor(srcRows, torch::kLong);
        seq = torch::cat(
            {seq.index_select(0, rows), torch::tensor(nextTokens, torch::kLong).unsqueeze(1)}, 1);
        mask = torch::cat(
            {mask.index_select(0, rows), torch::ones({mask.size(0), 1}, mask.options())}, 1);
        for (auto& t : cache.keys)
            t = t.index_select(0, rows);
        for (auto& t : cache.values)
            t = t.index_select(0, rows);
        beamScores = torch::tensor(nextScores, torch::kFloat);
        if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
    }
    // rows never finished with EOS compete with their current scores
    for (int64_t b = 0; b < batch; ++b) {
        auto& f = finished[static_cast<size_t>(b)];
        if (done[static_cast<size_t>(b)]) continue;
        for (int64_t beam = 0; beam < k; ++beam) {
            const int64_t row = b * k + beam;
            std::vector<int64_t> toks;
            for (int64_t t = promptLen; t < seq.size(1); ++t)
                toks.push_back(seq[row][t].item<int64_t>());
            f.push_back(
                {beamScores[row].item<double>() / std::pow(hypLength(false), o.lengthPenalty), toks,
                 false});
        }
    }
    size_t longest = 0;
    std::vector<std::vector<int64_t>> best(static_cast<size_t>(batch));
    for (int64_t b = 0; b < batch; ++b) {
        const auto& f = finished[static_cast<size_t>(b)];
        const auto it = std::max_element(
            f.begin(), f.end(), [](const Hyp& x, const Hyp& y) { return x.score < y.score; });
        best[static_cast<size_t>(b)] = it->tokens;
        if (it->eos) best[static_cast<size_t>(b)].push_back(o.eosTokenId);
        longest = std::max(longest, best[static_cast<size_t>(b)].size());
    }
    auto out = torch::full({batch, promptLen + static_cast<int64_t>(longest)}, pad, torch::kLong);
    out.slice(1, 0, promptLen).copy_(inputIds.to(torch::kLong));
    for (int64_t b = 0; b < batch; ++b)
        for (size_t t = 0; t < best[static_cast<size_t>(b)].size(); ++t)
            out[b][promptLen + static_cast<int64_t>(t)] = best[static_cast<size_t>(b)][t];
    GenerateResult r;
    r.sequences = out;
    return r;
}

} // namespace gt::eval
