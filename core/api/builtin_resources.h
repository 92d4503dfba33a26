// Where the files the workbench ships live: the built-in Debian task and the starter model.
// Looked up in $GT_RESOURCES_DIR, then ../share/greentrainer next to the executable (the
// installed layout: /usr/bin/gt -> /usr/share/greentrainer), and only then the source tree
// the binary was built from (a build tree has no share/ beside it).
#pragma once

#include <filesystem>

namespace gt::api {

std::filesystem::path resourcesDir();
/// resources/data/debian: train/validation/test.jsonl.gz of the built-in task.
std::filesystem::path builtinTaskDir();
/// resources/models/starter: the starter model in Hugging Face layout.
std::filesystem::path starterModelDir();

} // namespace gt::api
