#include "core/api/run_recorder.h"

#include "core/store/store_paths.h"

#include <algorithm>

namespace gt::api {

RunRecorder::RunRecorder(const std::filesystem::path& dbPath, const store::NewRun& run,
                         int64_t resumeRunId)
    : m_db(dbPath.empty() ? store::defaultStorePath() : dbPath) {
    if (resumeRunId > 0) {
        m_db.reopenRun(resumeRunId);
        m_runId = resumeRunId;
        // a resumed run already lists the checkpoint it was resumed from
        for (const auto& a : m_db.artifacts(m_runId))
            m_artifacts.push_back(a.kind + "\n" + a.path);
    } else {
        m_runId = m_db.createRun(run);
    }
}

RunRecorder::~RunRecorder() {
    if (m_finished) return;
    try { // unwinding already: a second failure must not terminate the process
        flush();
        m_db.finishRun(m_runId, store::RunStatus::Failed);
    } catch (...) {
    }
}

void RunRecorder::metric(const std::string& name, int64_t step, double value, double epoch,
                         double wallSeconds) {
    m_pending.push_back({name, step, value, epoch, wallSeconds});
    if (m_pending.size() >= flushEvery) flush();
}

void RunRecorder::flush() {
    if (m_pending.empty()) return;
    m_db.appendMetrics(m_runId, m_pending);
    m_pending.clear();
}

void RunRecorder::selection(int round, int64_t step,
                            const std::vector<store::TensorSnapshot>& rows) {
    flush();
    m_db.addTensorSnapshots(m_runId, round, step, rows);
}

void RunRecorder::round(const store::RoundRecord& round) {
    flush();
    m_db.putRound(m_runId, round);
}

void RunRecorder::evaluation(const store::Evaluation& evaluation) {
    flush();
    m_db.addEvaluation(m_runId, evaluation);
}

void RunRecorder::artifact(const std::string& kind, const std::string& path, int64_t step) {
    flush();
    const std::string key = kind + "\n" + path;
    if (std::find(m_artifacts.begin(), m_artifacts.end(), key) != m_artifacts.end()) return;
    m_db.addArtifact(m_runId, kind, path, step);
    m_artifacts.push_back(key);
}

void RunRecorder::rewind(int64_t step, int round) {
    m_pending.clear(); // nothing batched precedes a resume's first step
    m_db.rewindRun(m_runId, step, round);
}

void RunRecorder::fullMacs(double macs) {
    if (m_fullMacsStored) return;
    m_db.setFullMacs(m_runId, macs);
    m_fullMacsStored = true;
}

void RunRecorder::forgetArtifacts(const std::string& kind) {
    flush();
    m_db.removeArtifacts(m_runId, kind);
    std::erase_if(m_artifacts, [&](const std::string& k) { return k.rfind(kind + "\n", 0) == 0; });
}

void RunRecorder::finish(store::RunStatus status, const store::RunTotals& totals) {
    flush();
    m_db.finishRun(m_runId, status, totals);
    m_finished = true;
}

} // namespace gt::api
