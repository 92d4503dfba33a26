// The experiment store: every run in one SQLite file (default
// ~/.local/share/greentrainer/runs.sqlite), WAL mode so readers never block the writer.
// One ExperimentStore = one connection = one thread: the training worker writes through its
// own instance, the GUI reads through another. Writes are batched in transactions; a crash
// loses at most the batch in flight, and a run left "running" by a dead writer is marked
// "interrupted" on the next read-write open.
#pragma once

#include "core/store/run_records.h"

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace gt::store {

class Database;

class ExperimentStore {
public:
    enum class Mode { ReadWrite, ReadOnly };

    /// Opens or creates the store and migrates it. Read-write refuses a schema newer than this
    /// build; read-only accepts it. Throws StoreError with the file name and the reason.
    explicit ExperimentStore(const std::filesystem::path& file, Mode mode = Mode::ReadWrite);
    ~ExperimentStore();
    ExperimentStore(const ExperimentStore&) = delete;
    ExperimentStore& operator=(const ExperimentStore&) = delete;

    static int latestSchemaVersion();
    int schemaVersion() const;
    bool readOnly() const { return m_readOnly; }
    const std::filesystem::path& file() const;
    /// Caps the file at `pages` pages (PRAGMA max_page_count): a write past it fails with a
    /// StoreError (SQLITE_FULL) and rolls back, exactly as a full disk does.
    void setMaxPages(int64_t pages);

    // --- writing (the trainer) ---------------------------------------------------------
    int64_t createRun(const NewRun& run);
    /// One transaction for the whole batch; a point for an existing (run, name, step) replaces it.
    void appendMetrics(int64_t runId, const std::vector<MetricPoint>& points);
    int64_t addEvaluation(int64_t runId, const Evaluation& eval);
    void addTensorSnapshots(int64_t runId, int round, int64_t step,
                            const std::vector<TensorSnapshot>& rows);
    int64_t addArtifact(int64_t runId, const std::string& kind, const std::string& path,
                        std::optional<int64_t> step);
    /// Marks a stopped or interrupted run as running again under this process (resume).
    void reopenRun(int64_t runId);
    /// Ends a run: status, finish time and totals in one transaction.
    void finishRun(int64_t runId, RunStatus status, const RunTotals& totals = {});

    // --- reading (GUI, CLI) ------------------------------------------------------------
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
    /// The step a selection round started at (-1 when the round is not stored).
    int64_t snapshotStep(int64_t runId, int round) const;
    std::vector<TensorSnapshot> tensorSnapshots(int64_t runId, int round) const;
    std::vector<Artifact> artifacts(int64_t runId) const;
    // configDiff, exportJson and exportCsv: core/store/run_export.h

    // --- housekeeping --------------------------------------------------------------------
    void renameRun(int64_t runId, const std::string& name);
    void addTag(int64_t runId, const std::string& tag);
    void removeTag(int64_t runId, const std::string& tag);
    /// Deletes the runs and all their rows in one transaction; with removeArtifacts also their
    /// artifact files. A run still running refuses the whole call (StoreError naming it):
    /// nothing is deleted. Returns the artifact paths that were removed.
    std::vector<std::string> deleteRuns(const std::vector<int64_t>& runIds, bool removeArtifacts);

private:
    void requireWritable(const char* what) const;
    void requireRun(int64_t runId) const;
    void markInterruptedRuns();

    std::unique_ptr<Database> m_db;
    bool m_readOnly;
};

} // namespace gt::store
