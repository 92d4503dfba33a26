#include "core/store/run_export.h"

#include "core/store/run_queries.h"
#include "core/store/sqlite_db.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <ostream>
#include <set>

namespace gt::store {
namespace {

void flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, std::string>& out) {
    if (j.is_object() && !j.empty()) {
        for (const auto& [k, v] : j.items())
            flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    } else {
        out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
    }
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

RunRecord requireRun(const RunQueries& store, int64_t id) {
    auto r = store.run(id);
    if (!r) throw StoreError(store.file().string() + ": no run with id " + std::to_string(id));
    return *r;
}

} // namespace

std::map<std::string, std::string> flatConfig(const RunRecord& r) {
    std::map<std::string, std::string> f;
    flatten(nlohmann::json::parse(r.configJson, nullptr, false), "", f);
    f.erase(""); // an empty or invalid config flattens to one anonymous key
    f["run.method"] = r.method;
    f["run.rho"] = r.rho ? nlohmann::json(*r.rho).dump() : "";
    f["run.model"] = r.modelPath;
    f["run.dataset"] = r.dataset;
    return f;
}

std::vector<ConfigDifference> configDiff(const RunQueries& store, const std::vector<int64_t>& ids) {
    std::vector<std::map<std::string, std::string>> flat;
    std::set<std::string> keys;
    for (int64_t id : ids) {
        auto f = flatConfig(requireRun(store, id));
        for (const auto& [k, v] : f)
            keys.insert(k);
        flat.push_back(std::move(f));
    }
    std::vector<ConfigDifference> out;
    for (const std::string& k : keys) {
        ConfigDifference d{k, {}};
        for (const auto& f : flat) {
            auto it = f.find(k);
            d.values.push_back(it == f.end() ? std::nullopt
                                             : std::optional<std::string>(it->second));
        }
        if (std::adjacent_find(d.values.begin(), d.values.end(), std::not_equal_to<>()) !=
            d.values.end())
            out.push_back(std::move(d));
    }
    return out;
}

nlohmann::json runSummaryJson(const RunQueries& store, int64_t runId) {
    const auto r = requireRun(store, runId);
    using nlohmann::json;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json j = {{"id", r.id},
              {"name", r.name},
              {"status", statusName(r.status)},
              {"method", r.method},
              {"rho", opt(r.rho)},
              {"created_at", r.createdAt},
              {"finished_at", r.finishedAt},
              {"model", r.modelPath},
              {"model_hash", r.modelHash},
              {"dataset", r.dataset},
              {"tags", r.tags},
              {"notes", r.notes},
              {"software_version", r.softwareVersion},
              {"config", json::parse(r.configJson, nullptr, false)},
              {"host", json::parse(r.hostInfo, nullptr, false)},
              {"wall_seconds", opt(r.wallSeconds)},
              {"energy_joules", opt(r.energyJoules)},
              {"energy_method", r.energyMethod},
              {"energy_source", r.energySource},
              {"co2_grams", opt(r.co2Grams)},
              {"grid_source", r.gridSource},
              {"planned_macs", opt(r.plannedMacs)},
              {"full_macs", opt(r.fullMacs)}};
    json rounds = json::array();
    for (const RoundRecord& k : store.rounds(runId))
        rounds.push_back({{"round", k.round},
                          {"step", k.step},
                          {"rho", opt(k.rho)},
                          {"planned_share", k.plannedShare},
                          {"grid_g_per_kwh", opt(k.gridGPerKwh)},
                          {"planned_joules", opt(k.plannedJoules)},
                          {"spent_joules", opt(k.spentJoules)},
                          {"co2_grams", opt(k.co2Grams)}});
    j["rounds"] = rounds;
    json evals = json::array();
    for (const Evaluation& e : store.evaluations(runId))
        evals.push_back({{"step", e.step},
                         {"split", e.split},
                         {"examples", e.examples},
                         {"rouge1", opt(e.rouge1)},
                         {"rouge2", opt(e.rouge2)},
                         {"rougeL", opt(e.rougeL)},
                         {"rougeLsum", opt(e.rougeLsum)},
                         {"val_loss", opt(e.valLoss)}});
    j["evaluations"] = evals;
    json arts = json::array();
    for (const Artifact& a : store.artifacts(runId))
        arts.push_back({{"kind", a.kind}, {"path", a.path}});
    j["artifacts"] = arts;
    return j;
}

void exportJson(const RunQueries& store, int64_t runId, std::ostream& out) {
    using nlohmann::json;
    json j = runSummaryJson(store, runId);
    json series = json::object();
    for (const std::string& name : store.seriesNames(runId)) {
        json pts = json::array();
        for (const SeriesPoint& p : store.series(runId, name))
            pts.push_back({p.step, p.value});
        series[name] = pts;
    }
    j["series"] = series;
    out << j.dump(1) << "\n";
}

void exportCsv(const RunQueries& store, int64_t runId, std::ostream& out) {
    requireRun(store, runId);
    out << "run_id,series,step,epoch,wall_s,value\n";
    auto num = [](std::optional<double> v) -> std::string {
        if (!v) return "";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *v);
        return buf;
    };
    for (const std::string& name : store.seriesNames(runId))
        for (const SeriesPoint& p : store.series(runId, name))
            out << runId << "," << csvField(name) << "," << p.step << "," << num(p.epoch) << ","
                << num(p.wallSeconds) << "," << num(p.value) << "\n";
}

} // namespace gt::store
