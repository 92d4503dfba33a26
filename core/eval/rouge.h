// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum exactly as Google's rouge_score computes them
// (tokenisation: lower-case, runs of [a-z0-9], optional Porter stemming of words longer than
// 3 letters; Lsum: newline-separated sentences, union LCS). Multi-reference scoring takes the
// best reference per metric; corpus aggregation is a plain mean or a seeded bootstrap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gt::eval {

struct RougeScore {
    double precision = 0.0, recall = 0.0, fmeasure = 0.0;
};

struct RougeScores {
    RougeScore rouge1, rouge2, rougeL, rougeLsum;
};

/// rouge_score's tokenizer.
std::vector<std::string> rougeTokenize(std::string_view text, bool stem);

/// Scores one prediction against one reference.
RougeScores rougeScore(std::string_view prediction, std::string_view reference, bool stem);
/// Against several references: for each metric, the reference with the best F-measure.
RougeScores rougeScoreMulti(std::string_view prediction, const std::vector<std::string>& references,
                            bool stem);

struct RougeInterval {
    double low = 0.0, mid = 0.0, high = 0.0; ///< 2.5th, 50th, 97.5th percentile of the means
};
struct RougeAggregate {
    RougeScores mean;                                ///< plain mean of the per-example scores
    RougeInterval rouge1, rouge2, rougeL, rougeLsum; ///< bootstrap of the F-measure
};

/// The q-th percentile (0..100) with linear interpolation, as numpy's default; 0 when empty.
double percentile(std::vector<double> v, double q);

/// Plain mean, plus a bootstrap (`samples` resamples, seeded) of each F-measure.
RougeAggregate aggregateRouge(const std::vector<RougeScores>& scores, int samples = 1000,
                              uint64_t seed = 1234);

} // namespace gt::eval
