// What the Model & Data page shows of a dataset: split sizes, the first records, and length
// statistics and histograms in the model's tokens (or words without a tokenizer). Torch-free.
#pragma once

#include "core/data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::api {

struct DatasetSpec {
    std::string kind = "debian"; ///< "debian" (built-in), "scitldr", "dialogsum", "file"
    std::string path;            ///< preset folder or file (empty for debian = built-in)
    std::string sourceField = "source", targetField = "target"; ///< for "file"
};

struct SplitPreview {
    std::string name;
    size_t records = 0;
    data::LengthStats source, target; ///< in tokens (or words)
    std::vector<int64_t> sourceLengths, targetLengths;
};

struct DatasetPreview {
    std::vector<SplitPreview> splits;        ///< train, validation, test (when present)
    std::vector<data::Example> firstRecords; ///< of the training split
    std::string unit;                        ///< "tokens" or "words"
    size_t skipped = 0;
};

/// Loads the dataset (and `tokenizerDir`'s tokenizer when given) and measures it. Lengths of
/// at most `maxMeasured` records per split are measured (a seeded sample beyond that).
/// Throws data::DataError / std::runtime_error with the reader's message.
DatasetPreview previewDataset(const DatasetSpec& spec, const std::string& tokenizerDir,
                              size_t firstRecords = 20, size_t maxMeasured = 4000);

} // namespace gt::api
