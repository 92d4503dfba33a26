#include "core/text/sentencepiece_tokenizer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace gt::text {
namespace {

const std::string kUnderline = "\xE2\x96\x81"; // U+2581, SentencePiece's space

/// The functions of the dlopen'ed module (spm_shim.cpp).
struct Shim {
    void* (*load)(const char*, int, char*, int) = nullptr;
    void (*free)(void*) = nullptr;
    long (*encodePieces)(void*, const char*, long, char*, long) = nullptr;
    long (*decodePieces)(void*, const char*, long, char*, long) = nullptr;
    int (*vocabSize)(void*) = nullptr;
    const char* (*idToPiece)(void*, int) = nullptr;
    int (*pieceToId)(void*, const char*) = nullptr;
};

std::string shimPath() {
    if (const char* env = std::getenv("GT_SPM_SHIM"); env && *env) return env;
    // next to the executable first (installed layout), then the build tree
    char exe[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        const std::filesystem::path dir =
            std::filesystem::path(std::string(exe, static_cast<size_t>(n))).parent_path();
        for (const auto& p :
             {dir / "libgt_spm_shim.so", dir / "../lib/greentrainer/libgt_spm_shim.so"})
            if (std::filesystem::exists(p)) return p.string();
    }
    return GT_SPM_SHIM_PATH;
}

const Shim& shim() {
    static const Shim s = [] {
        Shim t;
        const std::string path = shimPath();
        // A link-map namespace of its own: libsentencepiece's protobuf 3.14 symbols resolve
        // inside it, never to LibTorch's protobuf 3.21 (toolchain.md). Unlike RTLD_DEEPBIND,
        // which the sanitizer runtimes refuse, this works in every build.
        void* lib = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!lib)
            throw TokenizerError("cannot load the SentencePiece module " + path + ": " + dlerror() +
                                 " (set GT_SPM_SHIM to its path)");
        auto sym = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            if (!fn) throw TokenizerError(path + ": missing symbol " + name);
        };
        sym(t.load, "gt_spm_load");
        sym(t.free, "gt_spm_free");
        sym(t.encodePieces, "gt_spm_encode_pieces");
        sym(t.decodePieces, "gt_spm_decode_pieces");
        sym(t.vocabSize, "gt_spm_vocab_size");
        sym(t.idToPiece, "gt_spm_id_to_piece");
        sym(t.pieceToId, "gt_spm_piece_to_id");
        return t;
    }();
    return s;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
        s.replace(p, from.size(), to);
    return s;
}

bool startsWith(const std::string& s, const std::string& p) {
    return s.rfind(p, 0) == 0;
}

} // namespace

std::unique_ptr<SentencePieceTokenizer>
SentencePieceTokenizer::open(const std::filesystem::path& model, SpmOptions options) {
    const Shim& s = shim();
    std::unique_ptr<SentencePieceTokenizer> t(new SentencePieceTokenizer);
    t->m_options = options;
    t->m_special = options.special;
    char err[512] = {};
    // LlamaTokenizer(legacy=False) loads the model with the dummy prefix switched off.
    const bool noDummy = options.flavor == SpmFlavor::Llama && !options.legacy;
    t->m_handle = s.load(model.c_str(), noDummy ? 1 : 0, err, sizeof err);
    if (!t->m_handle)
        throw TokenizerError(model.string() + ": cannot load the SentencePiece model (" + err +
                             ")");
    t->m_spSize = s.vocabSize(t->m_handle);
    t->m_size = t->m_spSize + options.extraIds;
    for (int i = 0; i < options.extraIds; ++i)
        t->m_added["<extra_id_" + std::to_string(i) + ">"] = t->m_size - 1 - i;
    for (const std::string& tok :
         {options.special.bos, options.special.eos, options.special.unk, options.special.pad}) {
        if (tok.empty()) continue;
        t->m_specialTokens.push_back(tok);
        if (t->tokenId(tok) < 0 || (s.pieceToId(t->m_handle, tok.c_str()) ==
                                        s.pieceToId(t->m_handle, options.special.unk.c_str()) &&
                                    tok != options.special.unk)) {
            t->m_added[tok] = t->m_size + static_cast<int64_t>(t->m_added.size()) -
                              options.extraIds; // appended after the vocabulary
        }
    }
    for (int i = 0; i < options.extraIds; ++i)
        t->m_specialTokens.push_back("<extra_id_" + std::to_string(i) + ">");
    for (const auto& [tok, id] : t->m_added)
        t->m_addedById[id] = tok;
    t->m_unkId = t->tokenId(options.special.unk);
    t->m_splitTokens = t->m_specialTokens;
    std::stable_sort(t->m_splitTokens.begin(), t->m_splitTokens.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    t->m_unkLength = t->encodePieces(options.special.unk).size();
    return t;
}

SentencePieceTokenizer::~SentencePieceTokenizer() {
    if (m_handle) shim().free(m_handle);
}

std::vector<std::string> SentencePieceTokenizer::encodePieces(std::string_view text) const {
    std::string buf(text.size() * 4 + 64, '\0');
    long n = shim().encodePieces(m_handle, text.data(), static_cast<long>(text.size()), buf.data(),
                                 static_cast<long>(buf.size()));
    if (n > static_cast<long>(buf.size())) {
        buf.resize(static_cast<size_t>(n));
        n = shim().encodePieces(m_handle, text.data(), static_cast<long>(text.size()), buf.data(),
                                n);
    }
    std::vector<std::string> pieces; // 4-byte length, then the bytes (pieces may hold NUL)
    for (long i = 0; i + 4 <= n;) {
        uint32_t len = 0;
        std::memcpy(&len, buf.data() + i, 4);
        pieces.emplace_back(buf.data() + i + 4, len);
        i += 4 + static_cast<long>(len);
    }
    return pieces;
}

std::string SentencePieceTokenizer::decodePieces(const std::vector<std::string>& pieces) const {
    std::string joined;
    for (const auto& p : pieces) {
        if (p.empty()) continue; // an emptied first piece contributes nothing
        const uint32_t len = static_cast<uint32_t>(p.size());
        joined.append(reinterpret_cast<const char*>(&len), 4);
        joined += p;
    }
    if (joined.empty()) return {};
    std::string out(joined.size() * 2 + 64, '\0');
    long n = shim().decodePieces(m_handle, joined.data(), static_cast<long>(joined.size()),
                                 out.data(), static_cast<long>(out.size()));
    if (n > static_cast<long>(out.size())) {
        out.resize(static_cast<size_t>(n));
        n = shim().decodePieces(m_handle, joined.data(), static_cast<long>(joined.size()),
                                out.data(), n);
    }
    out.resize(static_cast<size_t>(n));
    return out;
}

int64_t SentencePieceTokenizer::tokenId(const std::string& token) const {
    if (token.empty()) return -1;
    if (auto it = m_added.find(token); it != m_added.end()) return it->second;
    return shim().pieceToId(m_handle, token.c_str());
}

std::string SentencePieceTokenizer::idToToken(int64_t id) const {
    if (auto it = m_addedById.find(id); it != m_addedById.end()) return it->second;
    if (id >= 0 && id < m_spSize) return shim().idToPiece(m_handle, static_cast<int>(id));
    throw TokenizerError("decode: token id " + std::to_string(id) +
                         " is outside the vocabulary (0.." +
                         std::to_string(m_spSize + static_cast<int64_t>(m_added.size()) - 1) + ")");
}

bool SentencePieceTokenizer::isSpecial(const std::string& token) const {
    return std::find(m_specialTokens.begin(), m_specialTokens.end(), token) !=
           m_specialTokens.end();
}

std::vector<std::string> SentencePieceTokenizer::tokenizeChunk(const std::string& chunk) const {
    auto pieces = encodePieces(chunk);
    if (m_options.flavor == SpmFlavor::Llama && !m_options.legacy &&
        (startsWith(chunk, kUnderline) || startsWith(chunk, " "))) {
        // HF LlamaTokenizer(legacy=False)._tokenize: encode unk + text, drop the unk's pieces
        pieces = encodePieces(m_options.special.unk + chunk);
        pieces.erase(pieces.begin(),
                     pieces.begin() + static_cast<long>(std::min(m_unkLength, pieces.size())));
    }
    for (auto& p : pieces) // unknown characters are the unk token
        if (tokenId(p) == m_unkId) p = m_options.special.unk;
    return pieces;
}

std::vector<std::string> SentencePieceTokenizer::tokenize(std::string_view input) const {
    requireUtf8(input);
    std::string text(input);
    const bool llamaNew =
        m_options.flavor == SpmFlavor::Llama && !m_options.legacy && !text.empty();
    if (llamaNew) text = kUnderline + replaceAll(text, kUnderline, " ");
    // Split on special tokens (leftmost, longest), as HF's added-token trie does.
    std::vector<std::string> chunks;
    std::vector<bool> special;
    for (size_t pos = 0; pos < text.size();) {
        size_t best = std::string::npos;
        const std::string* which = nullptr;
        for (const auto& s : m_splitTokens) {
            const size_t at = text.find(s, pos);
            if (at < best) {
                best = at;
                which = &s;
            }
        }
        chunks.push_back(
            text.substr(pos, best == std::string::npos ? std::string::npos : best - pos));
        special.push_back(false);
        if (!which) break;
        chunks.push_back(*which);
        special.push_back(true);
        pos = best + which->size();
    }
    // T5's sentinels strip the whitespace around them (AddedToken lstrip/rstrip).
    for (size_t i = 0; i < chunks.size(); ++i) {
        if (!special[i] || !startsWith(chunks[i], "<extra_id_")) continue;
        if (i > 0) chunks[i - 1].erase(chunks[i - 1].find_last_not_of(" \t\n\r") + 1);
        if (i + 1 < chunks.size())
            chunks[i + 1].erase(0, chunks[i + 1].find_first_not_of(" \t\n\r"));
    }
    std::vector<std::string> tokens;
    for (size_t i = 0; i < chunks.size(); ++i) {
        if (chunks[i].empty()) continue;
        if (special[i]) {
            tokens.push_back(chunks[i]);
        } else {
            auto t = tokenizeChunk(chunks[i]);
            tokens.insert(tokens.end(), t.begin(), t.end());
        }
    }
    if (llamaNew && tokens.size() > 1 && tokens[0] == kUnderline && isSpecial(tokens[1]))
        tokens.erase(tokens.begin());
    return tokens;
}

std::vector<int64_t> SentencePieceTokenizer::encode(std::string_view text,
                                                    bool addSpecialTokens) const {
    std::vector<int64_t> ids;
    if (addSpecialTokens && m_special.addBos && bosId() >= 0) ids.push_back(bosId());
    for (const auto& t : tokenize(text))
        ids.push_back(tokenId(t));
    // T5 appends EOS unless the text already ends with it
    if (addSpecialTokens && m_special.addEos && eosId() >= 0 &&
        (ids.empty() || ids.back() != eosId()))
        ids.push_back(eosId());
    return ids;
}

// HF convert_tokens_to_string of LlamaTokenizer / T5Tokenizer.
std::string SentencePieceTokenizer::tokensToString(std::vector<std::string> tokens) const {
    if (tokens.empty()) return {};
    const bool t5 = m_options.flavor == SpmFlavor::T5;
    if (startsWith(tokens[0], kUnderline)) tokens[0] = tokens[0].substr(kUnderline.size());
    std::vector<std::string> current;
    std::string out;
    bool prevSpecial = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (isSpecial(tokens[i])) {
            if (!prevSpecial && (t5 || (i != 0 && m_options.legacy))) out += " ";
            out += decodePieces(current) + tokens[i];
            prevSpecial = true;
            current.clear();
        } else {
            current.push_back(tokens[i]);
            prevSpecial = false;
        }
    }
    out += decodePieces(current);
    if (t5) {
        const auto b = out.find_first_not_of(" \t\n\r\f\v"),
                   e = out.find_last_not_of(" \t\n\r\f\v");
        out = b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
    }
    return out;
}

std::string SentencePieceTokenizer::decode(const std::vector<int64_t>& ids, bool skipSpecialTokens,
                                           bool cleanup) const {
    std::vector<std::string> tokens;
    for (int64_t id : ids) {
        const std::string t = idToToken(id);
        if (skipSpecialTokens && isSpecial(t)) continue;
        tokens.push_back(t);
    }
    const std::string s = tokensToString(std::move(tokens));
    return cleanup ? cleanUpTokenization(s) : s;
}

} // namespace gt::text
