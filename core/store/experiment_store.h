// The experiment store: every run in one SQLite file (default
// ~/.local/share/greentrainer/runs.sqlite), WAL mode so readers never block the writer.
// One ExperimentStore = one connection = one thread: the training worker writes through its
// own instance, the GUI reads through another. Writes are batched in transactions; a crash
// loses at most the batch in flight, and a run left "running" by a dead writer is marked
// "interrupted" on the next read-write open. The queries are RunQueries' (the base class);
// configDiff and the JSON/CSV export are core/store/run_export.h.
#pragma once

#include "core/store/run_queries.h"

#include <filesystem>
#include <memory>

namespace gt::store {

class ExperimentStore : public RunQueries {
public:
    enum class Mode { ReadWrite, ReadOnly };

    /// Opens or creates the store and migrates it. Read-write refuses a schema newer than this
    /// build; read-only accepts it, and upgrades an older one first (the only write a reader
    /// makes). Throws StoreError with the file name and the reason.
    explicit ExperimentStore(const std::filesystem::path& file, Mode mode = Mode::ReadWrite);
    ~ExperimentStore();

    static int latestSchemaVersion();
    bool readOnly() const { return m_readOnly; }
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
    /// Refuses (StoreError) a run whose writer is still alive.
    void reopenRun(int64_t runId);
    /// Forgets what a run recorded after the checkpoint it resumes from (metrics and
    /// evaluations after `step`, selection rounds after `round`), in one transaction, so the
    /// resumed run's curves have neither gaps nor duplicate points.
    void rewindRun(int64_t runId, int64_t step, int round);
    /// One full fine-tuning step's MACs, known from the first step on (the FLOPs chart of a
    /// resumed run needs it before the run's totals exist).
    void setFullMacs(int64_t runId, double macs);
    /// Writes (or rewrites, as the round's cost comes in) a selection round's budget row.
    void putRound(int64_t runId, const RoundRecord& round);
    /// Forgets the run's artifacts of `kind` (the rows only; files are the caller's).
    void removeArtifacts(int64_t runId, const std::string& kind);
    /// Ends a run: status, finish time and totals in one transaction.
    void finishRun(int64_t runId, RunStatus status, const RunTotals& totals = {});

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
    void markInterruptedRuns();
    /// Throws when `file` holds another application's tables (an unversioned database).
    void refuseForeignDatabase(const std::filesystem::path& file);

    bool m_readOnly;
};

} // namespace gt::store
