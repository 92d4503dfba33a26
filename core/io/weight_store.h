// A model's weights on disk: one model.safetensors, or shards listed by
// model.safetensors.index.json ({"weight_map": {tensor: shard file}}). Lookups by name; each
// shard is memory-mapped on open (cheap: header only).
#pragma once

#include "core/io/safetensors_file.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gt::io {

class WeightStore {
public:
    /// `path`: a model directory, a .safetensors file, or an index .json. Throws
    /// SafetensorsError naming the file when something is missing or malformed.
    static WeightStore open(const std::filesystem::path& path);
    /// True when `dir` holds model.safetensors or model.safetensors.index.json.
    static bool hasWeights(const std::filesystem::path& dir);

    const TensorView* find(const std::string& name) const;
    std::vector<std::string> names() const; ///< sorted
    size_t shardCount() const { return m_files.size(); }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    std::vector<SafetensorsFile> m_files;
    std::map<std::string, std::pair<size_t, const TensorView*>> m_byName;
};

} // namespace gt::io
