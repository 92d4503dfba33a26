#include "core/text/byte_level_bpe.h"

#include <nlohmann/json.hpp>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <climits>
#include <fstream>
#include <mutex>

namespace gt::text {
namespace {

// The GPT-2 pre-tokenizer (HF GPT2Tokenizer.pat / tokenizers ByteLevel use_regex).
constexpr const char* kPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string utf8(uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

/// GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n.
struct ByteTable {
    std::array<std::string, 256> toUnicode;
    std::unordered_map<std::string, uint8_t> toByte;
    ByteTable() {
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            toUnicode[b] =
                utf8(printable ? static_cast<uint32_t>(b) : static_cast<uint32_t>(256 + n++));
            toByte[toUnicode[b]] = static_cast<uint8_t>(b);
        }
    }
};

const ByteTable& bytes() {
    static const ByteTable t;
    return t;
}

/// Splits a UTF-8 string into code point strings.
std::vector<std::string> codepoints(const std::string& s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

nlohmann::json readJson(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (!in) throw TokenizerError(p.string() + ": cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw TokenizerError(p.string() + ": malformed JSON: " + e.what());
    }
}

} // namespace

struct ByteLevelBpe::Regex {
    pcre2_code* code = nullptr;
    ~Regex() { pcre2_code_free(code); }
};

ByteLevelBpe::ByteLevelBpe()
    : m_regex(std::make_unique<Regex>()) {}
ByteLevelBpe::~ByteLevelBpe() = default;

namespace {

/// A vocabulary id: an integer in [0, 2^24). Real vocabularies stay far below (about 256k at
/// most); an id beyond would only size tables for tokens that do not exist.
int64_t vocabId(const nlohmann::json& id, const std::string& token, const std::string& where) {
    constexpr int64_t kLimit = int64_t{1} << 24;
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= kLimit)
        throw TokenizerError(where + ": the id of '" + token + "' is " + id.dump() +
                             "; expected an integer in [0, " + std::to_string(kLimit) + ")");
    return id.get<int64_t>();
}

} // namespace

std::unique_ptr<ByteLevelBpe> ByteLevelBpe::fromFiles(const std::filesystem::path& vocabJson,
                                                      const std::filesystem::path& mergesTxt,
                                                      SpecialTokens special) {
    std::unique_ptr<ByteLevelBpe> t(new ByteLevelBpe);
    t->m_special = std::move(special);
    const auto v = readJson(vocabJson);
    if (!v.is_object()) throw TokenizerError(vocabJson.string() + ": expected {token: id}");
    for (const auto& [tok, id] : v.items())
        t->m_vocab[tok] = vocabId(id, tok, vocabJson.string());
    std::ifstream in(mergesTxt);
    if (!in) throw TokenizerError(mergesTxt.string() + ": cannot open");
    int rank = 0, lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.rfind("#version", 0) == 0) continue;
        if (std::count(line.begin(), line.end(), ' ') != 1)
            throw TokenizerError(mergesTxt.string() + ":" + std::to_string(lineNo) +
                                 ": expected two symbols separated by one space");
        t->addMerge(line, rank++, mergesTxt.string() + ":" + std::to_string(lineNo));
    }
    t->finishSetup(vocabJson.string());
    return t;
}

void ByteLevelBpe::addMerge(const std::string& pair, int rank, const std::string& where) {
    // As HF's BPE builder: both symbols and their merge must be vocabulary tokens, or the
    // merge would produce a token without an id.
    const auto space = pair.find(' ');
    const std::string a = pair.substr(0, space), b = pair.substr(space + 1);
    for (const std::string& tok : {a, b, a + b})
        if (!m_vocab.count(tok))
            throw TokenizerError(where + ": merge '" + pair + "' needs '" + tok +
                                 "', which is not in the vocabulary");
    m_mergeRank.emplace(pair, rank);
}

std::unique_ptr<ByteLevelBpe> ByteLevelBpe::fromTokenizerJson(const std::filesystem::path& file,
                                                              SpecialTokens special) {
    try {
        return fromTokenizerJsonChecked(file, std::move(special));
    } catch (const nlohmann::json::exception& e) {
        // a missing or mistyped field deep in the file: name the file, not only the JSON path
        throw TokenizerError(file.string() + ": not a byte-level BPE tokenizer.json (" + e.what() +
                             ")");
    }
}

std::unique_ptr<ByteLevelBpe>
ByteLevelBpe::fromTokenizerJsonChecked(const std::filesystem::path& file, SpecialTokens special) {
    const auto j = readJson(file);
    const auto& model = j.value("model", nlohmann::json::object());
    if (model.value("type", "") != "BPE")
        throw TokenizerError(file.string() + ": model.type is '" + model.value("type", "") +
                             "', expected BPE for a byte-level tokenizer");
    std::unique_ptr<ByteLevelBpe> t(new ByteLevelBpe);
    t->m_special = std::move(special);
    for (const auto& [tok, id] : model.at("vocab").items())
        t->m_vocab[tok] = vocabId(id, tok, file.string() + ": model.vocab");
    int rank = 0;
    for (const auto& m : model.at("merges")) {
        // "a b" (tokenizers < 0.20) or ["a", "b"] (newer)
        const std::string key = m.is_string()
                                    ? m.get<std::string>()
                                    : m.at(0).get<std::string>() + " " + m.at(1).get<std::string>();
        t->addMerge(key, rank, file.string() + ": model.merges[" + std::to_string(rank) + "]");
        ++rank;
    }
    for (const auto& a : j.value("added_tokens", nlohmann::json::array())) {
        const std::string content = a.at("content").get<std::string>();
        t->m_vocab[content] = vocabId(a.at("id"), content, file.string() + ": added_tokens");
        if (a.value("special", false) &&
            std::find(t->m_special.additional.begin(), t->m_special.additional.end(), content) ==
                t->m_special.additional.end())
            t->m_special.additional.push_back(content);
    }
    // BOS/EOS from a TemplateProcessing post-processor ("single": [SpecialToken, A, ...]).
    const auto& post = j.value("post_processor", nlohmann::json());
    if (post.is_object() && post.value("type", "") == "TemplateProcessing") {
        const auto& single = post.at("single");
        if (!single.empty() && single.front().contains("SpecialToken")) {
            t->m_special.addBos = true;
            t->m_special.bos = single.front()["SpecialToken"]["id"].get<std::string>();
        }
        if (single.size() > 1 && single.back().contains("SpecialToken")) {
            t->m_special.addEos = true;
            t->m_special.eos = single.back()["SpecialToken"]["id"].get<std::string>();
        }
    }
    t->finishSetup(file.string());
    return t;
}

void ByteLevelBpe::finishSetup(const std::string& source) {
    int64_t maxId = -1;
    for (const auto& [tok, id] : m_vocab)
        maxId = std::max(maxId, id);
    m_idToToken.assign(static_cast<size_t>(maxId + 1), std::string());
    for (const auto& [tok, id] : m_vocab)
        m_idToToken[id] = tok;
    for (const std::string& s : {m_special.bos, m_special.eos, m_special.unk, m_special.pad})
        if (!s.empty() && m_vocab.count(s)) m_specialList.push_back(s);
    for (const std::string& s : m_special.additional)
        if (!s.empty() && m_vocab.count(s)) m_specialList.push_back(s);
    std::sort(m_specialList.begin(), m_specialList.end());
    m_specialList.erase(std::unique(m_specialList.begin(), m_specialList.end()),
                        m_specialList.end());
    std::stable_sort(m_specialList.begin(), m_specialList.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    m_isSpecialId.assign(m_idToToken.size(), false);
    for (const auto& s : m_specialList)
        m_isSpecialId[m_vocab.at(s)] = true;
    for (int b = 0; b < 256; ++b)
        if (!m_vocab.count(bytes().toUnicode[b]))
            throw TokenizerError(source + ": the vocabulary lacks the byte-level symbol for byte " +
                                 std::to_string(b) + " (not a byte-level BPE vocabulary?)");
    int err = 0;
    PCRE2_SIZE offset = 0;
    m_regex->code =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kPattern), PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err, &offset, nullptr);
    if (!m_regex->code) throw TokenizerError("internal error: cannot compile the GPT-2 pattern");
    pcre2_jit_compile(m_regex->code, PCRE2_JIT_COMPLETE);
}

int64_t ByteLevelBpe::tokenId(const std::string& token) const {
    auto it = m_vocab.find(token);
    return it == m_vocab.end() || token.empty() ? -1 : it->second;
}

void ByteLevelBpe::bpe(const std::string& piece, std::vector<std::string>& out) const {
    {
        std::lock_guard lock(m_cacheMutex);
        auto it = m_cache.find(piece);
        if (it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<std::string> word = codepoints(piece);
    while (word.size() > 1) {
        int best = INT_MAX;
        size_t at = 0;
        for (size_t i = 0; i + 1 < word.size(); ++i) {
            auto it = m_mergeRank.find(word[i] + " " + word[i + 1]);
            if (it != m_mergeRank.end() && it->second < best) {
                best = it->second;
                at = i;
            }
        }
        if (best == INT_MAX) break;
        // merge every occurrence of the best pair, left to right (as GPT-2's bpe() does)
        const std::string a = word[at], b = word[at + 1];
        std::vector<std::string> merged;
        for (size_t i = 0; i < word.size();) {
            if (i + 1 < word.size() && word[i] == a && word[i + 1] == b) {
                merged.push_back(a + b);
                i += 2;
            } else {
                merged.push_back(word[i++]);
            }
        }
        word = std::move(merged);
    }
    std::lock_guard lock(m_cacheMutex);
    if (m_cache.size() < 100000) m_cache.emplace(piece, word);
    out.insert(out.end(), word.begin(), word.end());
}

void ByteLevelBpe::tokenizeSegment(std::string_view text, std::vector<std::string>& out) const {
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(m_regex->code, nullptr);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    PCRE2_SIZE start = 0;
    while (start < text.size()) {
        const int rc = pcre2_match(m_regex->code, subject, text.size(), start, PCRE2_NO_UTF_CHECK,
                                   md, nullptr);
        if (rc < 0) break;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        if (ov[1] == ov[0]) break; // the pattern never matches empty; stop defensively
        std::string mapped;
        for (PCRE2_SIZE i = ov[0]; i < ov[1]; ++i)
            mapped += bytes().toUnicode[static_cast<uint8_t>(text[i])];
        bpe(mapped, out);
        start = ov[1];
    }
    pcre2_match_data_free(md);
}

const std::string& ByteLevelBpe::byteSymbol(uint8_t b) {
    return bytes().toUnicode[b];
}

std::vector<std::string> ByteLevelBpe::preTokenize(std::string_view text) {
    struct Compiled {
        pcre2_code* code = nullptr;
        Compiled() {
            int err = 0;
            PCRE2_SIZE offset = 0;
            code =
                pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kPattern), PCRE2_ZERO_TERMINATED,
                              PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err, &offset, nullptr);
            if (code) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        }
        ~Compiled() { pcre2_code_free(code); }
    };
    static const Compiled re;
    if (!re.code) throw TokenizerError("internal error: cannot compile the GPT-2 pattern");
    requireUtf8(text);
    std::vector<std::string> out;
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(re.code, nullptr);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    for (PCRE2_SIZE start = 0; start < text.size();) {
        if (pcre2_match(re.code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr) < 0)
            break;
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        if (ov[1] == ov[0]) break;
        std::string mapped;
        for (PCRE2_SIZE i = ov[0]; i < ov[1]; ++i)
            mapped += bytes().toUnicode[static_cast<uint8_t>(text[i])];
        out.push_back(std::move(mapped));
        start = ov[1];
    }
    pcre2_match_data_free(md);
    return out;
}

std::vector<std::string> ByteLevelBpe::tokenize(std::string_view text) const {
    requireUtf8(text);
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        // the leftmost special token (longest first at the same position)
        size_t best = std::string_view::npos;
        const std::string* which = nullptr;
        for (const std::string& s : m_specialList) {
            const size_t at = text.find(s, pos);
            if (at < best) {
                best = at;
                which = &s;
            }
        }
        tokenizeSegment(
            text.substr(pos, best == std::string_view::npos ? std::string_view::npos : best - pos),
            out);
        if (!which) break;
        out.push_back(*which);
        pos = best + which->size();
    }
    return out;
}

std::vector<int64_t> ByteLevelBpe::encode(std::string_view text, bool addSpecialTokens) const {
    std::vector<int64_t> ids;
    if (addSpecialTokens && m_special.addBos && bosId() >= 0) ids.push_back(bosId());
    for (const std::string& tok : tokenize(text))
        ids.push_back(m_vocab.at(tok));
    if (addSpecialTokens && m_special.addEos && eosId() >= 0) ids.push_back(eosId());
    return ids;
}

std::string ByteLevelBpe::decode(const std::vector<int64_t>& ids, bool skipSpecialTokens,
                                 bool cleanup) const {
    std::string out;
    for (int64_t id : ids) {
        if (id < 0 || id >= vocabSize())
            throw TokenizerError("decode: token id " + std::to_string(id) +
                                 " is outside the vocabulary (0.." +
                                 std::to_string(vocabSize() - 1) + ")");
        if (m_isSpecialId[id]) {
            if (!skipSpecialTokens) out += m_idToToken[id];
            continue;
        }
        for (const std::string& cp : codepoints(m_idToToken[id])) {
            auto it = bytes().toByte.find(cp);
            out += it == bytes().toByte.end() ? cp : std::string(1, static_cast<char>(it->second));
        }
    }
    return cleanup ? cleanUpTokenization(std::move(out)) : out;
}

} // namespace gt::text
