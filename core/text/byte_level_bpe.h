// Byte-level BPE (Radford et al., 2019; HF GPT2Tokenizer / tokenizers' ByteLevel + BPE):
// the GPT-2 pre-tokenizer regex (Unicode letter/number classes, via PCRE2), bytes mapped to
// printable code points, merges applied by rank. Special tokens are matched whole before
// pre-tokenisation and never split; the text between them is encoded independently.
#pragma once

#include "core/text/tokenizer.h"

#include <map>
#include <mutex>
#include <unordered_map>

namespace gt::text {

class ByteLevelBpe : public Tokenizer {
public:
    /// From GPT-2 style files: vocab.json ({token: id}) and merges.txt ("a b" per line).
    static std::unique_ptr<ByteLevelBpe> fromFiles(const std::filesystem::path& vocabJson,
                                                   const std::filesystem::path& mergesTxt,
                                                   SpecialTokens special);
    /// From a HF tokenizer.json whose model is BPE with a ByteLevel pre-tokenizer. Special
    /// tokens come from its added_tokens; BOS from its post-processor unless `special` says.
    static std::unique_ptr<ByteLevelBpe> fromTokenizerJson(const std::filesystem::path& file,
                                                           SpecialTokens special);
    ~ByteLevelBpe() override;

    std::vector<int64_t> encode(std::string_view text, bool addSpecialTokens = true) const override;
    std::vector<std::string> tokenize(std::string_view text) const override;
    std::string decode(const std::vector<int64_t>& ids, bool skipSpecialTokens = false,
                       bool cleanup = true) const override;
    int64_t vocabSize() const override { return static_cast<int64_t>(m_idToToken.size()); }
    int64_t tokenId(const std::string& token) const override;

    /// GPT-2 pre-tokenisation: `text` split by the GPT-2 pattern, each piece spelt in
    /// byte-level symbols (what BPE merges operate on). Used by the BPE trainer.
    static std::vector<std::string> preTokenize(std::string_view text);
    /// The printable symbol GPT-2's bytes_to_unicode gives byte `b`.
    static const std::string& byteSymbol(uint8_t b);

private:
    ByteLevelBpe();
    void finishSetup(const std::string& source);
    static std::unique_ptr<ByteLevelBpe> fromTokenizerJsonChecked(const std::filesystem::path& file,
                                                                  SpecialTokens special);
    /// Registers merge "a b" at `rank`; throws naming `where` when a, b or ab has no id.
    void addMerge(const std::string& pair, int rank, const std::string& where);
    void bpe(const std::string& piece, std::vector<std::string>& out) const;
    void tokenizeSegment(std::string_view text, std::vector<std::string>& out) const;

    std::unordered_map<std::string, int64_t> m_vocab;
    std::vector<std::string> m_idToToken;
    std::unordered_map<std::string, int> m_mergeRank; ///< "a b" -> rank
    std::vector<std::string> m_specialList;           ///< longest first
    std::vector<bool> m_isSpecialId;
    struct Regex;
    std::unique_ptr<Regex> m_regex;
    mutable std::mutex m_cacheMutex; ///< encode may be called from several threads
    mutable std::unordered_map<std::string, std::vector<std::string>> m_cache;
};

} // namespace gt::text
