#include "app/cli/data_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/text_table.h"
#include "core/api/builtin_resources.h"
#include "core/api/dataset_preview.h"
#include "core/data/dataset.h"
#include "core/data/debian_corpus.h"
#include "core/io/gzip_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <ostream>
#include <sstream>

namespace fs = std::filesystem;

namespace gt::cli {
namespace {

constexpr const char* kVerbs = "build-debian|preview";

std::string jsonl(const std::vector<data::DebianPair>& pairs, const std::string& split) {
    std::string out;
    for (const auto& p : pairs)
        if (p.split == split)
            out += nlohmann::json{{"package", p.package},
                                  {"source_package", p.sourcePackage},
                                  {"source", p.source},
                                  {"summary", p.summary}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                   "\n";
    return out;
}

int buildDebian(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p("gt data build-debian",
                "Builds the built-in summarisation task (long description -> synopsis) from "
                "apt's Translation-en and Packages lists.");
    p.option("lists", "DIR", "apt's list directory", "/var/lib/apt/lists")
        .option("out", "DIR", "where train/validation/test.jsonl.gz go",
                api::builtinTaskDir().string())
        .option("pretrain-corpus", "FILE", "also write the pretraining corpus (JSONL .gz)")
        .option("seed", "S", "split seed", "20240501");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    data::DebianTaskOptions o;
    o.seed = static_cast<uint64_t>(p.intValue("seed", 0, 1LL << 62));
    const auto lists = data::findAptLists(p.value("lists"));
    std::vector<data::DebianDescription> all;
    std::string packages;
    for (const auto& f : lists.packages)
        packages += data::readAptList(f) + "\n\n";
    for (const auto& f : lists.translations) {
        ctx.err << "reading " << f.filename().string() << "\n";
        auto part = data::joinDescriptions(data::readAptList(f), packages);
        all.insert(all.end(), std::make_move_iterator(part.begin()),
                   std::make_move_iterator(part.end()));
    }
    const auto task = data::buildDebianTask(all, o);
    const fs::path out = p.value("out");
    fs::create_directories(out);
    TextTable counts({"split", ">pairs"});
    for (const std::string split : {"train", "validation", "test"}) {
        io::writeGzip(out / (split + ".jsonl.gz"), jsonl(task.pairs, split));
        counts.addRow({split, std::to_string(
                                  std::count_if(task.pairs.begin(), task.pairs.end(),
                                                [&](const auto& x) { return x.split == split; }))});
    }
    ctx.out << task.descriptions << " unique descriptions; dropped:\n";
    TextTable dropped({"rule", ">descriptions"});
    for (const auto& [rule, n] : task.dropped)
        dropped.addRow({rule, std::to_string(n)});
    dropped.print(ctx.out);
    ctx.out << "\n";
    counts.print(ctx.out);
    if (p.has("pretrain-corpus")) {
        std::string corpus;
        for (const auto& d : task.pretrainDocuments)
            corpus += nlohmann::json{{"text", d}}.dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace) +
                      "\n";
        io::writeGzip(p.value("pretrain-corpus"), corpus);
        ctx.out << "pretraining corpus: " << task.pretrainDocuments.size() << " documents -> "
                << p.value("pretrain-corpus") << "\n";
    }
    return 0;
}

int preview(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p("gt data preview", "Counts, first records and token lengths of a dataset.");
    p.option("data", "FILE", "a JSONL/JSON/CSV/TSV file (optionally .gz)")
        .option("preset", "NAME", "scitldr, dialogsum or debian (the built-in task)")
        .option("dir", "DIR", "the preset's directory (debian: the shipped one)")
        .option("source-field", "F", "source field of --data", "source")
        .option("target-field", "F", "target field of --data", "target")
        .option("model", "DIR", "count lengths in this model's tokens")
        .option("n", "N", "records to show", "3");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    api::DatasetSpec spec;
    if (p.has("preset")) {
        spec.kind = p.value("preset");
        if (p.has("dir")) spec.path = p.value("dir");
        if (spec.kind != "debian" && spec.path.empty())
            throw UsageError("gt data preview: --preset " + spec.kind + " needs --dir");
    } else if (p.has("data")) {
        spec.kind = "file";
        spec.path = p.value("data");
        spec.sourceField = p.value("source-field");
        spec.targetField = p.value("target-field");
    } else {
        throw UsageError("gt data preview: give --data FILE or --preset NAME");
    }
    const auto n = static_cast<size_t>(p.intValue("n", 0, 1000));
    const auto pv = api::previewDataset(spec, p.has("model") ? p.value("model") : "", n);
    TextTable t({"split", ">records", ">source mean", ">p50", ">p95", ">max", ">target mean"});
    for (const auto& s : pv.splits)
        t.addRow({s.name, std::to_string(s.records), TextTable::number(s.source.mean, 1),
                  std::to_string(s.source.p50), std::to_string(s.source.p95),
                  std::to_string(s.source.max), TextTable::number(s.target.mean, 1)});
    ctx.out << "lengths in " << pv.unit << "\n";
    t.print(ctx.out);
    for (size_t i = 0; i < pv.firstRecords.size(); ++i) {
        const auto& e = pv.firstRecords[i];
        ctx.out << "\n[" << i + 1 << "] " << e.source.substr(0, 400)
                << (e.source.size() > 400 ? "..." : "") << "\n  -> " << e.targets.front() << "\n";
    }
    return 0;
}

int runData(CommandContext& ctx) {
    if (ctx.args.empty() || ctx.args[0] == "-h" || ctx.args[0] == "--help") {
        ctx.out << "Usage: gt data <" << kVerbs << "> [options]\n\n"
                << "Datasets: build the built-in Debian task, preview a dataset.\n";
        return ctx.args.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(ctx.args.begin() + 1, ctx.args.end());
    if (ctx.args[0] == "build-debian") return buildDebian(ctx, rest);
    if (ctx.args[0] == "preview") return preview(ctx, rest);
    throw UsageError("gt data: unknown verb '" + ctx.args[0] + "' (" + kVerbs + ")");
}

} // namespace

Command dataCommand() {
    return {"data", "build the built-in Debian task; preview a dataset", runData};
}

} // namespace gt::cli
