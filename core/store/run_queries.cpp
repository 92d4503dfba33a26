#include "core/store/run_queries.h"

#include "core/store/migrations.h"
#include "core/store/sqlite_db.h"
#include "core/store/writer_process.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gt::store {
namespace {

std::optional<double> optDouble(const Statement& s, int i) {
    return s.columnIsNull(i) ? std::nullopt : std::optional<double>(s.columnDouble(i));
}

const char* kRunColumns =
    "id, name, notes, status, created_at, finished_at, method, rho, model_path, model_hash, "
    "dataset, dataset_hash, config_json, software_version, host_info, wall_seconds, "
    "energy_joules, energy_source, planned_macs, full_macs, writer_host, writer_pid, "
    "energy_method, co2_grams, grid_source";

RunRecord readRun(const Statement& s) {
    RunRecord r;
    r.id = s.columnInt(0);
    r.name = s.columnText(1);
    r.notes = s.columnText(2);
    r.status = parseStatus(s.columnText(3));
    r.createdAt = s.columnText(4);
    r.finishedAt = s.columnText(5);
    r.method = s.columnText(6);
    r.rho = optDouble(s, 7);
    r.modelPath = s.columnText(8);
    r.modelHash = s.columnText(9);
    r.dataset = s.columnText(10);
    r.datasetHash = s.columnText(11);
    r.configJson = s.columnText(12);
    r.softwareVersion = s.columnText(13);
    r.hostInfo = s.columnText(14);
    r.wallSeconds = optDouble(s, 15);
    r.energyJoules = optDouble(s, 16);
    r.energySource = s.columnText(17);
    r.plannedMacs = optDouble(s, 18);
    r.fullMacs = optDouble(s, 19);
    r.energyMethod = s.columnText(22);
    r.co2Grams = optDouble(s, 23);
    r.gridSource = s.columnText(24);
    // A running run whose writer process is gone was killed: say so now, on any read (the
    // next read-write open persists it).
    if (r.status == RunStatus::Running && !writerAlive(s.columnText(20), s.columnInt(21)))
        r.status = RunStatus::Interrupted;
    return r;
}

} // namespace

RunQueries::RunQueries(std::unique_ptr<Database> db)
    : m_db(std::move(db)) {}

RunQueries::~RunQueries() = default;

int RunQueries::schemaVersion() const {
    return store::schemaVersion(*m_db);
}
const fs::path& RunQueries::file() const {
    return m_db->file();
}

void RunQueries::requireRun(int64_t runId) const {
    Statement s = m_db->prepare("SELECT 1 FROM runs WHERE id = ?");
    s.bind(1, runId);
    if (!s.step())
        throw StoreError(m_db->file().string() + ": no run with id " + std::to_string(runId));
}

std::vector<RunRecord> RunQueries::listRuns(const RunFilter& f) const {
    static const std::set<std::string> sortable = {"id",     "name", "created_at",
                                                   "method", "rho",  "status"};
    if (!sortable.count(f.sortBy))
        throw std::invalid_argument("cannot sort runs by '" + f.sortBy +
                                    "' (id, name, created_at, method, rho, status)");
    std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE 1";
    // "running" and "interrupted" are decided on read (a dead writer's run reads
    // interrupted), so both are fetched and the status filtered below.
    const bool liveStatus =
        f.status && (*f.status == RunStatus::Running || *f.status == RunStatus::Interrupted);
    if (liveStatus)
        sql += " AND status IN ('running', 'interrupted')";
    else if (f.status)
        sql += " AND status = :status";
    if (!f.method.empty()) sql += " AND method = :method";
    if (!f.tag.empty()) sql += " AND id IN (SELECT run_id FROM run_tags WHERE tag = :tag)";
    if (!f.text.empty()) sql += " AND (instr(name, :text) > 0 OR instr(notes, :text) > 0)";
    const char* dir = f.descending ? " DESC" : " ASC";
    sql += " ORDER BY " + f.sortBy + dir + ", id" + dir; // ties: newest (or oldest) first too
    Statement s = m_db->prepare(sql);
    int idx = 1;
    if (f.status && !liveStatus) s.bind(idx++, statusName(*f.status));
    if (!f.method.empty()) s.bind(idx++, f.method);
    if (!f.tag.empty()) s.bind(idx++, f.tag);
    if (!f.text.empty()) s.bind(idx++, f.text);
    std::vector<RunRecord> runs;
    while (s.step())
        if (RunRecord r = readRun(s); !liveStatus || r.status == *f.status)
            runs.push_back(std::move(r));
    Statement t = m_db->prepare("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag");
    for (RunRecord& r : runs) {
        t.bind(1, r.id);
        while (t.step())
            r.tags.push_back(t.columnText(0));
        t.reset();
    }
    return runs;
}

std::optional<RunRecord> RunQueries::run(int64_t runId) const {
    Statement s = m_db->prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    s.bind(1, runId);
    if (!s.step()) return std::nullopt;
    RunRecord r = readRun(s);
    Statement t = m_db->prepare("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag");
    t.bind(1, runId);
    while (t.step())
        r.tags.push_back(t.columnText(0));
    return r;
}

std::vector<std::string> RunQueries::seriesNames(int64_t runId) const {
    Statement s = m_db->prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name");
    s.bind(1, runId);
    std::vector<std::string> names;
    while (s.step())
        names.push_back(s.columnText(0));
    return names;
}

std::vector<SeriesPoint> RunQueries::series(int64_t runId, const std::string& name,
                                            size_t maxPoints) const {
    Statement s = m_db->prepare("SELECT step, value, epoch, wall_s FROM metrics "
                                "WHERE run_id = ? AND name = ? ORDER BY step");
    s.bind(1, runId).bind(2, name);
    std::vector<SeriesPoint> pts;
    while (s.step())
        pts.push_back({s.columnInt(0), s.columnDouble(1), optDouble(s, 2), optDouble(s, 3)});
    if (maxPoints < 4 || pts.size() <= maxPoints) return pts;
    // Min/max decimation: each bucket contributes its lowest and highest point, in step order.
    const size_t buckets = maxPoints / 2;
    std::vector<SeriesPoint> out;
    out.reserve(buckets * 2);
    for (size_t b = 0; b < buckets; ++b) {
        const size_t lo = b * pts.size() / buckets, hi = (b + 1) * pts.size() / buckets;
        if (lo >= hi) continue;
        auto [mn, mx] =
            std::minmax_element(pts.begin() + lo, pts.begin() + hi,
                                [](const auto& a, const auto& c) { return a.value < c.value; });
        if (mn == mx) {
            out.push_back(*mn);
        } else {
            out.push_back(mn->step < mx->step ? *mn : *mx);
            out.push_back(mn->step < mx->step ? *mx : *mn);
        }
    }
    return out;
}

std::vector<MetricPoint> RunQueries::lastMetrics(int64_t runId) const {
    Statement s = m_db->prepare(
        "SELECT m.name, m.step, m.value, m.epoch, m.wall_s FROM metrics m "
        "JOIN (SELECT name, MAX(step) AS step FROM metrics WHERE run_id = ?1 GROUP BY name) l "
        "ON m.name = l.name AND m.step = l.step WHERE m.run_id = ?1 ORDER BY m.name");
    s.bind(1, runId);
    std::vector<MetricPoint> out;
    while (s.step())
        out.push_back(
            {s.columnText(0), s.columnInt(1), s.columnDouble(2), optDouble(s, 3), optDouble(s, 4)});
    return out;
}

std::vector<Evaluation> RunQueries::evaluations(int64_t runId, bool withSamples) const {
    Statement s = m_db->prepare(
        "SELECT id, step, split, examples, rouge1, rouge2, rougeL, rougeLsum, val_loss, "
        "created_at FROM evaluations WHERE run_id = ? ORDER BY step, id");
    s.bind(1, runId);
    std::vector<Evaluation> out;
    while (s.step()) {
        Evaluation e;
        e.id = s.columnInt(0);
        e.step = s.columnInt(1);
        e.split = s.columnText(2);
        e.examples = s.columnInt(3);
        e.rouge1 = optDouble(s, 4);
        e.rouge2 = optDouble(s, 5);
        e.rougeL = optDouble(s, 6);
        e.rougeLsum = optDouble(s, 7);
        e.valLoss = optDouble(s, 8);
        e.createdAt = s.columnText(9);
        out.push_back(std::move(e));
    }
    if (!withSamples) return out;
    Statement t = m_db->prepare("SELECT source, prediction, reference FROM eval_samples "
                                "WHERE eval_id = ? ORDER BY idx");
    for (Evaluation& e : out) {
        t.bind(1, e.id);
        while (t.step())
            e.samples.push_back({t.columnText(0), t.columnText(1), t.columnText(2)});
        t.reset();
    }
    return out;
}

std::vector<RoundRecord> RunQueries::rounds(int64_t runId) const {
    Statement s = m_db->prepare(
        "SELECT round, step, rho, planned_share, grid_g_per_kwh, planned_joules, spent_joules, "
        "co2_grams FROM selection_rounds WHERE run_id = ? ORDER BY round");
    s.bind(1, runId);
    std::vector<RoundRecord> out;
    while (s.step())
        out.push_back({static_cast<int>(s.columnInt(0)), s.columnInt(1), optDouble(s, 2),
                       s.columnDouble(3), optDouble(s, 4), optDouble(s, 5), optDouble(s, 6),
                       optDouble(s, 7)});
    return out;
}

std::vector<int> RunQueries::snapshotRounds(int64_t runId) const {
    Statement s = m_db->prepare(
        "SELECT DISTINCT round FROM tensor_snapshots WHERE run_id = ? ORDER BY round");
    s.bind(1, runId);
    std::vector<int> rounds;
    while (s.step())
        rounds.push_back(static_cast<int>(s.columnInt(0)));
    return rounds;
}

int64_t RunQueries::snapshotStep(int64_t runId, int round) const {
    Statement s =
        m_db->prepare("SELECT MIN(step) FROM tensor_snapshots WHERE run_id = ? AND round = ?");
    s.bind(1, runId).bind(2, round);
    return s.step() && !s.columnIsNull(0) ? s.columnInt(0) : -1;
}

std::vector<TensorSnapshot> RunQueries::tensorSnapshots(int64_t runId, int round) const {
    Statement s = m_db->prepare("SELECT tensor, forward, dw, dy, importance, selected FROM "
                                "tensor_snapshots WHERE run_id = ? AND round = ? "
                                "ORDER BY position, tensor");
    s.bind(1, runId).bind(2, round);
    std::vector<TensorSnapshot> out;
    while (s.step())
        out.push_back({s.columnText(0), s.columnDouble(1), s.columnDouble(2), s.columnDouble(3),
                       optDouble(s, 4), s.columnInt(5) != 0});
    return out;
}

std::vector<Artifact> RunQueries::artifacts(int64_t runId) const {
    Statement s = m_db->prepare(
        "SELECT id, kind, path, step, created_at FROM artifacts WHERE run_id = ? ORDER BY id");
    s.bind(1, runId);
    std::vector<Artifact> out;
    while (s.step())
        out.push_back({s.columnInt(0), s.columnText(1), s.columnText(2),
                       s.columnIsNull(3) ? std::nullopt : std::optional<int64_t>(s.columnInt(3)),
                       s.columnText(4)});
    return out;
}

} // namespace gt::store
