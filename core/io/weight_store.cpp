#include "core/io/weight_store.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

namespace fs = std::filesystem;

namespace gt::io {

namespace {

/// weight_map's (tensor, shard file) pairs; a shard must be a plain file name beside the
/// index (no directories, so an index cannot point outside the model).
std::vector<std::pair<std::string, std::string>> shardsOf(const nlohmann::json& map,
                                                          const fs::path& index) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, file] : map.items()) {
        if (!file.is_string())
            throw SafetensorsError(index.string() + ": weight_map['" + name +
                                   "'] is not a file name");
        const std::string f = file.get<std::string>();
        if (f.empty() || fs::path(f).filename() != f || f == "." || f == "..")
            throw SafetensorsError(index.string() + ": weight_map['" + name + "'] is '" + f +
                                   "'; expected a file name in the model directory");
        out.emplace_back(name, f);
    }
    if (out.empty()) throw SafetensorsError(index.string() + ": weight_map lists no tensors");
    return out;
}

} // namespace

bool WeightStore::hasWeights(const fs::path& dir) {
    return fs::exists(dir / "model.safetensors") ||
           fs::exists(dir / "model.safetensors.index.json");
}

WeightStore WeightStore::open(const fs::path& path) {
    WeightStore w;
    fs::path index, single;
    if (fs::is_directory(path)) {
        index = path / "model.safetensors.index.json";
        single = path / "model.safetensors";
        if (!fs::exists(index)) index.clear();
        if (index.empty() && !fs::exists(single))
            throw SafetensorsError(path.string() +
                                   ": no model.safetensors or "
                                   "model.safetensors.index.json (only safetensors weights are "
                                   "supported; convert .bin checkpoints first)");
    } else if (path.extension() == ".json") {
        index = path;
    } else {
        single = path;
    }
    w.m_path = index.empty() ? single : index;
    std::vector<fs::path> shards;
    std::vector<std::pair<std::string, std::string>> listed; // (tensor, shard) from the index
    if (index.empty()) {
        shards.push_back(single);
    } else {
        std::ifstream in(index);
        if (!in) throw SafetensorsError(index.string() + ": cannot open");
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            throw SafetensorsError(index.string() + ": malformed JSON: " + e.what());
        }
        if (!j.contains("weight_map") || !j["weight_map"].is_object())
            throw SafetensorsError(index.string() +
                                   ": field 'weight_map' is missing or not an object");
        listed = shardsOf(j["weight_map"], index);
        std::set<std::string> files;
        for (const auto& [name, file] : listed)
            files.insert(file);
        for (const auto& f : files)
            shards.push_back(index.parent_path() / f);
    }
    for (const fs::path& shard : shards) {
        w.m_files.push_back(SafetensorsFile::open(shard));
        const size_t i = w.m_files.size() - 1;
        for (const TensorView& t : w.m_files.back().tensors()) {
            if (w.m_byName.count(t.name))
                throw SafetensorsError(shard.string() + ": tensor '" + t.name +
                                       "' also appears in another shard");
            w.m_byName[t.name] = {i, &t};
        }
    }
    for (const auto& [name, file] : listed) {
        const auto it = w.m_byName.find(name);
        if (it == w.m_byName.end() || w.m_files[it->second.first].path().filename() != file)
            throw SafetensorsError(index.string() + ": weight_map puts '" + name + "' in " + file +
                                   ", which does not hold it");
    }
    return w;
}

const TensorView* WeightStore::find(const std::string& name) const {
    auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : it->second.second;
}

std::vector<std::string> WeightStore::names() const {
    std::vector<std::string> out;
    for (const auto& [n, _] : m_byName)
        out.push_back(n);
    return out;
}

} // namespace gt::io
