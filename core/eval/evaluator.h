// Scores a model on a split: validation loss (teacher forcing), generation (greedy or beam,
// batched with left padding, KV cache) and ROUGE against every reference. Progress callbacks
// and a stop flag make it usable from the GUI worker; the CLI's `gt eval`, the trainer's
// validation passes and `gt demo` all go through it.
#pragma once

#include "core/data/dataset.h"
#include "core/data/summarization_batches.h"
#include "core/eval/generator.h"
#include "core/eval/rouge.h"
#include "core/text/tokenizer.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace gt::eval {

struct EvalOptions {
    data::PromptOptions prompt;
    int64_t maxNewTokens = 32;
    int64_t batchSize = 16;
    int64_t numBeams = 1;           ///< 1 = greedy; > 1 = beam search (paper preset: 4)
    double repetitionPenalty = 1.0; ///< beam search only (paper preset: 2.5)
    double lengthPenalty = 1.0;
    bool lengthOfNewTokens = false; ///< beam length normalisation over new tokens only
    int64_t noRepeatNgram = 0;      ///< > 0: no n-gram twice in a prediction (the prompt is exempt)
    bool stem = false;              ///< Porter stemmer in ROUGE
    bool computeLoss = true;
    size_t bootstrap = 1000; ///< resamples for the interval (0 = mean only)
    uint64_t seed = 1234;
};

/// The paper's generation settings: beam search with 4 beams, repetition penalty 2.5.
EvalOptions paperGenerationPreset();

struct ExampleResult {
    std::string prediction;
    RougeScores scores; ///< max over the references, per metric
    double loss = 0;    ///< teacher-forced loss of the first reference
};

struct EvalResult {
    std::vector<ExampleResult> examples;
    RougeAggregate rouge; ///< means (and bootstrap interval) over the examples
    double meanLoss = 0;  ///< NaN when not computed
    double seconds = 0, generatedTokens = 0;
    bool stopped = false; ///< the stop flag ended it early (the examples so far count)
};

class Evaluator {
public:
    Evaluator(model::CausalLMImpl& model, const text::Tokenizer& tokenizer, EvalOptions options);
    EvalResult run(const std::vector<data::Example>& examples,
                   const std::function<void(size_t done, size_t total)>& onProgress = {},
                   const std::atomic<bool>* stop = nullptr);

private:
    std::vector<std::string> generate(const std::vector<const data::Example*>& batch,
                                      double& newTokens);
    model::CausalLMImpl& m_model;
    const text::Tokenizer& m_tok;
    EvalOptions m_options;
};

} // namespace gt::eval
