// safetensors (https://github.com/huggingface/safetensors) read through a private
// memory map: opening costs the header only; tensor bytes are paged in when first touched,
// and writes to them (training in place) go to private copy-on-write pages, never the file.
// Every header problem is an error naming the file, the tensor and what is wrong.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gt::io {

class SafetensorsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

std::string dtypeName(DType d); ///< "F32", ...
size_t dtypeSize(DType d);
/// Throws SafetensorsError (naming `context`) for an unknown dtype string.
DType parseDType(const std::string& s, const std::string& context);

class MappedFile;

/// One tensor inside a mapped file. `data` stays valid while the owning file lives.
struct TensorView {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint8_t* data = nullptr;
    size_t bytes = 0;
    std::shared_ptr<MappedFile> owner; ///< keeps the mapping alive (e.g. inside a torch deleter)

    int64_t numel() const;
};

class SafetensorsFile {
public:
    /// Maps and validates `file`. Throws SafetensorsError.
    static SafetensorsFile open(const std::filesystem::path& file);

    const std::filesystem::path& path() const { return m_path; }
    const std::vector<TensorView>& tensors() const { return m_tensors; }
    /// nullptr when absent.
    const TensorView* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    size_t fileSize() const;

private:
    std::filesystem::path m_path;
    std::shared_ptr<MappedFile> m_map;
    std::vector<TensorView> m_tensors;
    std::map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

/// A tensor to write: raw little-endian bytes of `dtype`, row-major.
struct TensorData {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const void* data = nullptr;
    size_t bytes = 0;
};

/// Writes a safetensors file atomically: to a temporary name in the same directory, flushed,
/// then renamed over `file`, so a crash never leaves a half-written file under that name.
void writeSafetensors(const std::filesystem::path& file, const std::vector<TensorData>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace gt::io
