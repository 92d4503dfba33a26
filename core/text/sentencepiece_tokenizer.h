// SentencePiece tokenizers (tokenizer.model / spiece.model) with the Hugging Face slow
// tokenizers' rules on top: LlamaTokenizer (legacy and legacy=False) and T5Tokenizer (legacy,
// <extra_id_N> sentinels). The SentencePiece library runs inside a separately loaded module
// (see spm_shim.cpp) because its bundled protobuf cannot share a process with LibTorch's.
#pragma once

#include "core/text/tokenizer.h"

#include <map>

namespace gt::text {

enum class SpmFlavor { Llama, T5 };

struct SpmOptions {
    SpmFlavor flavor = SpmFlavor::Llama;
    bool legacy = true;    ///< HF's `legacy` flag (LLaMA: how text after specials is split)
    int extraIds = 0;      ///< T5 sentinels <extra_id_0..N-1>
    SpecialTokens special; ///< bos/eos/unk/pad strings; addBos / addEos
};

class SentencePieceTokenizer : public Tokenizer {
public:
    static std::unique_ptr<SentencePieceTokenizer> open(const std::filesystem::path& model,
                                                        SpmOptions options);
    ~SentencePieceTokenizer() override;

    std::vector<int64_t> encode(std::string_view text, bool addSpecialTokens = true) const override;
    std::vector<std::string> tokenize(std::string_view text) const override;
    std::string decode(const std::vector<int64_t>& ids, bool skipSpecialTokens = false,
                       bool cleanup = true) const override;
    int64_t vocabSize() const override { return m_size; }
    int64_t tokenId(const std::string& token) const override;
    std::string idToToken(int64_t id) const;

private:
    SentencePieceTokenizer() = default;
    std::vector<std::string> encodePieces(std::string_view text) const;
    std::string decodePieces(const std::vector<std::string>& pieces) const;
    std::vector<std::string> tokenizeChunk(const std::string& chunk) const;
    std::string tokensToString(std::vector<std::string> tokens) const;
    bool isSpecial(const std::string& token) const;

    void* m_handle = nullptr;
    SpmOptions m_options;
    int64_t m_spSize = 0; ///< pieces in the SentencePiece model
    int64_t m_size = 0;   ///< ids including sentinels and added tokens
    int64_t m_unkId = 0;
    size_t m_unkLength = 0; ///< pieces of the unk token's text (LLaMA legacy=False trick)
    std::map<std::string, int64_t> m_added;     ///< added tokens outside the model (sentinels, pad)
    std::map<int64_t, std::string> m_addedById; ///< the same, by id (decode looks up per token)
    std::vector<std::string> m_splitTokens;     ///< never split, longest first
    std::vector<std::string> m_specialTokens;   ///< HF all_special_tokens
};

} // namespace gt::text
