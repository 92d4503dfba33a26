#include "app/cli/data_options.h"

namespace gt::cli {

void addDataOptions(ArgParser& p) {
    p.option("preset", "NAME", "dataset layout: scitldr, dialogsum (with --data) or debian")
        .option("data", "DIR", "dataset directory for --preset (debian: the built-in task)")
        .option("train", "FILE", "training file (JSONL/JSON/CSV/TSV) without a preset")
        .option("validation", "FILE", "validation file without a preset")
        .option("source-field", "F", "source field", "source")
        .option("target-field", "F", "target field", "target");
}

void readDataOptions(const ArgParser& p, api::TrainJob& j, const std::string& command) {
    if (p.has("preset")) {
        j.preset = p.value("preset");
        if (p.has("data"))
            j.dataDir = p.value("data");
        else if (j.preset != "debian")
            throw UsageError(command + ": --preset " + j.preset + " needs --data DIR");
        return;
    }
    if (!p.has("train"))
        throw UsageError(command + ": give --preset NAME [--data DIR], or --train FILE");
    j.trainFile = p.value("train");
    if (p.has("validation")) j.validationFile = p.value("validation");
    j.sourceField = p.value("source-field");
    j.targetField = p.value("target-field");
}

} // namespace gt::cli
