// A C interface to libsentencepiece, built as a separate module and loaded with
// dlmopen(LM_ID_NEWLM) into a link-map namespace of its own: Debian's libsentencepiece carries its
// own protobuf-lite 3.14, which crashes at start-up when it shares a process's symbol namespace
// with LibTorch's protobuf 3.21 (toolchain.md). Nothing else in the project links sentencepiece.
#include <sentencepiece_processor.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

void copyError(const std::string& msg, char* err, int errlen) {
    if (err && errlen > 0) {
        std::strncpy(err, msg.c_str(), static_cast<size_t>(errlen) - 1);
        err[errlen - 1] = '\0';
    }
}

// Protobuf wire format helpers, enough to rewrite one bool of NormalizerSpec.
bool readVarint(const std::string& s, size_t& i, uint64_t& v) {
    v = 0;
    for (int shift = 0; i < s.size() && shift < 64; shift += 7) {
        const auto b = static_cast<uint8_t>(s[i++]);
        v |= static_cast<uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

void writeVarint(std::string& out, uint64_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        if (v) b |= 0x80;
        out += static_cast<char>(b);
    } while (v);
}

/// Skips one field's value of `wireType` starting at i; false on malformed input.
bool skipValue(const std::string& s, size_t& i, uint32_t wireType) {
    uint64_t v = 0;
    switch (wireType) {
    case 0:
        return readVarint(s, i, v);
    case 1:
        i += 8;
        return i <= s.size();
    case 2:
        if (!readVarint(s, i, v)) return false;
        i += v;
        return i <= s.size();
    case 5:
        i += 4;
        return i <= s.size();
    default:
        return false;
    }
}

/// ModelProto with normalizer_spec (field 3).add_dummy_prefix (field 3) set to false, the
/// change HF's LlamaTokenizer(legacy=False) makes before loading.
bool withoutDummyPrefix(const std::string& model, std::string& out) {
    size_t i = 0;
    while (i < model.size()) {
        const size_t start = i;
        uint64_t key = 0;
        if (!readVarint(model, i, key)) return false;
        const uint32_t field = static_cast<uint32_t>(key >> 3), wire = key & 7;
        if (field == 3 && wire == 2) {
            uint64_t len = 0;
            if (!readVarint(model, i, len) || i + len > model.size()) return false;
            const std::string spec = model.substr(i, len);
            i += len;
            std::string edited;
            for (size_t j = 0; j < spec.size();) {
                const size_t fstart = j;
                uint64_t k = 0;
                if (!readVarint(spec, j, k) || !skipValue(spec, j, k & 7)) return false;
                if ((k >> 3) != 3) edited += spec.substr(fstart, j - fstart);
            }
            edited += '\x18'; // field 3, varint
            edited += '\x00'; // false
            writeVarint(out, key);
            writeVarint(out, edited.size());
            out += edited;
            continue;
        }
        if (!skipValue(model, i, wire)) return false;
        out += model.substr(start, i - start);
    }
    return true;
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) void* gt_spm_load(const char* path, int noDummyPrefix,
                                                         char* err, int errlen) {
    auto* sp = new sentencepiece::SentencePieceProcessor();
    auto status = sp->Load(path);
    if (status.ok() && noDummyPrefix) {
        std::string edited;
        if (!withoutDummyPrefix(sp->serialized_model_proto(), edited)) {
            copyError("cannot rewrite the model's normalizer spec", err, errlen);
            delete sp;
            return nullptr;
        }
        status = sp->LoadFromSerializedProto(edited);
    }
    if (!status.ok()) {
        copyError(status.ToString(), err, errlen);
        delete sp;
        return nullptr;
    }
    return sp;
}

__attribute__((visibility("default"))) void gt_spm_free(void* h) {
    delete static_cast<sentencepiece::SentencePieceProcessor*>(h);
}

/// Encodes to pieces, each as a 4-byte length then its bytes (pieces may contain NUL), into
/// `out` (capacity `cap`); returns the byte count needed.
__attribute__((visibility("default"))) long gt_spm_encode_pieces(void* h, const char* text,
                                                                 long len, char* out, long cap) {
    std::vector<std::string> pieces;
    static_cast<sentencepiece::SentencePieceProcessor*>(h)->Encode(
        std::string(text, static_cast<size_t>(len)), &pieces);
    std::string joined;
    for (const auto& p : pieces) {
        const uint32_t n = static_cast<uint32_t>(p.size());
        joined.append(reinterpret_cast<const char*>(&n), 4);
        joined += p;
    }
    if (static_cast<long>(joined.size()) <= cap) std::memcpy(out, joined.data(), joined.size());
    return static_cast<long>(joined.size());
}

/// Decodes ids; returns the byte count needed (writes when it fits in `cap`).
__attribute__((visibility("default"))) long gt_spm_decode(void* h, const int* ids, long n,
                                                          char* out, long cap) {
    std::string text;
    static_cast<sentencepiece::SentencePieceProcessor*>(h)->Decode(std::vector<int>(ids, ids + n),
                                                                   &text);
    if (static_cast<long>(text.size()) <= cap) std::memcpy(out, text.data(), text.size());
    return static_cast<long>(text.size());
}

__attribute__((visibility("default"))) long gt_spm_decode_pieces(void* h, const char* joined,
                                                                 long len, char* out, long cap) {
    std::vector<std::string> pieces; // same framing as gt_spm_encode_pieces
    for (long i = 0; i + 4 <= len;) {
        uint32_t n = 0;
        std::memcpy(&n, joined + i, 4);
        pieces.emplace_back(joined + i + 4, n);
        i += 4 + static_cast<long>(n);
    }
    std::string text;
    static_cast<sentencepiece::SentencePieceProcessor*>(h)->Decode(pieces, &text);
    if (static_cast<long>(text.size()) <= cap) std::memcpy(out, text.data(), text.size());
    return static_cast<long>(text.size());
}

__attribute__((visibility("default"))) int gt_spm_vocab_size(void* h) {
    return static_cast<sentencepiece::SentencePieceProcessor*>(h)->GetPieceSize();
}

__attribute__((visibility("default"))) const char* gt_spm_id_to_piece(void* h, int id) {
    return static_cast<sentencepiece::SentencePieceProcessor*>(h)->IdToPiece(id).c_str();
}

__attribute__((visibility("default"))) int gt_spm_piece_to_id(void* h, const char* piece) {
    return static_cast<sentencepiece::SentencePieceProcessor*>(h)->PieceToId(piece);
}

__attribute__((visibility("default"))) int gt_spm_is_control(void* h, int id) {
    return static_cast<sentencepiece::SentencePieceProcessor*>(h)->IsControl(id);
}

} // extern "C"
