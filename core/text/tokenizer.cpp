#include "core/text/tokenizer.h"

#include "core/text/byte_level_bpe.h"
#include "core/text/sentencepiece_tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace fs = std::filesystem;

namespace gt::text {

void requireUtf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            len = 1;
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && i + len <= s.size();
        for (size_t k = 1; ok && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            ok = (cc & 0xC0) == 0x80;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // reject overlong forms, surrogates and code points past U+10FFFF
        ok = ok && !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
             !(len == 4 && cp < 0x10000) && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
        if (!ok)
            throw TokenizerError("text is not valid UTF-8 (bad byte 0x" +
                                 [&] {
                                     char b[4];
                                     std::snprintf(b, sizeof b, "%02X", c);
                                     return std::string(b);
                                 }() +
                                 " at offset " + std::to_string(i) + ")");
        i += len;
    }
}

std::string cleanUpTokenization(std::string s) {
    static const std::pair<const char*, const char*> rules[] = {
        {" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
        {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto& [from, to] : rules) {
        const std::string f = from, t = to;
        for (size_t p = s.find(f); p != std::string::npos; p = s.find(f, p + t.size()))
            s.replace(p, f.size(), t);
    }
    return s;
}

namespace {

std::string tokenString(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return {};
    const auto& v = j[key];
    return v.is_string() ? v.get<std::string>() : v.value("content", std::string());
}

/// Defaults of the HF tokenizer classes per model type, then tokenizer_config.json on top.
SpecialTokens specialTokensFor(const fs::path& dir) {
    SpecialTokens s;
    std::string modelType;
    if (std::ifstream c(dir / "config.json"); c) {
        const auto j = nlohmann::json::parse(c, nullptr, false);
        if (j.is_object()) modelType = j.value("model_type", "");
    }
    if (modelType == "opt") {
        s.bos = s.eos = s.unk = "</s>";
        s.pad = "<pad>";
        s.addBos = true;
    } else if (modelType == "bloom") {
        s.bos = "<s>";
        s.eos = "</s>";
        s.unk = "<unk>";
        s.pad = "<pad>";
    } else { // GPT-2 and byte-level defaults
        s.bos = s.eos = s.unk = "<|endoftext|>";
    }
    if (std::ifstream c(dir / "tokenizer_config.json"); c) {
        const auto j = nlohmann::json::parse(c, nullptr, false);
        if (j.is_object()) {
            for (auto [key, field] :
                 {std::pair{"bos_token", &s.bos}, std::pair{"eos_token", &s.eos},
                  std::pair{"unk_token", &s.unk}, std::pair{"pad_token", &s.pad}})
                if (j.contains(key)) *field = tokenString(j, key);
            s.addBos = j.value("add_bos_token", s.addBos);
            s.addEos = j.value("add_eos_token", s.addEos);
        }
    }
    return s;
}

} // namespace

std::unique_ptr<Tokenizer> Tokenizer::load(const fs::path& path) {
    const fs::path dir = fs::is_directory(path) ? path : path.parent_path();
    std::string modelType;
    nlohmann::json cfg;
    if (std::ifstream c(dir / "tokenizer_config.json"); c)
        cfg = nlohmann::json::parse(c, nullptr, false);
    if (std::ifstream c(dir / "config.json"); c) {
        const auto j = nlohmann::json::parse(c, nullptr, false);
        if (j.is_object()) modelType = j.value("model_type", "");
    }
    // SentencePiece models (LLaMA, T5) ship tokenizer.model / spiece.model; prefer it over a
    // tokenizer.json that is not byte-level.
    for (const char* name : {"tokenizer.model", "spiece.model"}) {
        if (!fs::exists(dir / name)) continue;
        SpmOptions o;
        o.flavor = modelType == "t5" ? SpmFlavor::T5 : SpmFlavor::Llama;
        if (o.flavor == SpmFlavor::T5) {
            o.special.eos = "</s>";
            o.special.unk = "<unk>";
            o.special.pad = "<pad>";
            o.special.addEos = true;
            o.extraIds = 100;
        } else {
            o.special.bos = "<s>";
            o.special.eos = "</s>";
            o.special.unk = "<unk>";
            o.special.addBos = true;
        }
        if (cfg.is_object()) {
            o.legacy = cfg.value("legacy", nlohmann::json(true)).is_boolean()
                           ? cfg.value("legacy", true)
                           : true;
            o.extraIds = cfg.value("extra_ids", o.extraIds);
            o.special.addBos = cfg.value("add_bos_token", o.special.addBos);
            o.special.addEos = cfg.value("add_eos_token", o.special.addEos);
        }
        return SentencePieceTokenizer::open(dir / name, o);
    }
    const SpecialTokens special = specialTokensFor(dir);
    if (fs::exists(dir / "tokenizer.json"))
        return ByteLevelBpe::fromTokenizerJson(dir / "tokenizer.json", special);
    if (fs::exists(dir / "vocab.json") && fs::exists(dir / "merges.txt"))
        return ByteLevelBpe::fromFiles(dir / "vocab.json", dir / "merges.txt", special);
    throw TokenizerError(dir.string() +
                         ": no tokenizer found (expected tokenizer.json, vocab.json and "
                         "merges.txt, or tokenizer.model)");
}

std::unique_ptr<Tokenizer> Tokenizer::loadForModel(const fs::path& dir, int64_t modelVocab) {
    auto tok = load(dir);
    if (tok->vocabSize() > modelVocab)
        throw TokenizerError(
            dir.string() + ": the tokenizer has " + std::to_string(tok->vocabSize()) +
            " ids but config.json's "
            "vocab_size is " +
            std::to_string(modelVocab) + "; ids from " + std::to_string(modelVocab) +
            " on have no embedding row (is the tokenizer from another model?)");
    return tok;
}

} // namespace gt::text
