#include "app/cli/runs_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/text_table.h"
#include "core/store/experiment_store.h"
#include "core/store/run_export.h"
#include "core/store/run_outcome.h"
#include "core/store/seed_groups.h"
#include "core/store/store_paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <ostream>

namespace gt::cli {
namespace {

using store::ExperimentStore;

const char* kVerbs = "list, show, compare, export, rm, tag, rename";

std::string fmt(const std::optional<double>& v, int decimals) {
    return v ? TextTable::number(*v, decimals) : "-";
}

int64_t runId(const ArgParser& p, const std::string& name = "id") {
    return p.intValue(name, 1, INT64_MAX);
}

std::filesystem::path dbPath(const ArgParser& p) {
    return p.has("db") ? std::filesystem::path(p.value("db")) : store::defaultStorePath();
}

ArgParser parser(const std::string& verb, const std::string& summary) {
    ArgParser p("gt runs " + verb, summary);
    p.option("db", "FILE", "run store (default: ~/.local/share/greentrainer/runs.sqlite)");
    return p;
}

using nlohmann::json;

json optJson(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

json outcomeJson(const store::RunOutcome& o) {
    json j = json::object();
    for (const auto& f : store::outcomeFields())
        j[f.key] = optJson(o.*f.value);
    j["eval_split"] = o.evalSplit;
    return j;
}

/// A run's line in `gt runs list --json` and `gt runs compare --json`.
json runLineJson(const store::RunQueries& s, const store::RunRecord& r) {
    json seed = nullptr;
    if (const auto c = json::parse(r.configJson, nullptr, false);
        c.is_object() && c.contains("seed"))
        seed = c["seed"];
    return {{"id", r.id},
            {"name", r.name},
            {"status", store::statusName(r.status)},
            {"method", r.method},
            {"rho", optJson(r.rho)},
            {"seed", seed},
            {"model", r.modelPath},
            {"dataset", r.dataset},
            {"created_at", r.createdAt},
            {"finished_at", r.finishedAt},
            {"tags", r.tags},
            {"outcome", outcomeJson(store::runOutcome(s, r.id))}};
}

json intervalJson(const std::optional<store::MeanInterval>& m) {
    if (!m) return nullptr;
    return {{"mean", m->mean}, {"half_width", optJson(m->halfWidth)}, {"n", m->n}};
}

json groupsJson(const store::RunQueries& s, const std::vector<store::SeedGroup>& groups) {
    json out = json::array();
    for (const auto& g : groups) {
        json settings = json::object();
        for (const auto& [k, v] : g.settings)
            settings[k] = v;
        json outcome = json::object();
        const auto stats = store::groupOutcome(s, g);
        for (size_t i = 0; i < stats.size(); ++i)
            outcome[store::outcomeFields()[i].key] = intervalJson(stats[i]);
        out.push_back({{"runs", g.runIds},
                       {"seeds", g.seeds},
                       {"settings", settings},
                       {"outcome", outcome},
                       {"interval", "95% Student t of the mean over the group's seeds"}});
    }
    return out;
}

std::string meanText(const std::optional<store::MeanInterval>& m, int decimals) {
    if (!m) return "-";
    std::string t = TextTable::number(m->mean, decimals);
    if (m->halfWidth) t += " ± " + TextTable::number(*m->halfWidth, decimals);
    return t + " (n=" + std::to_string(m->n) + ")";
}

void printGroups(std::ostream& out, const store::RunQueries& s,
                 const std::vector<store::SeedGroup>& groups) {
    out << "\nseed groups (" << groups.size() << "; mean ± 95% t-interval over the seeds):\n";
    std::vector<std::string> header{"figure"};
    for (size_t g = 0; g < groups.size(); ++g)
        header.push_back(">group " + std::to_string(g + 1));
    TextTable t(header);
    std::vector<std::string> runs{"runs"}, seeds{"seeds"};
    for (const auto& g : groups) {
        std::string ids, ss;
        for (size_t i = 0; i < g.runIds.size(); ++i) {
            if (i) ids += ',', ss += ','; // appended: GCC 12's -Wrestrict misfires on "x" + s
            ids += std::to_string(g.runIds[i]);
            ss += g.seeds[i];
        }
        runs.push_back(ids), seeds.push_back(ss);
    }
    t.addRow(runs), t.addRow(seeds);
    for (size_t k = 0; k < (groups.empty() ? 0 : groups[0].settings.size()); ++k) {
        std::vector<std::string> row{groups[0].settings[k].first};
        for (const auto& g : groups)
            row.push_back(g.settings[k].second);
        t.addRow(row);
    }
    std::vector<std::vector<std::optional<store::MeanInterval>>> stats;
    for (const auto& g : groups)
        stats.push_back(store::groupOutcome(s, g));
    for (size_t i = 0; i < store::outcomeFields().size(); ++i) {
        const auto& f = store::outcomeFields()[i];
        std::vector<std::string> row{f.label};
        for (const auto& st : stats)
            row.push_back(meanText(st[i], f.decimals));
        t.addRow(row);
    }
    t.print(out);
}

int list(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p = parser("list", "Lists stored runs, newest first.");
    p.option("status", "S", "only runs with this status (running, finished, ...)")
        .option("method", "M", "only runs of this method")
        .option("tag", "T", "only runs with this tag")
        .option("search", "TEXT", "only runs whose name or notes contain TEXT")
        .option("sort", "COL", "id, name, created_at, method, rho or status", "created_at")
        .flag("ascending", "oldest / smallest first")
        .flag("json", "the runs as a JSON array: record, seed and outcome (last loss, last "
                      "evaluation, MAC share, time, energy, CO2)");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    store::RunFilter f;
    if (p.has("status")) {
        try {
            f.status = store::parseStatus(p.value("status"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("gt runs list: --status: ") + e.what());
        }
    }
    if (p.has("method")) f.method = p.value("method");
    if (p.has("tag")) f.tag = p.value("tag");
    if (p.has("search")) f.text = p.value("search");
    f.sortBy = p.value("sort");
    f.descending = !p.has("ascending");
    ExperimentStore s(dbPath(p), ExperimentStore::Mode::ReadOnly);
    if (p.has("json")) {
        json out = json::array();
        for (const auto& r : s.listRuns(f))
            out.push_back(runLineJson(s, r));
        return ctx.out << out.dump(1) << "\n", 0;
    }
    TextTable t({">id", "name", "method", ">rho", "status", "created", "tags"});
    for (const auto& r : s.listRuns(f)) {
        std::string tags;
        for (const auto& tag : r.tags)
            tags += (tags.empty() ? "" : ",") + tag;
        t.addRow({std::to_string(r.id), r.name, r.method, fmt(r.rho, 2),
                  store::statusName(r.status), r.createdAt.substr(0, 19), tags});
    }
    t.print(ctx.out);
    return 0;
}

int show(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p =
        parser("show", "Shows one run: configuration, totals, last metrics, evaluations.");
    p.positional("id", "run id")
        .flag("json", "the run as JSON: totals, energy and CO2 with their sources, selection "
                      "rounds, evaluations (gt runs export --json adds the series)");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    ExperimentStore s(dbPath(p), ExperimentStore::Mode::ReadOnly);
    const auto r = s.run(runId(p));
    if (!r)
        throw std::runtime_error("no run with id " + p.value("id") + " in " + s.file().string());
    if (p.has("json")) return ctx.out << store::runSummaryJson(s, r->id).dump(1) << "\n", 0;
    ctx.out << "run " << r->id << ": " << r->name << "  [" << store::statusName(r->status) << "]\n"
            << "  method        " << r->method << (r->rho ? ", rho " + fmt(r->rho, 3) : "") << "\n"
            << "  model         " << r->modelPath << "\n"
            << "  dataset       " << r->dataset << "\n"
            << "  created       " << r->createdAt << "\n"
            << "  finished      " << (r->finishedAt.empty() ? "-" : r->finishedAt) << "\n"
            << "  wall time     " << fmt(r->wallSeconds, 1) << " s\n"
            << "  energy        " << fmt(r->energyJoules, 1) << " J "
            << (r->energyMethod.empty() ? "" : r->energyMethod + ": ") << r->energySource << "\n"
            << "  CO2           " << fmt(r->co2Grams, 3) << " g"
            << (r->gridSource.empty() ? "" : " (" + r->gridSource + ")") << "\n"
            << "  planned MACs  " << fmt(r->plannedMacs, 0) << " of " << fmt(r->fullMacs, 0) << "\n"
            << "  version       " << r->softwareVersion << "\n"
            << "  config        " << r->configJson << "\n";
    ctx.out << "\nlast metrics:\n";
    for (const auto& m : s.lastMetrics(r->id))
        ctx.out << "  " << m.name << " = " << m.value << " (step " << m.step << ")\n";
    if (const auto rounds = s.rounds(r->id); !rounds.empty()) {
        ctx.out << "\nselection rounds:\n";
        TextTable t(
            {">round", ">step", ">rho", ">share", ">g/kWh", ">planned J", ">spent J", ">CO2 g"});
        for (const auto& k : rounds)
            t.addRow({std::to_string(k.round), std::to_string(k.step), fmt(k.rho, 3),
                      fmt(k.plannedShare, 3), fmt(k.gridGPerKwh, 1), fmt(k.plannedJoules, 1),
                      fmt(k.spentJoules, 1), fmt(k.co2Grams, 3)});
        t.print(ctx.out);
    }
    const auto evals = s.evaluations(r->id);
    if (!evals.empty()) {
        ctx.out << "\nevaluations:\n";
        TextTable t({">step", "split", ">n", ">ROUGE-1", ">ROUGE-2", ">ROUGE-L", ">val loss"});
        for (const auto& e : evals)
            t.addRow({std::to_string(e.step), e.split, std::to_string(e.examples), fmt(e.rouge1, 2),
                      fmt(e.rouge2, 2), fmt(e.rougeL, 2), fmt(e.valLoss, 4)});
        t.print(ctx.out);
    }
    return 0;
}

json compareJson(const store::RunQueries& s, const std::vector<store::RunRecord>& runs,
                 bool groupSeeds) {
    std::vector<int64_t> ids;
    json lines = json::array();
    for (const auto& r : runs) {
        ids.push_back(r.id);
        lines.push_back(runLineJson(s, r));
    }
    json diffs = json::array();
    for (const auto& c : store::configDiff(s, ids)) {
        json values = json::array();
        for (const auto& v : c.values)
            values.push_back(v ? json(*v) : json(nullptr));
        diffs.push_back({{"key", c.key}, {"values", values}});
    }
    json j = {{"runs", lines}, {"differences", diffs}};
    if (groupSeeds) j["groups"] = groupsJson(s, store::groupBySeed(s, ids));
    return j;
}

int compare(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p =
        parser("compare", "Final metrics side by side, and the configuration keys that differ.");
    p.positional("id1", "first run id").positional("id2", "second run id");
    for (int i = 3; i <= 16; ++i)
        p.positional("id" + std::to_string(i), "more run ids", false);
    p.flag("json", "JSON: each run's outcome, the differing configuration keys (and the groups)")
        .flag("group-seeds", "also group the runs that differ only by seed: mean and 95% "
                             "t-interval of each outcome");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    std::vector<int64_t> ids;
    for (int i = 1; i <= 16; ++i)
        if (p.has("id" + std::to_string(i))) ids.push_back(runId(p, "id" + std::to_string(i)));
    ExperimentStore s(dbPath(p), ExperimentStore::Mode::ReadOnly);
    std::vector<std::string> header{"metric"};
    for (int64_t id : ids)
        header.push_back(">run " + std::to_string(id));
    TextTable t(header);
    auto row = [&](const std::string& label, auto get) {
        std::vector<std::string> cells{label};
        for (int64_t id : ids)
            cells.push_back(get(id));
        t.addRow(cells);
    };
    std::vector<store::RunRecord> runs;
    for (int64_t id : ids) {
        auto r = s.run(id);
        if (!r) throw std::runtime_error("no run with id " + std::to_string(id));
        runs.push_back(*r);
    }
    if (p.has("json"))
        return ctx.out << compareJson(s, runs, p.has("group-seeds")).dump(1) << "\n", 0;
    auto at = [&](int64_t id) -> const store::RunRecord& {
        return *std::find_if(runs.begin(), runs.end(), [&](auto& r) { return r.id == id; });
    };
    row("name", [&](int64_t id) { return at(id).name; });
    row("method", [&](int64_t id) { return at(id).method; });
    row("status", [&](int64_t id) { return store::statusName(at(id).status); });
    for (const auto& f : store::outcomeFields())
        row(f.label,
            [&](int64_t id) { return fmt(store::runOutcome(s, id).*f.value, f.decimals); });
    t.print(ctx.out);
    const auto diff = store::configDiff(s, ids);
    ctx.out << "\nconfiguration differences (" << diff.size() << "):\n";
    if (diff.empty()) ctx.out << "  none\n";
    TextTable d(header);
    for (const auto& c : diff) {
        std::vector<std::string> cells{c.key};
        for (const auto& v : c.values)
            cells.push_back(v ? *v : "(absent)");
        d.addRow(cells);
    }
    if (!diff.empty()) d.print(ctx.out);
    if (p.has("group-seeds")) printGroups(ctx.out, s, store::groupBySeed(s, ids));
    return 0;
}

int exportRun(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p =
        parser("export", "Writes a run's series (CSV, long format) or everything (JSON).");
    p.positional("id", "run id")
        .flag("csv", "CSV: run_id,series,step,epoch,wall_s,value")
        .flag("json", "JSON: run, config, series, evaluations, artifacts")
        .option("out", "FILE", "write to FILE instead of standard output");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    if (p.has("csv") == p.has("json"))
        throw UsageError("gt runs export: choose one of --csv or --json");
    ExperimentStore s(dbPath(p), ExperimentStore::Mode::ReadOnly);
    std::ofstream file;
    if (p.has("out")) {
        file.open(p.value("out"));
        if (!file) throw std::runtime_error(p.value("out") + ": cannot write");
    }
    std::ostream& out = p.has("out") ? file : ctx.out;
    if (p.has("csv"))
        store::exportCsv(s, runId(p), out);
    else
        store::exportJson(s, runId(p), out);
    return 0;
}

int remove(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p = parser("rm", "Deletes a run and all its rows.");
    p.positional("id", "run id").flag("artifacts", "also delete its checkpoints and exports");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    ExperimentStore s(dbPath(p));
    const auto removed = s.deleteRuns({runId(p)}, p.has("artifacts"));
    ctx.out << "deleted run " << runId(p);
    if (p.has("artifacts")) ctx.out << " and " << removed.size() << " artifact(s)";
    ctx.out << "\n";
    return 0;
}

int tag(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p = parser("tag", "Adds (or with --remove, removes) a tag.");
    p.positional("id", "run id").positional("tag", "the tag").flag("remove", "remove the tag");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    ExperimentStore s(dbPath(p));
    if (p.has("remove"))
        s.removeTag(runId(p), p.value("tag"));
    else
        s.addTag(runId(p), p.value("tag"));
    return 0;
}

int rename(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p = parser("rename", "Renames a run.");
    p.positional("id", "run id").positional("name", "the new name");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    ExperimentStore s(dbPath(p));
    s.renameRun(runId(p), p.value("name"));
    return 0;
}

int runRuns(CommandContext& ctx) {
    if (ctx.args.empty() || ctx.args[0] == "-h" || ctx.args[0] == "--help") {
        ctx.out << "Usage: gt runs <" << kVerbs << "> [options]\n\n"
                << "The experiment store (SQLite). 'gt runs <verb> --help' for each verb.\n";
        return ctx.args.empty() ? 2 : 0;
    }
    const std::string verb = ctx.args[0];
    const std::vector<std::string> rest(ctx.args.begin() + 1, ctx.args.end());
    if (verb == "list") return list(ctx, rest);
    if (verb == "show") return show(ctx, rest);
    if (verb == "compare") return compare(ctx, rest);
    if (verb == "export") return exportRun(ctx, rest);
    if (verb == "rm") return remove(ctx, rest);
    if (verb == "tag") return tag(ctx, rest);
    if (verb == "rename") return rename(ctx, rest);
    throw UsageError("gt runs: unknown verb '" + verb + "' (" + kVerbs + ")");
}

} // namespace

Command runsCommand() {
    return {"runs", "list, show, compare, export, tag, rename and delete stored runs", runRuns};
}

} // namespace gt::cli
