#include "core/api/run_checkpoint.h"

#include "core/api/job_json.h"
#include "core/train/checkpoint_folder.h"

#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gt::api {

fs::path defaultCheckpointFolder(const fs::path& storeFile, int64_t runId) {
    // Named after the store: two stores in one directory have runs with the same ids.
    const fs::path store = fs::absolute(storeFile);
    return store.parent_path() / (store.stem().string() + ".checkpoints") /
           ("run-" + std::to_string(runId));
}

std::optional<fs::path> latestCheckpoint(const store::RunQueries& runs, int64_t runId) {
    std::vector<fs::path> folders;
    for (const auto& a : runs.artifacts(runId))
        if (a.kind == "checkpoint") folders.emplace_back(a.path);
    folders.push_back(defaultCheckpointFolder(runs.file(), runId));
    for (const auto& f : folders) {
        try {
            return train::CheckpointFolder::resolve(f);
        } catch (const std::runtime_error&) { // none there: try the next place
        }
    }
    return std::nullopt;
}

bool resumable(const store::RunQueries& runs, const store::RunRecord& run) {
    using store::RunStatus;
    if (run.status != RunStatus::Stopped && run.status != RunStatus::Interrupted &&
        run.status != RunStatus::Failed)
        return false;
    return latestCheckpoint(runs, run.id).has_value();
}

CheckpointInfo readCheckpoint(const fs::path& checkpoint) {
    const fs::path file = checkpoint / "state.json";
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    const auto state = nlohmann::json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object() || !state.contains("extra") ||
        !state["extra"].is_object() || !state["extra"].contains("job") || !state.contains("step") ||
        !state["step"].is_number_integer())
        throw std::runtime_error(file.string() + ": not a checkpoint written by gt train");
    CheckpointInfo info;
    try { // the stored job's own checks (names, types, ranges) speak of fields, not the file
        info.job = jobFromJson(state["extra"]["job"]);
        info.runId = state["extra"].value("run_id", int64_t{0});
        info.step = state["step"].get<int64_t>();
        info.round = state.value("round", 0);
    } catch (const std::exception& e) {
        throw std::runtime_error(file.string() + ": the stored job is unreadable: " + e.what());
    }
    return info;
}

} // namespace gt::api
