// Importance before (or instead of) a probe: a uniform or size-proportional prior, or values
// read from a JSON file ({"tensor name": value, ...}). Catalogue order, higher = more useful.
#pragma once

#include "core/model/tensor_catalogue.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gt::green {

std::vector<double> uniformImportance(const model::TensorCatalogue& catalogue);
/// Proportional to the element count: what a first AdamW step's |dW|_1 roughly scales with.
std::vector<double> sizeImportance(const model::TensorCatalogue& catalogue);
/// Reads a JSON object mapping tensor names to numbers; tensors not named get 0. Unknown
/// names, non-numbers and malformed JSON are errors naming the file and the key.
std::vector<double> loadImportanceJson(const std::filesystem::path& file,
                                       const model::TensorCatalogue& catalogue);
/// "uniform", "size", or a path to a JSON file.
std::vector<double> importanceFromSpec(const std::string& spec,
                                       const model::TensorCatalogue& catalogue);

} // namespace gt::green
