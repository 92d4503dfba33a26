#include "app/cli/demo_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "app/cli/interrupt_guard.h"
#include "app/cli/outcome_json.h"
#include "app/cli/progress_line.h"
#include "app/cli/text_table.h"
#include "core/api/builtin_resources.h"
#include "core/api/starter_recipe.h"
#include "core/api/training_job.h"
#include "core/data/dataset.h"
#include "core/eval/baseline_comparison.h"
#include "core/eval/rouge.h"
#include "core/store/store_paths.h"

#include <atomic>
#include <filesystem>
#include <ostream>

namespace gt::cli {
namespace {

/// The first sentence of the source as the summary: the copy baseline a trained model must
/// beat.
double leadBaselineRouge1(size_t examples) {
    const auto s = data::loadPreset("debian", api::builtinTaskDir());
    std::vector<eval::RougeScores> scores;
    for (size_t i = 0; i < std::min(examples, s.validation.size()); ++i) {
        scores.push_back(eval::rougeScoreMulti(eval::leadSentence(s.validation[i].source),
                                               s.validation[i].targets, false));
    }
    return 100 * eval::aggregateRouge(scores, 0).mean.rouge1.fmeasure;
}

struct Row {
    std::string label;
    api::TrainOutcome outcome;
    bool selective = false; ///< GreenTrainer: its plan trains a subset of the tensors
};

std::string signedPoints(double d) {
    return TextTable::number(std::abs(d), 2) + (d >= 0 ? " above " : " below ");
}

/// One sentence on what the table shows, from the measured rows (full, GreenTrainer, LoRA).
std::string whatItShows(const std::vector<Row>& rows, size_t pairs) {
    const auto& full = rows[0].outcome;
    const auto& green = rows[1].outcome;
    const auto& lora = rows[2].outcome;
    auto r1 = [](const api::TrainOutcome& o) { return o.rouge1.value_or(0); };
    auto share = [&](const api::TrainOutcome& o) {
        return full.plannedMacs > 0 ? o.plannedMacs / full.plannedMacs : 0.0;
    };
    auto timeShare = [&](const api::TrainOutcome& o) {
        return full.wallSeconds > 0 ? o.wallSeconds / full.wallSeconds : 0.0;
    };
    return "In short: " + rows[1].label + " scored " + signedPoints(r1(green) - r1(full)) +
           "full fine-tuning in ROUGE-1 for " + TextTable::number(share(green), 2) +
           " of its FLOPs and " + TextTable::number(timeShare(green), 2) + " of its time, and " +
           signedPoints(r1(green) - r1(lora)) + "LoRA, which used " +
           TextTable::number(share(lora), 2) + " of the FLOPs (one seed on " +
           std::to_string(pairs) +
           " pairs; tests/bench/RESULTS.md has three seeds with intervals).";
}

/// The table, the plans' lines, the copy baseline and the closing sentence.
void printDemo(std::ostream& out, const std::vector<Row>& rows, const api::TrainJob& base,
               double lead) {
    const auto& full = rows.front().outcome;
    const double fullMacs = full.plannedMacs, fullWall = full.wallSeconds;
    TextTable t({"method", ">run", ">ROUGE-1", ">ROUGE-2", ">ROUGE-L", ">val loss", ">TFLOPs",
                 ">of full", ">train s", ">of full", ">peak MiB"});
    for (const auto& r : rows) {
        const auto& x = r.outcome;
        t.addRow({r.label, std::to_string(x.runId), TextTable::number(x.rouge1.value_or(0), 2),
                  TextTable::number(x.rouge2.value_or(0), 2),
                  TextTable::number(x.rougeL.value_or(0), 2),
                  TextTable::number(x.validationLoss.value_or(0), 3),
                  TextTable::number(2 * x.plannedMacs / 1e12, 2),
                  TextTable::number(fullMacs > 0 ? x.plannedMacs / fullMacs : 0, 3),
                  TextTable::number(x.wallSeconds, 1),
                  TextTable::number(fullWall > 0 ? x.wallSeconds / fullWall : 0, 3),
                  TextTable::number(static_cast<double>(x.peakRssBytes) / 1048576.0, 0)});
    }
    out << "\n"
        << base.options.maxSteps << " steps x batch " << base.batchSize << " on the first "
        << base.maxTrainExamples << " training pairs; ROUGE (F1 x 100, greedy) on the first "
        << base.evalExamples << " validation pairs; FLOPs = 2 x planned MACs\n";
    t.print(out);
    for (const auto& r : rows) // what the plan trains explains a low score at a tight rho
        if (r.selective && !r.outcome.message.empty())
            out << r.label << ": " << r.outcome.message << "\n";
    out << "copy-the-first-sentence baseline on the same pairs: ROUGE-1 "
        << TextTable::number(lead, 2) << "\n"
        << "runs stored in " << base.dbPath << " (tag 'demo'; gt runs list --tag demo)\n\n"
        << whatItShows(rows, base.evalExamples) << "\n";
}

/// The same content as printDemo, for scripts: one object per method, in table order.
nlohmann::json demoJson(const std::vector<Row>& rows, const api::TrainJob& base, double lead) {
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json m = outcomeJson(r.outcome);
        m["method"] = r.label;
        methods.push_back(m);
    }
    return {{"steps", base.options.maxSteps},
            {"batch", base.batchSize},
            {"train_examples", base.maxTrainExamples},
            {"eval_examples", base.evalExamples},
            {"methods", methods},
            {"lead_baseline_rouge1", lead},
            {"db", base.dbPath},
            {"summary", whatItShows(rows, base.evalExamples)}};
}

int runDemo(CommandContext& ctx) {
    ArgParser p("gt demo", "Full fine-tuning, GreenTrainer (rho 0.5) and LoRA side by side on "
                           "the starter model and the built-in Debian task.");
    const api::StarterRecipe r; // the defaults, shared with the Train page
    p.option("model", "DIR", "model directory", api::starterModelDir().string())
        .option("train-examples", "N", "training subset (the first N pairs)",
                std::to_string(r.trainExamples))
        .option("steps", "N", "optimizer steps per method", std::to_string(r.steps))
        .option("batch", "N", "batch size", std::to_string(r.batchSize))
        .option("seq-len", "N", "prompt + summary tokens", std::to_string(r.seqLen))
        .option("lr", "LR", "learning rate (all methods)", TextTable::compact(r.learningRate))
        .option("rho", "R", "GreenTrainer's FLOPs objective", TextTable::compact(r.rho))
        .option("eval-examples", "N", "validation examples scored per method",
                std::to_string(r.evalExamples))
        .option("db", "FILE", "the run store (default: the user's store)")
        .option("seed", "S", "seed (all methods)", std::to_string(r.seed))
        .flag("json", "print the results as JSON (progress stays on stderr)");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    const std::string model = p.value("model");
    if (!std::filesystem::exists(std::filesystem::path(model) / "config.json"))
        throw std::runtime_error(model + ": no model here (the starter model ships in "
                                         "resources/models/starter; see its MODEL_CARD.md)");
    api::StarterRecipe asked;
    asked.trainExamples = static_cast<size_t>(p.intValue("train-examples", 8, 1LL << 30));
    asked.batchSize = p.intValue("batch", 1, 4096);
    asked.seqLen = p.intValue("seq-len", 16, 1 << 16);
    asked.evalExamples = static_cast<size_t>(p.intValue("eval-examples", 1, 1LL << 30));
    asked.steps = p.intValue("steps", 1, 1LL << 30);
    asked.learningRate = p.doubleValue("lr", 0, 10);
    asked.rho = p.doubleValue("rho", 0.01, 1.0);
    asked.seed = static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX));
    api::TrainJob base = api::starterJob(model, asked);
    base.dbPath = p.has("db") ? p.value("db") : store::defaultStorePath().string();
    base.tags = {"demo"};
    auto& o = base.options;
    o.threads = threadsOption(p);
    const double rho = asked.rho;

    std::vector<std::pair<std::string, api::TrainJob>> jobs;
    for (auto m : {train::Method::Full, train::Method::GreenTrainer, train::Method::Lora}) {
        api::TrainJob j = base;
        j.options.method = m;
        j.options.rho = rho;
        std::string label = m == train::Method::Full ? "Full FT"
                            : m == train::Method::GreenTrainer
                                ? "GreenTrainer rho " + TextTable::number(rho, 2)
                                : "LoRA r8";
        j.runName = "demo " + label;
        jobs.emplace_back(label, j);
    }
    InterruptGuard interrupt;
    std::vector<Row> rows;
    for (const auto& [label, job] : jobs) {
        ctx.err << "== " << label << "\n";
        ProgressLine line(ctx.err);
        auto outcome = api::runTraining(
            job,
            [&](const api::TrainProgress& pr) {
                interrupt.rearm(); // LibTorch replaced our handler while loading
                line.update("step " + std::to_string(pr.step.step) + "/" +
                            std::to_string(pr.totalSteps) + "  loss " +
                            TextTable::number(pr.step.loss, 4) + "  " +
                            TextTable::number(pr.step.stepMillis, 0) + " ms/step  ETA " +
                            TextTable::clock(pr.etaSeconds));
            },
            interrupt.flag());
        line.done();
        rows.push_back({label, outcome, job.options.method == train::Method::GreenTrainer});
        if (outcome.stopped) break;
    }
    if (rows.empty() || rows.back().outcome.stopped) {
        ctx.out << "demo stopped on request; the runs so far are in " << base.dbPath << "\n";
        return 130;
    }
    const double lead = leadBaselineRouge1(base.evalExamples);
    if (p.has("json"))
        ctx.out << demoJson(rows, base, lead).dump(1) << "\n";
    else
        printDemo(ctx.out, rows, base, lead);
    return 0;
}

} // namespace

Command demoCommand() {
    return {"demo", "full FT vs GreenTrainer vs LoRA on the starter model, in minutes", runDemo};
}

} // namespace gt::cli
