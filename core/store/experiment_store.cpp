#include "core/store/experiment_store.h"

#include "core/io/name_table.h"
#include "core/io/version.h"
#include "core/store/migrations.h"
#include "core/store/sqlite_db.h"
#include "core/store/writer_process.h"

#include <nlohmann/json.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <ostream>
#include <set>

namespace fs = std::filesystem;

namespace gt::store {
namespace {

std::string nowIso() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
    return out;
}

} // namespace

namespace {
constexpr io::NameTable kStatuses("run status", std::array<io::EnumName<RunStatus>, 5>{
                                                    {{RunStatus::Running, "running"},
                                                     {RunStatus::Finished, "finished"},
                                                     {RunStatus::Stopped, "stopped"},
                                                     {RunStatus::Failed, "failed"},
                                                     {RunStatus::Interrupted, "interrupted"}}});
} // namespace

std::string statusName(RunStatus s) {
    return kStatuses.name(s);
}

RunStatus parseStatus(const std::string& s) {
    return kStatuses.parse(s);
}

namespace {

/// Opens the file (creating its directory for a writer); a reader needs an existing store.
std::unique_ptr<Database> openDatabase(const fs::path& file, bool readOnly) {
    if (!readOnly && !file.parent_path().empty()) {
        std::error_code ec;
        fs::create_directories(file.parent_path(), ec);
        if (ec)
            throw StoreError(file.string() + ": cannot create the directory " +
                             file.parent_path().string() + " (" + ec.message() + ")");
    }
    if (readOnly && !fs::exists(file))
        throw StoreError(file.string() + ": no run store here (nothing has been stored yet)");
    return std::make_unique<Database>(file, readOnly);
}

} // namespace

ExperimentStore::ExperimentStore(const fs::path& file, Mode mode)
    : RunQueries(openDatabase(file, mode == Mode::ReadOnly))
    , m_readOnly(mode == Mode::ReadOnly) {
    int version = 0;
    try {
        version = store::schemaVersion(*m_db);
        if (version == 0) refuseForeignDatabase(file);
        m_db->exec("PRAGMA foreign_keys = ON");
        if (!m_readOnly) {
            m_db->exec("PRAGMA journal_mode = WAL");
            m_db->exec("PRAGMA synchronous = NORMAL"); // WAL: durable across process crashes
        }
    } catch (const StoreError& e) {
        if (e.code() == SQLITE_NOTADB)
            throw StoreError(file.string() + ": not a GreenTrainer run store (the file is not "
                                             "an SQLite database); choose another file with --db",
                             e.code());
        throw;
    }
    if (version > latestSchemaVersion()) {
        if (!m_readOnly)
            throw StoreError(file.string() + ": schema version " + std::to_string(version) +
                             " is newer than this build understands (" +
                             std::to_string(latestSchemaVersion()) +
                             "); open it read-only or update GreenTrainer Workbench");
        return;
    }
    if (m_readOnly) {
        // An older store is upgraded once through a short-lived writer (each migration is a
        // transaction), so readers such as the Runs page keep working after an update.
        if (version < latestSchemaVersion()) try {
                const ExperimentStore upgrade(file);
            } catch (const StoreError& e) {
                throw StoreError(file.string() + ": schema version " + std::to_string(version) +
                                     " needs an upgrade, which failed: " + e.what(),
                                 e.code());
            }
        return;
    }
    migrate(*m_db);
    markInterruptedRuns();
}

ExperimentStore::~ExperimentStore() = default;

void ExperimentStore::refuseForeignDatabase(const fs::path& file) {
    // A store records its schema version; an unversioned file with tables belongs to another
    // application, and adding ours (or WAL mode) would change it.
    Statement s = m_db->prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                "NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4");
    std::string tables;
    while (s.step())
        tables += (tables.empty() ? "" : ", ") + s.columnText(0);
    if (tables.empty()) return;
    throw StoreError(file.string() +
                     ": an SQLite database of another application (tables: " + tables +
                     "), not a GreenTrainer run store; it was left unchanged - choose "
                     "another file with --db");
}

int ExperimentStore::latestSchemaVersion() {
    return static_cast<int>(embeddedMigrations().size());
}

void ExperimentStore::setMaxPages(int64_t pages) {
    m_db->exec("PRAGMA max_page_count = " + std::to_string(pages));
}

void ExperimentStore::requireWritable(const char* what) const {
    if (m_readOnly) throw StoreError(m_db->file().string() + ": opened read-only, cannot " + what);
}

void ExperimentStore::markInterruptedRuns() {
    Statement s =
        m_db->prepare("SELECT id, writer_host, writer_pid FROM runs WHERE status = 'running'");
    std::vector<int64_t> dead;
    while (s.step())
        if (!writerAlive(s.columnText(1), s.columnInt(2))) dead.push_back(s.columnInt(0));
    if (dead.empty()) return;
    Transaction tx(*m_db);
    Statement u = m_db->prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?");
    for (int64_t id : dead) {
        u.bind(1, id);
        u.run();
    }
    tx.commit();
}

int64_t ExperimentStore::createRun(const NewRun& run) {
    requireWritable("create a run");
    if (!nlohmann::json::accept(run.configJson))
        throw StoreError("createRun: the run configuration is not valid JSON");
    const nlohmann::json host = {
        {"host", thisHost()}, {"pid", getpid()}, {"cores", sysconf(_SC_NPROCESSORS_ONLN)}};
    Transaction tx(*m_db);
    Statement s = m_db->prepare(
        "INSERT INTO runs (name, notes, status, created_at, method, rho, model_path, model_hash, "
        "dataset, dataset_hash, config_json, software_version, host_info, writer_host, "
        "writer_pid) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, run.name).bind(2, run.notes).bind(3, nowIso()).bind(4, run.method).bind(5, run.rho);
    s.bind(6, run.modelPath).bind(7, run.modelHash).bind(8, run.dataset).bind(9, run.datasetHash);
    s.bind(10, run.configJson).bind(11, io::versionString()).bind(12, host.dump());
    s.bind(13, thisHost()).bind(14, static_cast<int64_t>(getpid()));
    s.run();
    const int64_t id = m_db->lastInsertId();
    Statement t = m_db->prepare("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)");
    for (const std::string& tag : run.tags) {
        t.bind(1, id).bind(2, tag);
        t.run();
    }
    tx.commit();
    return id;
}

void ExperimentStore::appendMetrics(int64_t runId, const std::vector<MetricPoint>& points) {
    requireWritable("append metrics");
    Transaction tx(*m_db);
    Statement s = m_db->prepare("INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, "
                                "wall_s, value) VALUES (?, ?, ?, ?, ?, ?)");
    for (const MetricPoint& p : points) {
        s.bind(1, runId).bind(2, p.name).bind(3, p.step).bind(4, p.epoch).bind(5, p.wallSeconds);
        s.bind(6, p.value);
        s.run();
    }
    tx.commit();
}

int64_t ExperimentStore::addEvaluation(int64_t runId, const Evaluation& e) {
    requireWritable("add an evaluation");
    Transaction tx(*m_db);
    Statement s = m_db->prepare(
        "INSERT INTO evaluations (run_id, step, split, examples, rouge1, rouge2, rougeL, "
        "rougeLsum, val_loss, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, runId).bind(2, e.step).bind(3, e.split).bind(4, e.examples).bind(5, e.rouge1);
    s.bind(6, e.rouge2).bind(7, e.rougeL).bind(8, e.rougeLsum).bind(9, e.valLoss);
    s.bind(10, nowIso());
    s.run();
    const int64_t id = m_db->lastInsertId();
    Statement t = m_db->prepare("INSERT INTO eval_samples (eval_id, idx, source, prediction, "
                                "reference) VALUES (?, ?, ?, ?, ?)");
    for (size_t i = 0; i < e.samples.size(); ++i) {
        t.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, e.samples[i].source);
        t.bind(4, e.samples[i].prediction).bind(5, e.samples[i].reference);
        t.run();
    }
    tx.commit();
    return id;
}

void ExperimentStore::addTensorSnapshots(int64_t runId, int round, int64_t step,
                                         const std::vector<TensorSnapshot>& rows) {
    requireWritable("store a selection round");
    Transaction tx(*m_db);
    Statement s = m_db->prepare(
        "INSERT OR REPLACE INTO tensor_snapshots (run_id, round, step, tensor, forward, dw, dy, "
        "importance, selected, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < rows.size(); ++i) {
        const TensorSnapshot& r = rows[i];
        s.bind(1, runId).bind(2, round).bind(3, step).bind(4, r.tensor).bind(5, r.forward);
        s.bind(6, r.dw).bind(7, r.dy).bind(8, r.importance).bind(9, r.selected ? 1 : 0);
        s.bind(10, static_cast<int64_t>(i));
        s.run();
    }
    tx.commit();
}

int64_t ExperimentStore::addArtifact(int64_t runId, const std::string& kind,
                                     const std::string& path, std::optional<int64_t> step) {
    requireWritable("record an artifact");
    Statement s = m_db->prepare(
        "INSERT INTO artifacts (run_id, kind, path, step, created_at) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, runId).bind(2, kind).bind(3, path).bind(4, step).bind(5, nowIso());
    s.run();
    return m_db->lastInsertId();
}

void ExperimentStore::finishRun(int64_t runId, RunStatus status, const RunTotals& t) {
    requireWritable("finish a run");
    if (status == RunStatus::Running)
        throw std::invalid_argument("finishRun: a run cannot finish as 'running'");
    requireRun(runId);
    Transaction tx(*m_db);
    Statement s = m_db->prepare(
        "UPDATE runs SET status = ?, finished_at = ?, wall_seconds = ?, energy_joules = ?, "
        "energy_source = ?, planned_macs = ?, full_macs = ?, energy_method = ?, co2_grams = ?, "
        "grid_source = ? WHERE id = ?");
    s.bind(1, statusName(status)).bind(2, nowIso()).bind(3, t.wallSeconds);
    s.bind(4, t.energyJoules).bind(5, t.energySource).bind(6, t.plannedMacs).bind(7, t.fullMacs);
    s.bind(8, t.energyMethod).bind(9, t.co2Grams).bind(10, t.gridSource);
    s.bind(11, runId);
    s.run();
    tx.commit();
}

void ExperimentStore::reopenRun(int64_t runId) {
    requireWritable("resume a run");
    requireRun(runId);
    if (run(runId)->status == RunStatus::Running)
        throw StoreError("run " + std::to_string(runId) +
                         " is still running in another process; stop it before resuming it");
    Statement s =
        m_db->prepare("UPDATE runs SET status = 'running', finished_at = NULL, writer_host = ?, "
                      "writer_pid = ? WHERE id = ?");
    s.bind(1, thisHost()).bind(2, static_cast<int64_t>(getpid())).bind(3, runId);
    s.run();
}

void ExperimentStore::rewindRun(int64_t runId, int64_t step, int round) {
    requireWritable("rewind a run");
    requireRun(runId);
    Transaction tx(*m_db);
    const auto erase = [&](const char* sql, int64_t after) {
        Statement s = m_db->prepare(sql);
        s.bind(1, runId).bind(2, after);
        s.run();
    };
    erase("DELETE FROM metrics WHERE run_id = ? AND step > ?", step);
    erase("DELETE FROM evaluations WHERE run_id = ? AND step > ?", step);
    erase("DELETE FROM tensor_snapshots WHERE run_id = ? AND round > ?", round);
    erase("DELETE FROM selection_rounds WHERE run_id = ? AND round > ?", round);
    tx.commit();
}

void ExperimentStore::setFullMacs(int64_t runId, double macs) {
    requireWritable("record a run's cost");
    Statement s = m_db->prepare("UPDATE runs SET full_macs = ? WHERE id = ?");
    s.bind(1, macs).bind(2, runId);
    s.run();
}

void ExperimentStore::putRound(int64_t runId, const RoundRecord& r) {
    requireWritable("record a selection round");
    Statement s = m_db->prepare(
        "INSERT OR REPLACE INTO selection_rounds (run_id, round, step, rho, planned_share, "
        "grid_g_per_kwh, planned_joules, spent_joules, co2_grams) VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, runId).bind(2, static_cast<int64_t>(r.round)).bind(3, r.step).bind(4, r.rho);
    s.bind(5, r.plannedShare).bind(6, r.gridGPerKwh).bind(7, r.plannedJoules);
    s.bind(8, r.spentJoules).bind(9, r.co2Grams);
    s.run();
}

void ExperimentStore::removeArtifacts(int64_t runId, const std::string& kind) {
    requireWritable("forget an artifact");
    Statement s = m_db->prepare("DELETE FROM artifacts WHERE run_id = ? AND kind = ?");
    s.bind(1, runId).bind(2, kind);
    s.run();
}

void ExperimentStore::renameRun(int64_t runId, const std::string& name) {
    requireWritable("rename a run");
    requireRun(runId);
    Statement s = m_db->prepare("UPDATE runs SET name = ? WHERE id = ?");
    s.bind(1, name).bind(2, runId);
    s.run();
}

void ExperimentStore::addTag(int64_t runId, const std::string& tag) {
    requireWritable("tag a run");
    requireRun(runId);
    if (tag.empty()) throw std::invalid_argument("a tag cannot be empty");
    Statement s = m_db->prepare("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)");
    s.bind(1, runId).bind(2, tag);
    s.run();
}

void ExperimentStore::removeTag(int64_t runId, const std::string& tag) {
    requireWritable("untag a run");
    Statement s = m_db->prepare("DELETE FROM run_tags WHERE run_id = ? AND tag = ?");
    s.bind(1, runId).bind(2, tag);
    s.run();
}

std::vector<std::string> ExperimentStore::deleteRuns(const std::vector<int64_t>& runIds,
                                                     bool removeArtifacts) {
    requireWritable("delete a run");
    std::vector<Artifact> arts;
    for (int64_t id : runIds) { // check every run first: a refused run deletes nothing
        requireRun(id);
        if (run(id)->status == RunStatus::Running)
            throw StoreError("run " + std::to_string(id) +
                             " is still running; stop it before deleting it");
        for (Artifact& a : artifacts(id))
            arts.push_back(std::move(a));
    }
    Transaction tx(*m_db);
    for (int64_t id : runIds) {
        Statement s = m_db->prepare("DELETE FROM runs WHERE id = ?"); // cascades to every table
        s.bind(1, id);
        s.run();
    }
    tx.commit();
    std::vector<std::string> removed;
    if (!removeArtifacts) return removed;
    for (const Artifact& a : arts) {
        std::error_code ec;
        if (fs::remove_all(a.path, ec) > 0 && !ec) removed.push_back(a.path);
    }
    return removed;
}

} // namespace gt::store
