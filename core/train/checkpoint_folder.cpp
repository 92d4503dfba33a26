#include "core/train/checkpoint_folder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gt::train {
namespace {
constexpr const char* kPrefix = "step-";

/// The step a checkpoint subfolder is named after; -1 for anything else.
int64_t stepOf(const fs::path& p) {
    const std::string name = p.filename().string();
    if (name.rfind(kPrefix, 0) != 0 || name.size() == 5) return -1;
    const std::string digits = name.substr(5);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    return std::stoll(digits);
}
} // namespace

bool isCheckpoint(const fs::path& dir) {
    std::ifstream in(dir / "state.json");
    if (!in) return false;
    const auto state = nlohmann::json::parse(in, nullptr, false);
    // value() would throw on a "format" that is not a string: test the type first
    return !state.is_discarded() && state.is_object() && state.contains("format") &&
           state["format"].is_string() && state["format"] == "greentrainer-checkpoint";
}

CheckpointFolder::CheckpointFolder(fs::path root, int keep)
    : m_root(std::move(root))
    , m_keep(std::max(1, keep)) {}

fs::path CheckpointFolder::pathFor(int64_t step) const {
    char name[32];
    std::snprintf(name, sizeof name, "%s%08lld", kPrefix, static_cast<long long>(step));
    return m_root / name;
}

std::vector<fs::path> CheckpointFolder::checkpoints() const {
    std::vector<std::pair<int64_t, fs::path>> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_root, ec))
        if (const int64_t s = stepOf(e.path());
            s >= 0 && e.is_directory() && isCheckpoint(e.path()))
            found.emplace_back(s, e.path());
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
    std::vector<fs::path> out;
    for (auto& f : found)
        out.push_back(std::move(f.second));
    return out;
}

void CheckpointFolder::prune() const {
    const auto kept = checkpoints();
    std::error_code ec;
    for (size_t i = static_cast<size_t>(m_keep); i < kept.size(); ++i)
        fs::remove_all(kept[i], ec);
    // Temporary and swapped-out folders of writes a crash interrupted (saveCheckpoint's
    // `.tmp-PID` / `.old-PID` names); a live writer only exists while a checkpoint is written,
    // and this runs after that write.
    for (const auto& e : fs::directory_iterator(m_root, ec)) {
        const std::string n = e.path().filename().string();
        if (n.find(".tmp-") != std::string::npos || n.find(".old-") != std::string::npos)
            fs::remove_all(e.path(), ec);
    }
}

fs::path CheckpointFolder::resolve(const fs::path& path) {
    // Step folders first: a run resumed from an older build's single checkpoint writes its
    // newer ones inside that folder.
    if (const auto found = CheckpointFolder(path).checkpoints(); !found.empty())
        return found.front();
    if (isCheckpoint(path)) return path;
    // Name the step folders that exist but cannot be read: "no checkpoint" would mislead.
    std::string unreadable;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(path, ec))
        if (stepOf(e.path()) >= 0 && e.is_directory())
            unreadable += (unreadable.empty() ? "" : ", ") + e.path().filename().string();
    if (!unreadable.empty())
        throw std::runtime_error(path.string() + ": no complete checkpoint: the state.json of " +
                                 unreadable +
                                 " is missing, truncated or not a GreenTrainer checkpoint's");
    throw std::runtime_error(path.string() + ": no checkpoint here (neither a state.json nor " +
                             "a complete step-* checkpoint folder)");
}

} // namespace gt::train
