// A run's checkpoint folder: one subfolder per checkpoint (`step-00000500`), each written
// under a temporary name and renamed into place when complete (Trainer::saveCheckpoint), the
// newest two kept. A crash while writing leaves only a temporary folder behind, never a torn
// checkpoint under a real name, and the previous checkpoint stays where it was. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace gt::train {

class CheckpointFolder {
public:
    explicit CheckpointFolder(std::filesystem::path root, int keep = 2);

    const std::filesystem::path& root() const { return m_root; }
    /// Where the checkpoint after `step` goes.
    std::filesystem::path pathFor(int64_t step) const;
    /// Complete checkpoints (a state.json naming the format), newest first.
    std::vector<std::filesystem::path> checkpoints() const;
    /// Removes all but the newest `keep` checkpoints and leftovers of interrupted writes.
    void prune() const;

    /// The checkpoint to resume from: the newest complete checkpoint under `path`, else
    /// `path` itself when it holds one (an older build's layout, or pretraining's).
    /// Throws std::runtime_error naming the folder when there is none.
    static std::filesystem::path resolve(const std::filesystem::path& path);

private:
    std::filesystem::path m_root;
    int m_keep;
};

/// True when `dir` holds a complete checkpoint (state.json with the checkpoint format).
bool isCheckpoint(const std::filesystem::path& dir);

} // namespace gt::train
