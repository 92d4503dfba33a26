// Comparing a summarizer with the copy-the-first-sentence ("lead") baseline on the same
// examples. Two means with overlapping intervals say little; a paired bootstrap of the
// per-example difference says how often the model is ahead when the examples are redrawn.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gt::eval {

/// The source's first sentence: up to and including the first '.', '!' or '?' that ends a
/// word (followed by white space or the end), or up to the first line break, whichever
/// comes first; white space around it is trimmed. "version 2.0 of ..." is not cut at "2.".
std::string leadSentence(std::string_view source);

struct PairedDifference {
    double mean = 0.0;       ///< mean of a_i - b_i
    double low = 0.0;        ///< 2.5th percentile of the resampled mean differences
    double high = 0.0;       ///< 97.5th percentile
    double shareAhead = 0.0; ///< share of resamples whose mean difference is > 0
};

/// Paired bootstrap of mean(a - b): each of `samples` resamples draws the example indices
/// once, with replacement, and uses them for both systems. Throws std::invalid_argument
/// when the sizes differ or there are no examples.
PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b,
                                 int samples = 1000, uint64_t seed = 1234);

} // namespace gt::eval
