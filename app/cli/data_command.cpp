#include "app/cli/data_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/text_table.h"
#include "core/api/builtin_resources.h"
#include "core/data/dataset.h"
#include "core/data/debian_corpus.h"
#include "core/io/gzip_file.h"
#include "core/text/tokenizer.h"

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

data::Splits loadForPreview(const ArgParser& p) {
    if (p.has("preset")) {
        const std::string preset = p.value("preset");
        const fs::path dir = p.has("dir")         ? fs::path(p.value("dir"))
                             : preset == "debian" ? api::builtinTaskDir()
                                                  : fs::path();
        if (dir.empty()) throw UsageError("gt data preview: --preset " + preset + " needs --dir");
        return data::loadPreset(preset, dir);
    }
    if (!p.has("data")) throw UsageError("gt data preview: give --data FILE or --preset NAME");
    data::ReadOptions o;
    o.sourceField = p.value("source-field");
    o.targetField = p.value("target-field");
    data::Splits s;
    s.train = data::readDataset(p.value("data"), o);
    return s;
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
    const auto splits = loadForPreview(p);
    std::unique_ptr<text::Tokenizer> tok;
    if (p.has("model")) tok = text::Tokenizer::load(p.value("model"));
    TextTable t({"split", ">records", ">source mean", ">p50", ">p95", ">max", ">target mean"});
    const std::string unit = tok ? "tokens" : "words";
    auto length = [&](const std::string& s) -> int64_t {
        if (tok) return static_cast<int64_t>(tok->encode(s, false).size());
        std::istringstream in(s);
        int64_t n = 0;
        for (std::string w; in >> w;)
            ++n;
        return n;
    };
    for (const auto& [name, split] :
         {std::pair{"train", &splits.train}, std::pair{"validation", &splits.validation},
          std::pair{"test", &splits.test}}) {
        if (split->empty()) continue;
        std::vector<int64_t> src, tgt;
        for (const auto& e : *split) {
            src.push_back(length(e.source));
            tgt.push_back(length(e.targets.front()));
        }
        const auto s = data::lengthStats(src), g = data::lengthStats(tgt);
        t.addRow({name, std::to_string(split->size()), TextTable::number(s.mean, 1),
                  std::to_string(s.p50), std::to_string(s.p95), std::to_string(s.max),
                  TextTable::number(g.mean, 1)});
    }
    ctx.out << "lengths in " << unit << "\n";
    t.print(ctx.out);
    const long long n = p.intValue("n", 0, 1000);
    for (long long i = 0; i < n && i < static_cast<long long>(splits.train.size()); ++i) {
        const auto& e = splits.train[static_cast<size_t>(i)];
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
