// Plain value types of the experiment store: what the trainer writes and the GUI/CLI read.
// Torch-free and Qt-free; units in the field comments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gt::store {

enum class RunStatus { Running, Finished, Stopped, Failed, Interrupted };
std::string statusName(RunStatus s);         ///< "running", "finished", ...
RunStatus parseStatus(const std::string& s); ///< throws std::invalid_argument

/// What a new run is created with.
struct NewRun {
    std::string name;
    std::string method; ///< "greentrainer", "full", "lora", "top-k-blocks", ...
    std::optional<double> rho;
    std::string modelPath, modelHash;
    std::string dataset, datasetHash;
    std::string configJson = "{}"; ///< the full run configuration
    std::string notes;
    std::vector<std::string> tags;
};

struct RunRecord {
    int64_t id = 0;
    std::string name, notes;
    RunStatus status = RunStatus::Running;
    std::string createdAt, finishedAt; ///< ISO-8601 UTC; finishedAt empty while running
    std::string method;
    std::optional<double> rho;
    std::string modelPath, modelHash, dataset, datasetHash;
    std::string configJson, softwareVersion, hostInfo;
    std::vector<std::string> tags;
    std::optional<double> wallSeconds, energyJoules, plannedMacs, fullMacs;
    std::string energySource;
    std::string energyMethod;       ///< "measured:rapl", "estimated:cpu-model", ... ("": none)
    std::optional<double> co2Grams; ///< gCO2e of the training steps
    std::string gridSource;         ///< the grid intensity the CO2 was computed from
};

/// A selection round's budget and what it cost (migration 4).
struct RoundRecord {
    int round = 0;
    int64_t step = 0;                    ///< the first step it planned for
    std::optional<double> rho;           ///< GreenTrainer's objective for the round
    double plannedShare = 0;             ///< planned MACs per step / full fine-tuning
    std::optional<double> gridGPerKwh;   ///< the grid intensity when the round began
    std::optional<double> plannedJoules; ///< predicted for the round's steps (after calibration)
    std::optional<double> spentJoules, co2Grams; ///< measured or estimated, when it ended
};

struct MetricPoint {
    std::string name; ///< "train/loss", "lr", "step_ms", "tokens_per_s", "macs", ...
    int64_t step = 0;
    double value = 0.0;
    std::optional<double> epoch;
    std::optional<double> wallSeconds; ///< since the run started
};

struct SeriesPoint {
    int64_t step = 0;
    double value = 0.0;
    std::optional<double> epoch, wallSeconds;
};

struct EvalSample {
    std::string source, prediction, reference;
};

struct Evaluation {
    int64_t id = 0;
    int64_t step = 0;
    std::string split = "validation";
    int64_t examples = 0;
    std::optional<double> rouge1, rouge2, rougeL, rougeLsum, valLoss; ///< ROUGE F1 x 100
    std::vector<EvalSample> samples;
    std::string createdAt;
};

struct TensorSnapshot {
    std::string tensor;
    double forward = 0, dw = 0, dy = 0; ///< MACs
    std::optional<double> importance;
    bool selected = false;
};

/// Totals a run ends with.
struct RunTotals {
    std::optional<double> wallSeconds, energyJoules, plannedMacs, fullMacs;
    std::string energySource; ///< the method's detail, e.g. "rapl: intel-rapl:0 (package-0)"
    std::string energyMethod; ///< "measured:rapl", "estimated:cpu-model", ...
    std::optional<double> co2Grams;
    std::string gridSource;
};

struct Artifact {
    int64_t id = 0;
    std::string kind, path; ///< kind: "checkpoint", "export", ...
    std::optional<int64_t> step;
    std::string createdAt;
};

struct RunFilter {
    std::optional<RunStatus> status;
    std::string method;                ///< exact match when non-empty
    std::string tag;                   ///< runs carrying this tag
    std::string text;                  ///< substring of name or notes
    std::string sortBy = "created_at"; ///< id, name, created_at, method, rho, status
    bool descending = true;
};

/// One configuration key whose values differ between runs (flattened "a.b.c" keys).
struct ConfigDifference {
    std::string key;
    std::vector<std::optional<std::string>> values; ///< per run; nullopt = key absent
};

} // namespace gt::store
