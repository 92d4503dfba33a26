#include "app/cli/eval_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "app/cli/progress_line.h"
#include "app/cli/text_table.h"
#include "core/api/evaluation_job.h"
#include "core/store/store_paths.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <ostream>

namespace gt::cli {
namespace {

/// "[low, high]", built by appending: GCC 12's -Wrestrict misfires on "literal" + string.
std::string bracketed(double low, double high) {
    std::string s(1, '[');
    s += TextTable::number(low, 2);
    s += ", ";
    s += TextTable::number(high, 2);
    s += ']';
    return s;
}

void printLeadComparison(std::ostream& out, const api::EvalScores& s) {
    const auto& c = *s.lead;
    out << "\nagainst copying each source's first sentence (paired bootstrap, " << c.resamples
        << " resamples of the examples):\n";
    TextTable t({"metric", ">model", ">first sentence", ">model - first [95%]", ">model ahead in"});
    auto row = [&](const char* name, double model, double lead, const eval::PairedDifference& d) {
        std::string diff = d.mean >= 0 ? "+" : "";
        diff += TextTable::number(d.mean, 2);
        diff += "  ";
        diff += bracketed(d.low, d.high);
        std::string ahead = TextTable::number(100 * d.shareAhead, 1);
        ahead += '%';
        t.addRow({name, TextTable::number(model, 2), TextTable::number(lead, 2), diff, ahead});
    };
    row("ROUGE-1", s.rouge1, c.rouge1, c.rouge1Diff);
    t.addRow({"  95%", bracketed(s.rouge1Low, s.rouge1High), bracketed(c.rouge1Low, c.rouge1High),
              "", ""});
    row("ROUGE-2", s.rouge2, c.rouge2, c.rouge2Diff);
    row("ROUGE-L", s.rougeL, c.rougeL, c.rougeLDiff);
    t.print(out);
}

int runEval(CommandContext& ctx) {
    ArgParser p("gt eval", "Generates for a dataset split and scores it with ROUGE.");
    p.option("model", "DIR", "Hugging Face model directory")
        .option("preset", "NAME", "scitldr, dialogsum (with --data) or debian (built-in)")
        .option("data", "DIR", "the preset's directory")
        .option("file", "FILE", "a JSONL/JSON/CSV/TSV dataset instead of a preset")
        .option("source-field", "F", "source field of --file", "source")
        .option("target-field", "F", "target field of --file", "target")
        .option("split", "S", "train, validation or test", "validation")
        .option("limit", "N", "first N examples (0 = all)", "0")
        .option("batch", "N", "examples generated together", "16")
        .option("beams", "N", "beam search width (1 = greedy)", "1")
        .option("length-penalty", "A", "beam search: score = log p / length^A", "1")
        .flag("length-of-new-tokens",
              "that length counts the new tokens only (default: the whole sequence, as HF 4.35)")
        .flag("paper", "the paper's generation: 4 beams, repetition penalty 2.5")
        .flag("stem", "Porter stemmer in ROUGE")
        .flag("lead-baseline",
              "also score each source's first sentence and compare, paired, with the model")
        .flag("store", "store the scores as a run (default store, or --db)")
        .option("db", "FILE", "the run store")
        .option("name", "NAME", "run name when stored", "eval")
        .option("attach", "RUN",
                "add the scores to stored run RUN (the model's training run) as an evaluation "
                "of the split, instead of a run of their own (default store, or --db)")
        .flag("json", "print JSON with every prediction");
    addGenerationOptions(p, 32, "per example", "the source");
    addSeqLenOption(p);
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    api::EvalJob j;
    j.modelDir = p.value("model");
    if (p.has("preset")) {
        j.preset = p.value("preset");
        if (p.has("data")) j.dataDir = p.value("data");
        if (j.preset != "debian" && j.dataDir.empty())
            throw UsageError("gt eval: --preset " + j.preset + " needs --data DIR");
    } else if (p.has("file")) {
        j.file = p.value("file");
        j.sourceField = p.value("source-field");
        j.targetField = p.value("target-field");
    } else {
        throw UsageError("gt eval: give --preset NAME or --file FILE");
    }
    j.split = p.value("split");
    j.limit = static_cast<size_t>(p.intValue("limit", 0, 1LL << 40));
    j.maxLength = seqLenOption(p, j.modelDir);
    const GenerationSettings g = generationOptions(p);
    j.maxNewTokens = g.maxNewTokens;
    j.batchSize = p.intValue("batch", 1, 4096);
    j.numBeams = p.intValue("beams", 1, 64);
    j.noRepeatNgram = g.noRepeatNgram;
    j.lengthPenalty = p.doubleValue("length-penalty", -10, 10);
    j.lengthOfNewTokens = p.has("length-of-new-tokens");
    j.paperGeneration = p.has("paper");
    j.stem = p.has("stem");
    j.leadBaseline = p.has("lead-baseline");
    j.threads = threadsOption(p);
    if (p.has("store") || p.has("db") || p.has("attach"))
        j.dbPath = p.has("db") ? p.value("db") : store::defaultStorePath().string();
    if (p.has("attach")) j.attachRun = p.intValue("attach", 1, INT64_MAX);
    j.runName = p.value("name");
    ProgressLine line(ctx.err);
    const auto t0 = std::chrono::steady_clock::now();
    const auto s = api::runEvaluation(j, [&](size_t done, size_t total) {
        const double el =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        line.update("evaluated " + std::to_string(done) + "/" + std::to_string(total) + "  " +
                    ProgressLine::eta(el, static_cast<double>(done), static_cast<double>(total)));
    });
    line.done();
    if (p.has("json")) {
        nlohmann::json out = {{"examples", s.examples},
                              {"rouge1", s.rouge1},
                              {"rouge2", s.rouge2},
                              {"rougeL", s.rougeL},
                              {"rougeLsum", s.rougeLsum},
                              {"rouge1_interval", {s.rouge1Low, s.rouge1High}},
                              {"loss", s.loss},
                              {"seconds", s.seconds},
                              {"predictions", s.predictions},
                              {"references", s.references}};
        if (s.lead) out["lead_baseline"] = api::toJson(*s.lead);
        if (s.runId) out["run_id"] = s.runId;
        ctx.out << out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return 0;
    }
    TextTable t({"metric", ">F1 x 100"});
    t.addRow({"ROUGE-1", TextTable::number(s.rouge1, 2) + "  [" +
                             TextTable::number(s.rouge1Low, 2) + ", " +
                             TextTable::number(s.rouge1High, 2) + "]"});
    t.addRow({"ROUGE-2", TextTable::number(s.rouge2, 2)});
    t.addRow({"ROUGE-L", TextTable::number(s.rougeL, 2)});
    t.addRow({"ROUGE-Lsum", TextTable::number(s.rougeLsum, 2)});
    ctx.out << s.examples << " examples (" << j.split << "), loss " << TextTable::number(s.loss, 4)
            << ", " << TextTable::number(s.seconds, 1) << " s, "
            << TextTable::number(s.tokensPerSecond, 0) << " generated tokens/s\n";
    t.print(ctx.out);
    if (s.lead) printLeadComparison(ctx.out, s);
    for (size_t i = 0; i < std::min<size_t>(3, s.examples); ++i)
        ctx.out << "\n  predicted: " << s.predictions[i] << "\n  reference: " << s.references[i]
                << "\n";
    if (s.runId)
        ctx.out << (j.attachRun ? "attached to run " : "stored as run ") << s.runId
                << (j.attachRun ? " as a " + j.split + " evaluation" : std::string()) << "\n";
    return 0;
}

} // namespace

Command evalCommand() {
    return {"eval", "generate for a dataset split and score it (ROUGE, loss)", runEval};
}

} // namespace gt::cli
