#include "core/eval/rouge.h"

#include "core/eval/porter_stemmer.h"

#include <unordered_map>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace gt::eval {
namespace {

RougeScore score(double hits, double predTotal, double refTotal) {
    RougeScore s;
    s.precision = hits / std::max(predTotal, 1.0);
    s.recall = hits / std::max(refTotal, 1.0);
    s.fmeasure =
        s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    return s;
}

RougeScore ngramScore(const std::vector<std::string>& pred, const std::vector<std::string>& ref,
                      size_t n) {
    auto grams = [n](const std::vector<std::string>& t) {
        std::map<std::vector<std::string>, int> g;
        for (size_t i = 0; i + n <= t.size(); ++i)
            ++g[std::vector<std::string>(t.begin() + long(i), t.begin() + long(i + n))];
        return g;
    };
    const auto p = grams(pred), r = grams(ref);
    double hits = 0, pc = 0, rc = 0;
    for (const auto& [g, c] : p) {
        pc += c;
        if (auto it = r.find(g); it != r.end()) hits += std::min(c, it->second);
    }
    for (const auto& [g, c] : r)
        rc += c;
    return score(hits, pc, rc);
}

std::vector<std::vector<int>> lcsTable(const std::vector<std::string>& a,
                                       const std::vector<std::string>& b) {
    std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j)
            t[i][j] =
                a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t;
}

RougeScore lcsScore(const std::vector<std::string>& pred, const std::vector<std::string>& ref) {
    if (pred.empty() || ref.empty()) return {};
    const double lcs = lcsTable(ref, pred)[ref.size()][pred.size()];
    return score(lcs, static_cast<double>(pred.size()), static_cast<double>(ref.size()));
}

/// Indices into `ref` of one LCS with `can`, backtracked as rouge_score's _backtrack_norec.
std::vector<size_t> lcsIndices(const std::vector<std::string>& ref,
                               const std::vector<std::string>& can) {
    const auto t = lcsTable(ref, can);
    std::vector<size_t> out;
    size_t i = ref.size(), j = can.size();
    while (i > 0 && j > 0) {
        if (ref[i - 1] == can[j - 1]) {
            out.push_back(i - 1);
            --i;
            --j;
        } else if (t[i][j - 1] > t[i - 1][j]) {
            --j;
        } else {
            --i;
        }
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<std::vector<std::string>> sentences(std::string_view text, bool stem) {
    std::vector<std::vector<std::string>> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t nl = text.find('\n', start);
        const std::string_view s =
            text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!s.empty()) out.push_back(rougeTokenize(s, stem));
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

// rouge_score's _summary_level_lcs: union LCS of each reference sentence against all
// candidate sentences, each token counted at most as often as it occurs on both sides.
RougeScore summaryLcsScore(const std::vector<std::vector<std::string>>& ref,
                           const std::vector<std::vector<std::string>>& can) {
    if (ref.empty() || can.empty()) return {};
    double m = 0, n = 0;
    std::map<std::string, int> countR, countC;
    for (const auto& s : ref) {
        m += static_cast<double>(s.size());
        for (const auto& t : s)
            ++countR[t];
    }
    for (const auto& s : can) {
        n += static_cast<double>(s.size());
        for (const auto& t : s)
            ++countC[t];
    }
    if (m == 0 || n == 0) return {};
    double hits = 0;
    for (const auto& r : ref) {
        std::set<size_t> uni;
        for (const auto& c : can)
            for (size_t i : lcsIndices(r, c))
                uni.insert(i);
        for (size_t i : uni) {
            const std::string& t = r[i];
            if (countC[t] > 0 && countR[t] > 0) {
                ++hits;
                --countC[t];
                --countR[t];
            }
        }
    }
    return score(hits, n, m);
}

} // namespace

double percentile(std::vector<double> v, double q) { // numpy's default (linear)
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

namespace {
/// Words repeat across a corpus: stemming each distinct word once per thread makes the
/// stemmer path several times faster (the cache is bounded).
const std::string& cachedStem(const std::string& word) {
    thread_local std::unordered_map<std::string, std::string> cache;
    if (const auto it = cache.find(word); it != cache.end()) return it->second;
    if (cache.size() > 200000) cache.clear();
    return cache.emplace(word, porterStem(word)).first->second;
}
} // namespace

std::vector<std::string> rougeTokenize(std::string_view text, bool stem) {
    // Python's str.lower() then [^a-z0-9]+ -> " ": only ASCII letters and digits survive;
    // the two non-ASCII capitals whose lower case contains an ASCII letter are kept too.
    std::string clean;
    clean.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            const char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            clean += (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') ? l : ' ';
            ++i;
            continue;
        }
        const size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string_view cp = text.substr(i, len);
        if (cp == "\xC4\xB0")
            clean += "i "; // U+0130 -> "i" + U+0307
        else if (cp == "\xE2\x84\xAA")
            clean += 'k'; // U+212A KELVIN SIGN -> "k"
        else
            clean += ' ';
        i += len;
    }
    std::vector<std::string> tokens;
    size_t i = 0;
    while (i < clean.size()) {
        while (i < clean.size() && clean[i] == ' ')
            ++i;
        size_t j = i;
        while (j < clean.size() && clean[j] != ' ')
            ++j;
        if (j > i) {
            std::string t = clean.substr(i, j - i);
            tokens.push_back(stem && t.size() > 3 ? cachedStem(t) : t);
        }
        i = j;
    }
    return tokens;
}

RougeScores rougeScore(std::string_view prediction, std::string_view reference, bool stem) {
    const auto p = rougeTokenize(prediction, stem), r = rougeTokenize(reference, stem);
    RougeScores s;
    s.rouge1 = ngramScore(p, r, 1);
    s.rouge2 = ngramScore(p, r, 2);
    s.rougeL = lcsScore(p, r);
    s.rougeLsum = summaryLcsScore(sentences(reference, stem), sentences(prediction, stem));
    return s;
}

RougeScores rougeScoreMulti(std::string_view prediction, const std::vector<std::string>& references,
                            bool stem) {
    RougeScores best;
    bool first = true;
    for (const auto& ref : references) {
        const RougeScores s = rougeScore(prediction, ref, stem);
        auto take = [&](RougeScore& b, const RougeScore& c) {
            if (first || c.fmeasure > b.fmeasure) b = c;
        };
        take(best.rouge1, s.rouge1);
        take(best.rouge2, s.rouge2);
        take(best.rougeL, s.rougeL);
        take(best.rougeLsum, s.rougeLsum);
        first = false;
    }
    return best;
}

RougeAggregate aggregateRouge(const std::vector<RougeScores>& scores, int samples, uint64_t seed) {
    RougeAggregate a;
    if (scores.empty()) return a;
    const double n = static_cast<double>(scores.size());
    auto addMean = [n](RougeScore& m, const RougeScore& s) {
        m.precision += s.precision / n;
        m.recall += s.recall / n;
        m.fmeasure += s.fmeasure / n;
    };
    for (const auto& s : scores) {
        addMean(a.mean.rouge1, s.rouge1);
        addMean(a.mean.rouge2, s.rouge2);
        addMean(a.mean.rougeL, s.rougeL);
        addMean(a.mean.rougeLsum, s.rougeLsum);
    }
    if (samples <= 0) return a; // the mean only
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, scores.size() - 1);
    std::vector<double> m1, m2, mL, mLs;
    for (int b = 0; b < samples; ++b) {
        double s1 = 0, s2 = 0, sL = 0, sLs = 0;
        for (size_t i = 0; i < scores.size(); ++i) {
            const auto& s = scores[pick(rng)];
            s1 += s.rouge1.fmeasure;
            s2 += s.rouge2.fmeasure;
            sL += s.rougeL.fmeasure;
            sLs += s.rougeLsum.fmeasure;
        }
        m1.push_back(s1 / n);
        m2.push_back(s2 / n);
        mL.push_back(sL / n);
        mLs.push_back(sLs / n);
    }
    auto interval = [](const std::vector<double>& v) {
        return RougeInterval{percentile(v, 2.5), percentile(v, 50), percentile(v, 97.5)};
    };
    a.rouge1 = interval(m1);
    a.rouge2 = interval(m2);
    a.rougeL = interval(mL);
    a.rougeLsum = interval(mLs);
    return a;
}

} // namespace gt::eval
