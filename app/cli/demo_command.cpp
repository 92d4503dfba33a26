#include "app/cli/demo_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/interrupt_guard.h"
#include "app/cli/text_table.h"
#include "core/api/builtin_resources.h"
#include "core/api/training_job.h"
#include "core/data/dataset.h"
#include "core/eval/baseline_comparison.h"
#include "core/eval/rouge.h"
#include "core/store/store_paths.h"

#include <unistd.h>

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

int runDemo(CommandContext& ctx) {
    ArgParser p("gt demo", "Full fine-tuning, GreenTrainer (rho 0.5) and LoRA side by side on "
                           "the starter model and the built-in Debian task.");
    p.option("model", "DIR", "model directory", api::starterModelDir().string())
        .option("train-examples", "N", "training subset (the first N pairs)", "800")
        .option("steps", "N", "optimizer steps per method", "100")
        .option("batch", "N", "batch size", "8")
        .option("seq-len", "N", "prompt + summary tokens", "256")
        .option("lr", "LR", "learning rate (all methods)", "5e-4")
        .option("rho", "R", "GreenTrainer's FLOPs objective", "0.5")
        .option("eval-examples", "N", "validation examples scored per method", "100")
        .option("threads", "N", "LibTorch threads (0 = all)", "0")
        .option("db", "FILE", "the run store (default: the user's store)")
        .option("seed", "S", "seed (all methods)", "42");
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    const std::string model = p.value("model");
    if (!std::filesystem::exists(std::filesystem::path(model) / "config.json"))
        throw std::runtime_error(model + ": no model here (the starter model ships in "
                                         "resources/models/starter; see its MODEL_CARD.md)");
    api::TrainJob base;
    base.modelDir = model;
    base.preset = "debian";
    base.maxTrainExamples = static_cast<size_t>(p.intValue("train-examples", 8, 1LL << 30));
    base.batchSize = p.intValue("batch", 1, 4096);
    base.maxLength = p.intValue("seq-len", 16, 1 << 16);
    base.evalExamples = static_cast<size_t>(p.intValue("eval-examples", 1, 1LL << 30));
    base.maxNewTokens = 24;
    base.dbPath = p.has("db") ? p.value("db") : store::defaultStorePath().string();
    base.tags = {"demo"};
    auto& o = base.options;
    o.maxSteps = p.intValue("steps", 1, 1LL << 30);
    o.epochs = 1000;
    o.learningRate = p.doubleValue("lr", 0, 10);
    o.threads = static_cast<int>(p.intValue("threads", 0, 1024));
    o.seed = static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX));
    const double rho = p.doubleValue("rho", 0.01, 1.0);

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
    const bool tty = isatty(STDERR_FILENO);
    std::vector<Row> rows;
    for (const auto& [label, job] : jobs) {
        ctx.err << "== " << label << "\n";
        auto outcome = api::runTraining(
            job,
            [&](const api::TrainProgress& pr) {
                interrupt.rearm(); // LibTorch replaced our handler while loading
                ctx.err << (tty ? "\r" : "") << "step " << pr.step.step << "/" << pr.totalSteps
                        << "  loss " << TextTable::number(pr.step.loss, 4) << "  "
                        << TextTable::number(pr.step.stepMillis, 0) << " ms/step  ETA "
                        << TextTable::number(pr.etaSeconds, 0) << " s" << (tty ? "   " : "\n")
                        << std::flush;
            },
            interrupt.flag());
        if (tty) ctx.err << "\n";
        rows.push_back({label, outcome, job.options.method == train::Method::GreenTrainer});
        if (outcome.stopped) break;
    }
    if (rows.empty() || rows.back().outcome.stopped) {
        ctx.out << "demo stopped on request; the runs so far are in " << base.dbPath << "\n";
        return 130;
    }
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
    const double lead = leadBaselineRouge1(base.evalExamples);
    ctx.out << "\n"
            << o.maxSteps << " steps x batch " << base.batchSize << " on the first "
            << base.maxTrainExamples << " training pairs; ROUGE (F1 x 100, greedy) on the first "
            << base.evalExamples << " validation pairs; FLOPs = 2 x planned MACs\n";
    t.print(ctx.out);
    for (const auto& r : rows) // what the plan trains explains a low score at a tight rho
        if (r.selective && !r.outcome.message.empty())
            ctx.out << r.label << ": " << r.outcome.message << "\n";
    ctx.out << "copy-the-first-sentence baseline on the same pairs: ROUGE-1 "
            << TextTable::number(lead, 2) << "\n"
            << "runs stored in " << base.dbPath << " (tag 'demo'; gt runs list --tag demo)\n";
    return 0;
}

} // namespace

Command demoCommand() {
    return {"demo", "full FT vs GreenTrainer vs LoRA on the starter model, in minutes", runDemo};
}

} // namespace gt::cli
