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

namespace {

/// The finished hypotheses of one input row, kept as HF's BeamHypotheses keeps them: at most
/// `capacity`, the worst evicted when a better one arrives. The worst score decides when a row
/// without early stopping is done, so the eviction matters, not only the best.
class FinishedBeams {
public:
    struct Hyp {
        double score;
        std::vector<int64_t> tokens; ///< the new tokens, without a finishing EOS
        bool eos;
    };
    explicit FinishedBeams(size_t capacity)
        : m_capacity(capacity) {}
    size_t size() const { return m_hyps.size(); }
    double worst() const { return m_worst; }
    void add(Hyp h) {
        if (m_hyps.size() >= m_capacity && h.score <= m_worst) return;
        m_hyps.push_back(std::move(h));
        if (m_hyps.size() > m_capacity) m_hyps.erase(worstIt());
        m_worst = worstIt()->score;
    }
    /// The best; among equal scores the last added, as HF's stable sort then pop() picks.
    const Hyp& best() const {
        auto it = m_hyps.begin();
        for (auto i = m_hyps.begin(); i != m_hyps.end(); ++i)
            if (i->score >= it->score) it = i;
        return *it;
    }

private:
    std::vector<Hyp>::iterator worstIt() {
        return std::min_element(m_hyps.begin(), m_hyps.end(),
                                [](const Hyp& a, const Hyp& b) { return a.score < b.score; });
    }
    size_t m_capacity;
    std::vector<Hyp> m_hyps;
    double m_worst = 1e9;
};

/// The rows' new tokens (from column `promptLen` on) of row `row` of `seq`.
std::vector<int64_t> newTokens(const torch::Tensor& seq, int64_t row, int64_t promptLen) {
    const auto r = seq[row].slice(0, promptLen).to(torch::kCPU).contiguous();
    return {r.data_ptr<int64_t>(), r.data_ptr<int64_t>() + r.numel()};
}

/// Log-probabilities of the next token for every beam row, after the repetition penalty (on
/// the log-probabilities of every token already in the row, prompt and padding included, as
/// HF's RepetitionPenaltyLogitsProcessor sees input_ids) and the n-gram ban.
torch::Tensor nextLogProbs(model::CausalLMImpl& model, model::KvCache& cache,
                           const torch::Tensor& seq, const torch::Tensor& mask, bool first,
                           int64_t promptLen, const BeamOptions& o) {
    model::LmInput in;
    in.attentionMask = mask;
    in.cache = &cache;
    in.inputIds = first ? seq : seq.slice(1, -1);
    in.positionIds = generatePositions(mask, in.inputIds.size(1));
    auto logp = torch::log_softmax(model.forward(in).logits.select(1, -1).to(torch::kFloat), -1);
    if (o.repetitionPenalty != 1.0) {
        auto seen = logp.gather(1, seq);
        seen = torch::where(seen < 0, seen * o.repetitionPenalty, seen / o.repetitionPenalty);
        logp = logp.scatter(1, seq, seen);
    }
    if (o.noRepeatNgram > 0) banRepeatedNgrams(logp, seq, promptLen, o.noRepeatNgram);
    return logp;
}

/// HF's BeamHypotheses.is_done: enough finished hypotheses and, without early stopping, none
/// of the running beams can still beat the worst of them (HF's heuristic bound, which divides
/// the best running score by the current length).
bool rowDone(const FinishedBeams& f, size_t beams, double bestRunning, double length,
             const BeamOptions& o) {
    if (f.size() < beams) return false;
    if (o.earlyStopping) return true;
    return f.worst() >= bestRunning / std::pow(length, o.lengthPenalty);
}

/// HF's BeamSearchScorer.finalize: each input row's best hypothesis after its prompt, then
/// EOS where it fits, then padding; sequenceScores holds the best scores.
GenerateResult bestHypotheses(const std::vector<FinishedBeams>& finished,
                              const torch::Tensor& inputIds, int64_t pad, int64_t eos) {
    const int64_t batch = inputIds.size(0), promptLen = inputIds.size(1);
    size_t longest = 0;
    std::vector<std::vector<int64_t>> best;
    std::vector<float> scores;
    for (const auto& f : finished) {
        const auto& h = f.best();
        best.push_back(h.tokens);
        if (h.eos) best.back().push_back(eos);
        scores.push_back(static_cast<float>(h.score));
        longest = std::max(longest, best.back().size());
    }
    auto out = torch::full({batch, promptLen + static_cast<int64_t>(longest)}, pad, torch::kLong);
    out.slice(1, 0, promptLen).copy_(inputIds.to(torch::kCPU, torch::kLong));
    for (int64_t b = 0; b < batch; ++b) {
        const auto& t = best[static_cast<size_t>(b)];
        if (!t.empty())
            out[b]
                .slice(0, promptLen, promptLen + static_cast<int64_t>(t.size()))
                .copy_(torch::tensor(t, torch::kLong));
    }
    GenerateResult r;
    r.sequences = out;
    r.sequenceScores = torch::tensor(scores, torch::kFloat);
    return r;
}

} // namespace

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
    auto beamScores = torch::full({batch, k}, -1e9, seq.options().dtype(torch::kFloat));
    beamScores.select(1, 0).fill_(0);
    beamScores = beamScores.view({-1});
    std::vector<FinishedBeams> finished(static_cast<size_t>(batch),
                                        FinishedBeams(static_cast<size_t>(k)));
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
        const auto logp = nextLogProbs(model, cache, seq, mask, step == 0, promptLen, o);
        const int64_t vocab = logp.size(1);
        auto total = (logp + beamScores.unsqueeze(1)).view({batch, k * vocab});
        auto [topScores, topIdx] = total.topk(2 * k, 1);
        topScores = topScores.to(torch::kCPU);
        topIdx = topIdx.to(torch::kCPU);
        const auto scoresAcc = topScores.accessor<float, 2>();
        const auto idxAcc = topIdx.accessor<int64_t, 2>();
        std::vector<int64_t> srcRows, nextTokens;
        std::vector<float> nextScores;
        for (int64_t b = 0; b < batch; ++b) {
            auto& f = finished[static_cast<size_t>(b)];
            if (done[static_cast<size_t>(b)]) { // HF pads a finished row's beams
                for (int64_t beam = 0; beam < k; ++beam) {
                    srcRows.push_back(b * k + beam);
                    nextTokens.push_back(pad);
                    nextScores.push_back(0.f);
                }
                continue;
            }
            int64_t kept = 0;
            for (int64_t c = 0; c < 2 * k && kept < k; ++c) {
                const int64_t beam = idxAcc[b][c] / vocab, token = idxAcc[b][c] % vocab;
                const int64_t row = b * k + beam;
                if (o.eosTokenId >= 0 && token == o.eosTokenId) {
                    if (c >= k) continue; // an EOS outside the top k does not finish a beam
                    f.add({scoresAcc[b][c] / std::pow(hypLength(true), o.lengthPenalty),
                           newTokens(seq, row, promptLen), true});
                    continue;
                }
                srcRows.push_back(row);
                nextTokens.push_back(token);
                nextScores.push_back(scoresAcc[b][c]);
                ++kept;
            }
            done[static_cast<size_t>(b)] =
                rowDone(f, static_cast<size_t>(k), scoresAcc[b][0], hypLength(true), o);
        }
        const auto dev = seq.device();
        const auto rows = torch::tensor(srcRows, torch::kLong).to(dev);
        seq = torch::cat({seq.index_select(0, rows),
                          torch::tensor(nextTokens, torch::kLong).to(dev).unsqueeze(1)},
                         1);
        mask = torch::cat(
            {mask.index_select(0, rows), torch::ones({mask.size(0), 1}, mask.options())}, 1);
        for (auto& t : cache.keys)
            t = t.index_select(0, rows);
        for (auto& t : cache.values)
            t = t.index_select(0, rows);
        beamScores = torch::tensor(nextScores, torch::kFloat).to(dev);
        if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
    }
    // rows that never finished add their running beams with their current scores
    for (int64_t b = 0; b < batch; ++b) {
        if (done[static_cast<size_t>(b)]) continue;
        for (int64_t beam = 0; beam < k; ++beam) {
            const int64_t row = b * k + beam;
            finished[static_cast<size_t>(b)].add(
                {beamScores[row].item<float>() / std::pow(hypLength(false), o.lengthPenalty),
                 newTokens(seq, row, promptLen), false});
        }
    }
    return bestHypotheses(finished, inputIds, pad, o.eosTokenId);
}

GenerateResult generate(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                        const torch::Tensor& attentionMask, const BeamOptions& o, bool useCache) {
    if (o.numBeams > 1) return generateBeam(model, inputIds, attentionMask, o);
    GenerateOptions g;
    g.maxNewTokens = o.maxNewTokens;
    g.eosTokenId = o.eosTokenId;
    g.padTokenId = o.padTokenId;
    g.noRepeatNgram = o.noRepeatNgram;
    g.useCache = useCache;
    return generateGreedy(model, inputIds, attentionMask, g);
}

} // namespace gt::eval
