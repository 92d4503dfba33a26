#include "core/text/bpe_trainer.h"

#include "core/text/byte_level_bpe.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <queue>
#include <stdexcept>

namespace gt::text {
namespace {

using PairKey = uint64_t;
PairKey key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}
int32_t first(PairKey k) {
    return static_cast<int32_t>(k >> 32);
}
int32_t second(PairKey k) {
    return static_cast<int32_t>(k & 0xffffffffu);
}

/// The mutable state of one training run: words as symbol ids, pair counts, and for every
/// pair the words it occurs in (possibly stale: checked when used).
struct MergeState {
    std::vector<std::string> symbols;
    std::vector<std::vector<int32_t>> words;
    std::vector<int64_t> freq;
    std::unordered_map<PairKey, int64_t> pairCount;
    std::unordered_map<PairKey, std::vector<int32_t>> pairWords;

    void countWord(size_t w, int sign) {
        const auto& s = words[w];
        for (size_t i = 0; i + 1 < s.size(); ++i) {
            const PairKey k = key(s[i], s[i + 1]);
            pairCount[k] += sign * freq[w];
            if (sign > 0) pairWords[k].push_back(static_cast<int32_t>(w));
        }
    }
    /// Replaces every (a, b) in word `w` with `merged`, left to right. False when absent.
    bool mergeIn(size_t w, int32_t a, int32_t b, int32_t merged) {
        auto& s = words[w];
        bool found = false;
        for (size_t i = 0; i + 1 < s.size(); ++i)
            found = found || (s[i] == a && s[i + 1] == b);
        if (!found) return false;
        countWord(w, -1);
        std::vector<int32_t> out;
        out.reserve(s.size());
        for (size_t i = 0; i < s.size();) {
            if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
                out.push_back(merged);
                i += 2;
            } else {
                out.push_back(s[i++]);
            }
        }
        s = std::move(out);
        countWord(w, +1);
        return true;
    }
};

} // namespace

BpeTrainer::BpeTrainer(BpeTrainerOptions options)
    : m_options(std::move(options)) {
    const auto minimum = static_cast<int64_t>(m_options.specialTokens.size()) + 256;
    if (m_options.vocabSize < minimum)
        throw std::invalid_argument("vocabulary size " + std::to_string(m_options.vocabSize) +
                                    " is below the " + std::to_string(minimum) +
                                    " symbols every byte-level vocabulary holds");
}

void BpeTrainer::addDocument(std::string_view text) {
    for (auto& piece : ByteLevelBpe::preTokenize(text))
        ++m_wordCounts[piece];
}

TrainedBpe BpeTrainer::train() const {
    TrainedBpe out;
    out.specialTokens = m_options.specialTokens;
    MergeState st;
    std::unordered_map<std::string, int32_t> id;
    auto addSymbol = [&](const std::string& s) {
        id.emplace(s, static_cast<int32_t>(st.symbols.size()));
        st.symbols.push_back(s);
    };
    for (const auto& s : m_options.specialTokens)
        addSymbol(s);
    for (int b = 0; b < 256; ++b)
        addSymbol(ByteLevelBpe::byteSymbol(static_cast<uint8_t>(b)));
    // Words in a fixed (sorted) order so that training is deterministic.
    std::vector<std::pair<std::string, int64_t>> sorted(m_wordCounts.begin(), m_wordCounts.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [word, count] : sorted) {
        std::vector<int32_t> syms;
        for (size_t i = 0; i < word.size();) {
            // byte-level symbols are 1-2 byte UTF-8 sequences (code points < 0x800)
            const size_t len = (static_cast<unsigned char>(word[i]) & 0x80) ? 2 : 1;
            syms.push_back(id.at(word.substr(i, len)));
            i += len;
        }
        st.words.push_back(std::move(syms));
        st.freq.push_back(count);
    }
    for (size_t w = 0; w < st.words.size(); ++w)
        st.countWord(w, +1);

    // Highest count first; ties broken by the symbols' spelling so runs are reproducible.
    struct Entry {
        int64_t count;
        PairKey pair;
    };
    auto worse = [&](const Entry& x, const Entry& y) {
        if (x.count != y.count) return x.count < y.count;
        const auto& xs = st.symbols;
        return std::tie(xs[first(x.pair)], xs[second(x.pair)]) >
               std::tie(xs[first(y.pair)], xs[second(y.pair)]);
    };
    std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
    for (const auto& [k, c] : st.pairCount)
        heap.push({c, k});
    const int64_t target = m_options.vocabSize - static_cast<int64_t>(st.symbols.size());
    while (static_cast<int64_t>(st.symbols.size()) < m_options.vocabSize && !heap.empty()) {
        const Entry top = heap.top();
        heap.pop();
        const auto it = st.pairCount.find(top.pair);
        if (it == st.pairCount.end() || it->second != top.count) continue; // stale entry
        if (top.count < m_options.minFrequency) break;
        const int32_t a = first(top.pair), b = second(top.pair);
        const std::string merged = st.symbols[a] + st.symbols[b];
        out.merges.emplace_back(st.symbols[a], st.symbols[b]);
        const auto mergedId = static_cast<int32_t>(st.symbols.size());
        addSymbol(merged);
        std::vector<int32_t> affected = std::move(st.pairWords[top.pair]);
        st.pairWords.erase(top.pair);
        std::sort(affected.begin(), affected.end());
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        std::vector<PairKey> touched;
        for (int32_t w : affected) {
            const auto& before = st.words[static_cast<size_t>(w)];
            for (size_t i = 0; i + 1 < before.size(); ++i)
                touched.push_back(key(before[i], before[i + 1]));
            if (!st.mergeIn(static_cast<size_t>(w), a, b, mergedId)) continue;
            const auto& after = st.words[static_cast<size_t>(w)];
            for (size_t i = 0; i + 1 < after.size(); ++i)
                touched.push_back(key(after[i], after[i + 1]));
        }
        st.pairCount.erase(top.pair);
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        for (PairKey k : touched)
            if (const auto c = st.pairCount.find(k); c != st.pairCount.end() && c->second > 0)
                heap.push({c->second, k});
        if (m_options.progress && out.merges.size() % 200 == 0)
            m_options.progress(static_cast<int64_t>(out.merges.size()), target);
    }
    out.vocab = std::move(st.symbols);
    return out;
}

void writeTokenizerJson(const std::filesystem::path& file, const TrainedBpe& bpe) {
    nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
    for (size_t i = 0; i < bpe.vocab.size(); ++i)
        vocab[bpe.vocab[i]] = i;
    nlohmann::ordered_json merges = nlohmann::ordered_json::array();
    for (const auto& [a, b] : bpe.merges)
        merges.push_back(a + " " + b);
    nlohmann::ordered_json added = nlohmann::ordered_json::array();
    for (size_t i = 0; i < bpe.specialTokens.size(); ++i)
        added.push_back({{"id", i},
                         {"content", bpe.specialTokens[i]},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    const nlohmann::ordered_json byteLevel = {{"type", "ByteLevel"},
                                              {"add_prefix_space", false},
                                              {"trim_offsets", true},
                                              {"use_regex", true}};
    nlohmann::ordered_json j = {{"version", "1.0"},
                                {"truncation", nullptr},
                                {"padding", nullptr},
                                {"added_tokens", added},
                                {"normalizer", nullptr},
                                {"pre_tokenizer", byteLevel},
                                {"post_processor", byteLevel},
                                {"decoder", byteLevel},
                                {"model",
                                 {{"type", "BPE"},
                                  {"dropout", nullptr},
                                  {"unk_token", nullptr},
                                  {"continuing_subword_prefix", nullptr},
                                  {"end_of_word_suffix", nullptr},
                                  {"fuse_unk", false},
                                  {"byte_fallback", false},
                                  {"vocab", vocab},
                                  {"merges", merges}}}};
    const auto tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        if (!out) throw std::runtime_error(tmp + ": cannot create");
        out << j.dump(1) << "\n";
        if (!out) throw std::runtime_error(tmp + ": write failed (disk full?)");
    }
    std::filesystem::rename(tmp, file);
}

} // namespace gt::text
