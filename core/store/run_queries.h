// The read side of the experiment store: the queries the GUI, the CLI and the run export
// make. It owns the SQLite connection; ExperimentStore adds the writes on top of it, so code
// that only reads can take a `const RunQueries&`.
#pragma once

#include "core/store/run_records.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gt::store {

class Database;

class RunQueries {
public:
    RunQueries(const RunQueries&) = delete;
    RunQueries& operator=(const RunQueries&) = delete;

    int schemaVersion() const;
    const std::filesystem::path& file() const;

    std::vector<RunRecord> listRuns(const RunFilter& filter = {}) const;
    std::optional<RunRecord> run(int64_t runId) const;
    std::vector<std::string> seriesNames(int64_t runId) const;
    /// A whole series in step order; with maxPoints > 0 and a longer series, a min/max
    /// decimation that keeps every bucket's extremes (spikes stay visible).
    std::vector<SeriesPoint> series(int64_t runId, const std::string& name,
                                    size_t maxPoints = 0) const;
    /// The last point of every series of the run.
    std::vector<MetricPoint> lastMetrics(int64_t runId) const;
    std::vector<Evaluation> evaluations(int64_t runId, bool withSamples = false) const;
    std::vector<int> snapshotRounds(int64_t runId) const;
    /// The budget and cost of each selection round (runs stored before migration 4: none).
    std::vector<RoundRecord> rounds(int64_t runId) const;
    /// The step a selection round started at (-1 when the round is not stored).
    int64_t snapshotStep(int64_t runId, int round) const;
    /// A round's tensors in plan (catalogue) order; rounds stored before migration 3, by name.
    std::vector<TensorSnapshot> tensorSnapshots(int64_t runId, int round) const;
    std::vector<Artifact> artifacts(int64_t runId) const;

protected:
    explicit RunQueries(std::unique_ptr<Database> db);
    ~RunQueries();
    /// Throws StoreError naming the file when no run has this id.
    void requireRun(int64_t runId) const;

    std::unique_ptr<Database> m_db;
};

} // namespace gt::store
