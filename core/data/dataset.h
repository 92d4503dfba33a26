// Summarisation datasets as their users store them: JSONL, a JSON array, CSV or TSV, with a
// field mapping (source field, target field). A list-valued source is joined; a list-valued
// target trains on its first item and keeps all of them as references. Presets for SciTLDR
// and DialogSum. Bad records are errors naming the file, the line and the field, or are
// skipped and counted on request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gt::data {

class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Example {
    std::string source;
    std::vector<std::string> targets; ///< [0] trains; all are references for ROUGE
};

enum class Format { Auto, Jsonl, JsonArray, Csv, Tsv };

struct ReadOptions {
    Format format = Format::Auto; ///< Auto: from the extension (.jsonl .json .csv .tsv)
    std::string sourceField = "source";
    std::string targetField = "target";
    std::string sourceJoin = " "; ///< joins a list-valued source
    bool skipBad = false;         ///< skip malformed records (counted) instead of failing
};

struct ReadReport {
    size_t read = 0, skipped = 0;
    std::vector<std::string> problems; ///< what was skipped, with file:line
};

std::vector<Example> readDataset(const std::filesystem::path& file, const ReadOptions& options,
                                 ReadReport* report = nullptr);

struct Splits {
    std::vector<Example> train, validation, test;
};

/// Built-in layouts: "scitldr" (SciTLDR-A: train/dev/test.jsonl, source = sentence list,
/// target = TLDR list) and "dialogsum" (dialogsum.train/dev.jsonl: dialogue -> summary).
Splits loadPreset(const std::string& preset, const std::filesystem::path& dir);

/// A seeded split of one list into train/validation/test by fractions.
Splits splitSeeded(std::vector<Example> all, double validation, double test, uint64_t seed);

struct LengthStats {
    size_t count = 0;
    double mean = 0;
    int64_t min = 0, p50 = 0, p95 = 0, max = 0;
};
LengthStats lengthStats(std::vector<int64_t> lengths);

} // namespace gt::data
