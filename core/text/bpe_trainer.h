// Trains a byte-level BPE vocabulary (Sennrich et al., 2016; GPT-2's byte-level variant) on a
// corpus and writes it as a Hugging Face tokenizer.json that ByteLevelBpe (and HF
// tokenizers) load. Word counts come first (GPT-2 pre-tokenisation), then merges are learnt
// greedily by pair frequency with incremental pair counts, so a 15 MB corpus trains in
// seconds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gt::text {

struct BpeTrainerOptions {
    int64_t vocabSize = 8192; ///< specials + 256 byte symbols + merges
    int64_t minFrequency = 2; ///< a pair seen fewer times is never merged
    std::vector<std::string> specialTokens = {"<s>", "<pad>", "</s>", "<unk>"}; ///< ids 0..
    std::function<void(int64_t done, int64_t total)> progress; ///< merges learnt so far
};

struct TrainedBpe {
    std::vector<std::string> vocab; ///< by id: specials, bytes, then merged symbols
    std::vector<std::pair<std::string, std::string>> merges; ///< in rank order
    std::vector<std::string> specialTokens;
};

class BpeTrainer {
public:
    explicit BpeTrainer(BpeTrainerOptions options = {});
    /// Counts the pre-tokenised words of one document. Throws on invalid UTF-8.
    void addDocument(std::string_view text);
    TrainedBpe train() const;
    size_t distinctWords() const { return m_wordCounts.size(); }

private:
    BpeTrainerOptions m_options;
    std::unordered_map<std::string, int64_t> m_wordCounts;
};

/// Writes `bpe` as a HF tokenizer.json (ByteLevel pre-tokenizer/decoder, BPE model,
/// specials as added tokens), through a temporary file renamed into place.
void writeTokenizerJson(const std::filesystem::path& file, const TrainedBpe& bpe);

} // namespace gt::text
