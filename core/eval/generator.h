// Greedy decoding with a KV cache, batched with left padding, following HF generate():
// positions = cumsum(mask) - 1 (1 at padding), finished rows continue with the pad token, and
// decoding stops early once every row has produced EOS. Beam search follows HF 4.35's
// beam_search() and BeamSearchScorer step for step (checked against its outputs and scores).
#pragma once

#include "core/model/causal_lm.h"

#include <vector>

namespace gt::eval {

struct GenerateOptions {
    int64_t maxNewTokens = 64;
    int64_t eosTokenId = -1; ///< -1: never stop early
    int64_t padTokenId = -1; ///< -1: use eosTokenId (HF's open-end default)
    bool useCache = true;    ///< false recomputes the whole prefix each step (reference path)
    bool keepScores = false; ///< keep each step's next-token logits
    /// > 0: never repeat an n-gram of this size within the generated text. Unlike HF's
    /// no_repeat_ngram_size the prompt is exempt, so copying words from the source stays open.
    int64_t noRepeatNgram = 0;
};

struct GenerateResult {
    torch::Tensor sequences;           ///< (B, S + new) prompt followed by the new tokens
    std::vector<torch::Tensor> scores; ///< per step (B, V), when keepScores
    /// Beam search: (B) the chosen hypotheses' length-normalised log-probabilities (HF's
    /// sequences_scores); undefined for greedy decoding.
    torch::Tensor sequenceScores;
};

struct BeamOptions {
    int64_t numBeams = 4; ///< the paper's setting
    int64_t maxNewTokens = 64;
    double repetitionPenalty = 2.5; ///< HF RepetitionPenaltyLogitsProcessor (1 = off)
    double lengthPenalty = 1.0;     ///< finished score = sum log p / length^lengthPenalty
    /// false: the length is the whole sequence, prompt included (HF 4.35 for decoder-only
    /// models), which barely tells short answers from long ones after a long prompt; true:
    /// the generated tokens only (EOS included), so lengthPenalty > 0 really favours length.
    bool lengthOfNewTokens = false;
    /// true: a row stops once numBeams hypotheses have finished; false: once HF's bound says
    /// no running beam can beat the worst finished one (best running score / length^penalty)
    bool earlyStopping = true;
    int64_t eosTokenId = -1;
    int64_t padTokenId = -1;
    int64_t noRepeatNgram = 0; ///< as GenerateOptions::noRepeatNgram
};

/// Sets to -inf, per row of `scores` (R, V), every token that would complete an n-gram already
/// present in `seq` (R, L) from column `start` on (the generated part).
void banRepeatedNgrams(torch::Tensor& scores, const torch::Tensor& seq, int64_t start, int64_t n);

/// Beam search with a KV cache (one row per beam, the cache reordered every step). Returns
/// the best hypothesis per input row in HF's layout (prompt, new tokens, EOS where it fits,
/// then the pad token) and its score.
GenerateResult generateBeam(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                            const torch::Tensor& attentionMask, const BeamOptions& options);

/// The one entry point for callers with a decoding setting: greedy decoding for one beam
/// (its EOS, pad, length and n-gram settings; `useCache` false is the reference path), beam
/// search for more.
GenerateResult generate(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                        const torch::Tensor& attentionMask, const BeamOptions& options,
                        bool useCache = true);

/// `inputIds` (B, S) left-padded, `attentionMask` (B, S) (undefined = no padding).
GenerateResult generateGreedy(model::CausalLMImpl& model, const torch::Tensor& inputIds,
                              const torch::Tensor& attentionMask, const GenerateOptions& options);

} // namespace gt::eval
