// Where the experiment store lives by default (XDG base directories).
#pragma once

#include <filesystem>

namespace gt::store {

/// $XDG_DATA_HOME/greentrainer/runs.sqlite, else ~/.local/share/greentrainer/runs.sqlite.
/// Throws std::runtime_error when neither XDG_DATA_HOME nor HOME is set.
std::filesystem::path defaultStorePath();

} // namespace gt::store
