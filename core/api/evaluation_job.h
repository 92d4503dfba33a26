// `gt eval` and the GUI's evaluation: a model scored on a dataset split (generation + ROUGE
// + loss), optionally stored as an evaluation of a new run. Torch-free header.
#pragma once

#include "core/eval/baseline_comparison.h"

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gt::api {

struct EvalJob {
    std::string modelDir;
    std::string preset;  ///< scitldr, dialogsum, debian; or empty with `file`
    std::string dataDir; ///< the preset's directory (debian: empty = built-in)
    std::string file, sourceField = "source", targetField = "target";
    std::string split = "validation"; ///< train, validation or test
    size_t limit = 0;                 ///< first N examples (0 = all)
    int64_t maxLength = 256, maxNewTokens = 32, batchSize = 16;
    bool paperGeneration = false; ///< 4 beams, repetition penalty 2.5
    int64_t numBeams = 1;
    int64_t noRepeatNgram = 0;      ///< > 0: no n-gram twice in a prediction (prompt exempt)
    double lengthPenalty = 1.0;     ///< beam search: score / length^lengthPenalty
    bool lengthOfNewTokens = false; ///< that length over the new tokens (HF 4.35: whole sequence)
    bool stem = false;
    bool leadBaseline = false; ///< also score the sources' first sentences, paired
    int threads = 0;
    std::string dbPath; ///< store the scores as a run named `runName` (empty: don't store)
    std::string runName;
    /// > 0: add the scores to this stored run (the training run of the model) as an
    /// evaluation of `split` instead of a run of their own; checked before generating.
    int64_t attachRun = 0;
};

/// The copy-the-first-sentence baseline on the same examples, and the model's paired lead.
struct LeadComparison {
    double rouge1 = 0, rouge2 = 0, rougeL = 0;                 ///< F x 100, mean
    double rouge1Low = 0, rouge1High = 0;                      ///< bootstrap 95% interval
    eval::PairedDifference rouge1Diff, rouge2Diff, rougeLDiff; ///< model - lead, x 100
    int resamples = 0; ///< bootstrap resamples behind the intervals
};

struct EvalScores {
    size_t examples = 0;
    double rouge1 = 0, rouge2 = 0, rougeL = 0, rougeLsum = 0; ///< F x 100, mean
    double rouge1Low = 0, rouge1High = 0;                     ///< bootstrap 95% interval
    double loss = 0, seconds = 0, tokensPerSecond = 0;
    std::vector<std::string> predictions, references, sources;
    std::optional<LeadComparison> lead; ///< with EvalJob::leadBaseline
    int64_t runId = 0;                  ///< when stored (the attached run, with attachRun)
    bool stopped = false;
};

/// {rouge1, rouge2, rougeL, rouge1_interval, resamples, model_minus_lead: {metric: {mean, low,
/// high, share_ahead}}}: the CLI's --json output and the stored run's config use the same form.
nlohmann::json toJson(const LeadComparison& c);

EvalScores runEvaluation(const EvalJob& job,
                         const std::function<void(size_t done, size_t total)>& onProgress = {},
                         const std::atomic<bool>* stop = nullptr);

} // namespace gt::api
