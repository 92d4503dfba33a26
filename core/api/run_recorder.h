// A run's rows in the experiment store, from creation to its final status: the run itself
// (created, or reopened on resume), batched metric points, selection rounds, evaluations,
// artifacts, and the totals it finishes with. Whatever ends a job early (an exception, a
// crash of the caller's logic) leaves the run "failed" with every metric written, never a
// "running" row nobody owns. Torch-free; training and evaluation jobs share it.
#pragma once

#include "core/store/experiment_store.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gt::api {

class RunRecorder {
public:
    /// Opens the store at `dbPath` (empty: the default store) and creates `run`, or reopens
    /// run `resumeRunId` when it is positive.
    RunRecorder(const std::filesystem::path& dbPath, const store::NewRun& run,
                int64_t resumeRunId = 0);
    /// Unless finish() ran: writes the batched metrics and marks the run failed.
    ~RunRecorder();
    RunRecorder(const RunRecorder&) = delete;
    RunRecorder& operator=(const RunRecorder&) = delete;

    int64_t runId() const { return m_runId; }
    std::filesystem::path storeFile() const { return m_db.file(); }

    /// Batched: written when `flushEvery` points wait, on flush(), and before every other
    /// write, so that nothing stored (a checkpoint, an evaluation) runs ahead of the metrics.
    void metric(const std::string& name, int64_t step, double value, double epoch,
                double wallSeconds);
    void flush();
    void selection(int round, int64_t step, const std::vector<store::TensorSnapshot>& rows);
    void evaluation(const store::Evaluation& evaluation);
    /// A selection round's budget row, written again as its cost comes in.
    void round(const store::RoundRecord& round);
    /// Recorded once per (kind, path): a checkpoint rewritten in place is one artifact.
    void artifact(const std::string& kind, const std::string& path, int64_t step);
    /// Resuming from a checkpoint at `step` after `round`: forgets what the run recorded
    /// after it (ExperimentStore::rewindRun).
    void rewind(int64_t step, int round);
    /// The run's full fine-tuning MACs per step (stored once, on the first call).
    void fullMacs(double macs);
    /// Forgets the artifacts of `kind` (their files are the caller's).
    void forgetArtifacts(const std::string& kind);
    void finish(store::RunStatus status, const store::RunTotals& totals = {});

    static constexpr size_t flushEvery = 50;

private:
    store::ExperimentStore m_db;
    int64_t m_runId = 0;
    std::vector<store::MetricPoint> m_pending;
    std::vector<std::string> m_artifacts; ///< "kind\npath" already recorded
    bool m_finished = false, m_fullMacsStored = false;
};

} // namespace gt::api
