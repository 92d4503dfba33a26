#include "core/eval/baseline_comparison.h"

#include "core/eval/rouge.h"

#include <random>
#include <stdexcept>

namespace gt::eval {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string leadSentence(std::string_view source) {
    source = trimmed(source);
    for (size_t i = 0; i < source.size(); ++i) {
        const char c = source[i];
        if (c == '\n') return std::string(trimmed(source.substr(0, i)));
        const bool endsWord = i + 1 == source.size() || isSpace(source[i + 1]);
        if ((c == '.' || c == '!' || c == '?') && endsWord)
            return std::string(source.substr(0, i + 1));
    }
    return std::string(source);
}

PairedDifference pairedBootstrap(const std::vector<double>& a, const std::vector<double>& b,
                                 int samples, uint64_t seed) {
    if (a.size() != b.size())
        throw std::invalid_argument("paired bootstrap: " + std::to_string(a.size()) + " and " +
                                    std::to_string(b.size()) + " scores (expected the same)");
    if (a.empty()) throw std::invalid_argument("paired bootstrap: no examples");
    const size_t n = a.size();
    std::vector<double> diff(n);
    PairedDifference d;
    for (size_t i = 0; i < n; ++i) {
        diff[i] = a[i] - b[i];
        d.mean += diff[i] / static_cast<double>(n);
    }
    if (samples <= 0) return d;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::vector<double> means;
    means.reserve(static_cast<size_t>(samples));
    size_t ahead = 0;
    for (int s = 0; s < samples; ++s) {
        double sum = 0;
        for (size_t i = 0; i < n; ++i)
            sum += diff[pick(rng)];
        means.push_back(sum / static_cast<double>(n));
        ahead += means.back() > 0 ? 1 : 0;
    }
    d.low = percentile(means, 2.5);
    d.high = percentile(means, 97.5);
    d.shareAhead = static_cast<double>(ahead) / samples;
    return d;
}

} // namespace gt::eval
