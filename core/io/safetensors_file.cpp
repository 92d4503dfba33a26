#include "core/io/safetensors_file.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <set>

namespace gt::io {

/// An mmap'ed file, private and writable (copy-on-write), unmapped on destruction.
class MappedFile {
public:
    MappedFile(const std::filesystem::path& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            throw SafetensorsError(path.string() + ": cannot open (" + std::strerror(errno) + ")");
        struct stat st {};
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            throw SafetensorsError(path.string() + ": not a regular file");
        }
        m_size = static_cast<size_t>(st.st_size);
        if (m_size > 0) {
            void* p = mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                const int err = errno;
                ::close(fd);
                throw SafetensorsError(path.string() + ": cannot map (" + std::strerror(err) + ")");
            }
            m_data = static_cast<uint8_t*>(p);
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (m_data) munmap(m_data, m_size);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

namespace {

constexpr size_t kMaxHeader = 100 * 1024 * 1024; // the format's own limit

const std::pair<DType, const char*> kDTypes[] = {
    {DType::F64, "F64"}, {DType::F32, "F32"},  {DType::F16, "F16"}, {DType::BF16, "BF16"},
    {DType::I64, "I64"}, {DType::I32, "I32"},  {DType::I16, "I16"}, {DType::I8, "I8"},
    {DType::U8, "U8"},   {DType::Bool, "BOOL"}};

} // namespace

std::string dtypeName(DType d) {
    for (const auto& [t, n] : kDTypes)
        if (t == d) return n;
    return "?";
}

size_t dtypeSize(DType d) {
    switch (d) {
    case DType::F64:
    case DType::I64:
        return 8;
    case DType::F32:
    case DType::I32:
        return 4;
    case DType::F16:
    case DType::BF16:
    case DType::I16:
        return 2;
    default:
        return 1;
    }
}

DType parseDType(const std::string& s, const std::string& context) {
    for (const auto& [t, n] : kDTypes)
        if (s == n) return t;
    throw SafetensorsError(context + ": unknown dtype '" + s +
                           "' (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
}

int64_t TensorView::numel() const {
    return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

namespace {

/// The format's rule: the tensors tile the data section from its first byte to its last,
/// without overlaps or holes (a hole could hide another file inside this one).
void requireContiguous(std::vector<std::pair<size_t, size_t>> ranges, size_t dataBytes,
                       const std::string& where) {
    std::sort(ranges.begin(), ranges.end());
    size_t next = 0;
    for (const auto& [begin, end] : ranges) {
        if (begin < next)
            throw SafetensorsError(where + ": tensors overlap in the data section (bytes " +
                                   std::to_string(begin) + " to " + std::to_string(next) + ")");
        if (begin > next)
            throw SafetensorsError(where + ": bytes " + std::to_string(next) + " to " +
                                   std::to_string(begin) +
                                   " of the data section belong to no tensor (a gap)");
        next = end;
    }
    if (next != dataBytes)
        throw SafetensorsError(where + ": the data section has " + std::to_string(dataBytes) +
                               " bytes but its tensors end at byte " + std::to_string(next) +
                               " (trailing bytes belong to no tensor)");
}

} // namespace

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& file) {
    SafetensorsFile f;
    f.m_path = file;
    f.m_map = std::make_shared<MappedFile>(file);
    const std::string where = file.string();
    const size_t size = f.m_map->size();
    if (size < 8)
        throw SafetensorsError(where + ": truncated: " + std::to_string(size) +
                               " bytes, shorter than the 8-byte header length");
    uint64_t n = 0;
    std::memcpy(&n, f.m_map->data(), 8); // little-endian on every platform we build for
    if (n > kMaxHeader || n > size - 8)
        throw SafetensorsError(where + ": header length " + std::to_string(n) +
                               " runs past the end of the file (" + std::to_string(size) +
                               " bytes): truncated or not a safetensors file");
    nlohmann::json header;
    std::string duplicate; // JSON keeps the last of two equal keys; the format forbids them
    try {
        std::set<std::string> seen;
        header = nlohmann::json::parse(
            f.m_map->data() + 8, f.m_map->data() + 8 + n,
            [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                if (event == nlohmann::json::parse_event_t::key && depth == 1 &&
                    !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
                    duplicate = parsed.get<std::string>();
                return true;
            });
    } catch (const nlohmann::json::exception& e) {
        throw SafetensorsError(where + ": malformed JSON header: " + e.what());
    }
    if (!duplicate.empty())
        throw SafetensorsError(where + ": tensor '" + duplicate + "' appears twice in the header");
    if (!header.is_object()) throw SafetensorsError(where + ": the header is not a JSON object");
    uint8_t* base = f.m_map->data() + 8 + n;
    const size_t dataBytes = size - 8 - n;
    std::vector<std::pair<size_t, size_t>> ranges;
    for (const auto& [name, info] : header.items()) {
        const std::string ctx = where + ": tensor '" + name + "'";
        if (name == "__metadata__") {
            if (!info.is_object())
                throw SafetensorsError(where + ": __metadata__ is not an object");
            for (const auto& [k, v] : info.items())
                f.m_metadata[k] = v.is_string() ? v.get<std::string>() : v.dump();
            continue;
        }
        if (!info.is_object() || !info.contains("dtype") || !info.contains("shape") ||
            !info.contains("data_offsets"))
            throw SafetensorsError(ctx + ": needs dtype, shape and data_offsets");
        TensorView t;
        t.name = name;
        t.owner = f.m_map;
        if (!info["dtype"].is_string()) throw SafetensorsError(ctx + ": dtype is not a string");
        t.dtype = parseDType(info["dtype"].get<std::string>(), ctx);
        for (const auto& d : info["shape"]) {
            if (!d.is_number_integer() || d.get<int64_t>() < 0)
                throw SafetensorsError(ctx + ": bad shape " + info["shape"].dump());
            t.shape.push_back(d.get<int64_t>());
        }
        const auto& off = info["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
            !off[1].is_number_unsigned())
            throw SafetensorsError(ctx + ": data_offsets must be two non-negative integers");
        const size_t begin = off[0].get<size_t>(), end = off[1].get<size_t>();
        if (begin > end)
            throw SafetensorsError(ctx + ": data_offsets [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + "] are reversed (begin after end)");
        if (end > dataBytes)
            throw SafetensorsError(ctx + ": data_offsets [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + "] lie outside the " +
                                   std::to_string(dataBytes) + "-byte data section");
        t.bytes = end - begin;
        size_t expected = dtypeSize(t.dtype);
        for (const int64_t d : t.shape)
            if (__builtin_mul_overflow(expected, static_cast<size_t>(d), &expected))
                throw SafetensorsError(ctx + ": shape " + info["shape"].dump() + " of " +
                                       dtypeName(t.dtype) +
                                       " needs more bytes than 64 bits can count");
        if (t.bytes != expected)
            throw SafetensorsError(ctx + ": " + std::to_string(t.bytes) + " bytes for shape " +
                                   info["shape"].dump() + " of " + dtypeName(t.dtype) +
                                   ", expected " + std::to_string(expected));
        t.data = base + begin;
        ranges.emplace_back(begin, end);
        f.m_index[name] = f.m_tensors.size();
        f.m_tensors.push_back(std::move(t));
    }
    requireContiguous(ranges, dataBytes, where);
    return f;
}

const TensorView* SafetensorsFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

size_t SafetensorsFile::fileSize() const {
    return m_map->size();
}

void writeSafetensors(const std::filesystem::path& file, const std::vector<TensorData>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    size_t offset = 0;
    for (const TensorData& t : tensors) {
        const size_t expected =
            static_cast<size_t>(
                std::accumulate(t.shape.begin(), t.shape.end(), int64_t{1}, std::multiplies<>())) *
            dtypeSize(t.dtype);
        if (expected != t.bytes)
            throw SafetensorsError(file.string() + ": tensor '" + t.name + "' has " +
                                   std::to_string(t.bytes) + " bytes, its shape needs " +
                                   std::to_string(expected));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.bytes}}};
        offset += t.bytes;
    }
    std::string json = header.dump();
    json.resize((json.size() + 7) / 8 * 8, ' '); // align the data section to 8 bytes
    std::random_device rd;
    const std::filesystem::path tmp =
        file.string() + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rd());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw SafetensorsError(tmp.string() + ": cannot write");
        const uint64_t n = json.size();
        out.write(reinterpret_cast<const char*>(&n), 8);
        out.write(json.data(), static_cast<std::streamsize>(json.size()));
        for (const TensorData& t : tensors)
            out.write(static_cast<const char*>(t.data), static_cast<std::streamsize>(t.bytes));
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            throw SafetensorsError(file.string() + ": write failed (disk full?)");
        }
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        ::close(fd);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw SafetensorsError(file.string() + ": cannot rename the finished file into place (" +
                               ec.message() + ")");
    }
}

} // namespace gt::io
