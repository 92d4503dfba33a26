// Tokenizers behind one interface: byte-level BPE (GPT-2, OPT, BLOOM) from tokenizer.json or
// vocab.json + merges.txt, and SentencePiece (LLaMA, T5) from tokenizer.model through an
// isolated module (sentencepiece_tokenizer.h). Encoding matches the Hugging Face tokenizers
// id for id (tested on 218 strings per tokenizer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gt::text {

class TokenizerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Special tokens and the BOS/EOS rule a model's tokenizer settings give.
struct SpecialTokens {
    std::string bos, eos, unk, pad;      ///< empty = none
    std::vector<std::string> additional; ///< more strings never split by the model
    bool addBos = false;                 ///< prepend BOS when encoding with specials
    bool addEos = false;                 ///< append EOS when encoding with specials
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    /// Throws TokenizerError for text that is not valid UTF-8 (naming the byte offset).
    virtual std::vector<int64_t> encode(std::string_view text,
                                        bool addSpecialTokens = true) const = 0;
    /// Token strings as the vocabulary spells them (e.g. "Ġworld").
    virtual std::vector<std::string> tokenize(std::string_view text) const = 0;
    /// `cleanup` applies HF's clean_up_tokenization (" ." -> ".", " n't" -> "n't", ...).
    virtual std::string decode(const std::vector<int64_t>& ids, bool skipSpecialTokens = false,
                               bool cleanup = true) const = 0;
    virtual int64_t vocabSize() const = 0;
    /// -1 when the tokenizer has no such token.
    virtual int64_t tokenId(const std::string& token) const = 0;

    int64_t bosId() const { return tokenId(m_special.bos); }
    int64_t eosId() const { return tokenId(m_special.eos); }
    int64_t padId() const { return tokenId(m_special.pad); }
    const SpecialTokens& special() const { return m_special; }

    /// Loads what a HF model directory ships: tokenizer.json, or vocab.json + merges.txt
    /// (settings from tokenizer_config.json / special_tokens_map.json when present).
    static std::unique_ptr<Tokenizer> load(const std::filesystem::path& dir);
    /// load(dir), refusing a tokenizer whose ids reach past the model's embedding table
    /// (`modelVocab`, config.json's vocab_size): those ids have no row to look up.
    static std::unique_ptr<Tokenizer> loadForModel(const std::filesystem::path& dir,
                                                   int64_t modelVocab);

protected:
    SpecialTokens m_special;
};

/// Throws TokenizerError when `text` is not valid UTF-8.
void requireUtf8(std::string_view text);

/// HF clean_up_tokenization.
std::string cleanUpTokenization(std::string s);

} // namespace gt::text
