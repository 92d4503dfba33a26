#include "app/cli/train_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "app/cli/cost_options.h"
#include "app/cli/data_options.h"
#include "app/cli/footprint_options.h"
#include "app/cli/interrupt_guard.h"
#include "app/cli/outcome_json.h"
#include "app/cli/progress_line.h"
#include "app/cli/text_table.h"
#include "core/api/training_job.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <ostream>
#include <tuple>

namespace gt::cli {
namespace {

api::TrainJob jobFrom(const ArgParser& p) {
    api::TrainJob j;
    j.modelDir = p.value("model");
    readDataOptions(p, j, "gt train");
    auto& o = j.options;
    try {
        o.method = train::parseMethod(p.value("method"));
        o.selector.kind = green::parseSelector(p.value("selector"));
        o.accounting = green::parseAccounting(p.value("accounting"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("gt train: ") + e.what());
    }
    checkedOrder(p, o.accounting, "gt train");
    o.rho = p.doubleValue("rho", 0.0, 1.0);
    o.topBlocks = static_cast<int>(p.intValue("k", 1, 100000));
    o.loraRank = static_cast<int>(p.intValue("lora-rank", 1, 65536));
    o.loraAlpha = p.doubleValue("lora-alpha", 0.0, 1e6);
    o.loraDropout = p.doubleValue("lora-dropout", 0.0, 0.99);
    if (p.has("lora-targets")) {
        std::string t = p.value("lora-targets");
        for (size_t pos = 0; pos <= t.size();) {
            const size_t comma = std::min(t.find(',', pos), t.size());
            if (comma > pos) o.loraTargets.push_back(t.substr(pos, comma - pos));
            pos = comma + 1;
        }
    }
    o.prefixTokens = static_cast<int>(p.intValue("prefix-tokens", 1, 4096));
    o.prefixProjection = p.value("prefix-projection") != "off";
    if (p.value("prefix-projection") != "on" && p.value("prefix-projection") != "off")
        throw UsageError("gt train: --prefix-projection must be on or off, got '" +
                         p.value("prefix-projection") + "'");
    o.prefixHidden = static_cast<int>(p.intValue("prefix-hidden", 0, 1 << 20));
    o.lisaLayers = static_cast<int>(p.intValue("lisa-layers", 1, 100000));
    o.lisaInterval = p.intValue("lisa-interval", 1, 1LL << 40);
    o.badamInterval = p.intValue("badam-interval", 1, 1LL << 40);
    o.badamOrder = p.value("badam-order");
    o.freezeStart = p.doubleValue("freeze-start", 0.0, 1.0);
    o.reselectEveryEpochs = static_cast<int>(p.intValue("interval", 1, 1000));
    o.learningRate = p.doubleValue("lr", 0.0, 10.0);
    o.warmupSteps = p.intValue("warmup", 0, 1LL << 40);
    o.epochs = static_cast<int>(p.intValue("epochs", 1, 100000));
    o.maxSteps = p.intValue("max-steps", 0, 1LL << 40);
    o.gradAccumulation = static_cast<int>(p.intValue("grad-accum", 1, 4096));
    o.clipGradNorm = p.doubleValue("clip", 0.0, 1e9);
    o.seed = static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX));
    o.threads = threadsOption(p);
    o.paperProbe = p.has("paper-probe");
    if (p.has("include")) o.include = {p.value("include")};
    if (p.has("exclude")) o.exclude = {p.value("exclude")};
    j.batchSize = p.intValue("batch", 1, 1 << 16);
    j.maxLength = seqLenOption(p, j.modelDir);
    j.appendEos = !p.has("no-eos");
    j.maxTrainExamples = static_cast<size_t>(p.intValue("limit", 0, 1LL << 40));
    j.evalExamples = static_cast<size_t>(p.intValue("eval-examples", 0, 1LL << 30));
    const GenerationSettings g = generationOptions(p);
    j.maxNewTokens = g.maxNewTokens;
    j.noRepeatNgram = g.noRepeatNgram;
    if (p.has("db")) j.dbPath = p.value("db");
    if (p.has("name")) j.runName = p.value("name");
    if (p.has("tag")) j.tags.push_back(p.value("tag"));
    if (p.has("checkpoint-dir")) j.checkpointDir = p.value("checkpoint-dir");
    if (p.has("export")) j.exportDir = p.value("export");
    j.checkpointEvery = p.intValue("checkpoint-every", 0, 1LL << 40);
    j.checkpointMinutes = p.doubleValue("checkpoint-minutes", 0, 1e6);
    j.checkpoints = !p.has("no-checkpoints");
    j.evalEvery = p.intValue("eval-every", 0, 1LL << 40);
    o.reselectEverySteps = p.intValue("interval-steps", 0, 1LL << 40);
    readFootprintOptions(p, j.footprint);
    if (j.footprint.rhoSchedule != "fixed" && o.method != train::Method::GreenTrainer)
        throw UsageError("gt train: --rho-schedule " + j.footprint.rhoSchedule +
                         " is for --method greentrainer");
    return j;
}

/// The closing lines of a run, as text.
void printOutcome(std::ostream& out, const api::TrainOutcome& outcome) {
    out << "run " << outcome.runId << (outcome.stopped ? " stopped" : " finished") << " after "
        << outcome.steps << " steps in " << TextTable::clock(outcome.wallSeconds) << "; last loss "
        << TextTable::number(outcome.lastLoss, 4) << "; planned cost "
        << TextTable::number(outcome.plannedShare, 3) << " of full fine-tuning\n";
    if (!outcome.message.empty()) out << outcome.message << "\n";
    if (outcome.peakRssBytes > 0)
        out << "peak memory " << TextTable::number(outcome.peakRssBytes / 1048576.0, 0) << " MiB\n";
    if (outcome.energyJoules)
        out << "energy " << TextTable::number(*outcome.energyJoules, 1) << " J, "
            << outcome.energyMethod << " (" << outcome.energySource << ")\n";
    if (outcome.co2Grams)
        out << "carbon " << TextTable::number(*outcome.co2Grams, 3) << " gCO2e ("
            << outcome.gridSource << ")\n";
    if (outcome.preflight) out << "pre-flight card:\n" << api::preflightText(*outcome.preflight);
    if (outcome.validationLoss)
        out << "validation: loss " << TextTable::number(*outcome.validationLoss, 4)
            << ", ROUGE-1/2/L " << TextTable::number(*outcome.rouge1, 2) << " / "
            << TextTable::number(*outcome.rouge2, 2) << " / "
            << TextTable::number(*outcome.rougeL, 2) << "\n";
    if (outcome.stopped)
        out << "stopped on request; continue with: gt resume --run " << outcome.runId
            << " (checkpoints in " << outcome.checkpointDir << ")\n";
}

/// Runs `start` with a progress line on stderr and Ctrl+C wired to a clean stop; the result
/// goes to stdout as text or, with `json`, as one JSON object.
template <typename Start> int train(CommandContext& ctx, bool json, Start start) {
    InterruptGuard interrupt;
    ProgressLine line(ctx.err);
    const std::function<void(const api::TrainProgress&)> progress =
        [&](const api::TrainProgress& pr) {
            interrupt.rearm(); // LibTorch replaced our handler while loading the model
            const auto& m = pr.step;
            line.update("step " + std::to_string(m.step) + "/" + std::to_string(pr.totalSteps) +
                        "  epoch " + TextTable::number(m.epoch, 2) + "  loss " +
                        TextTable::number(m.loss, 4) + "  lr " +
                        TextTable::compact(m.learningRate) + "  " +
                        TextTable::number(m.stepMillis, 0) + " ms/step  " +
                        TextTable::number(m.tokensPerSecond, 0) + " tok/s  planned " +
                        TextTable::number(m.fullMacs > 0 ? m.plannedMacs / m.fullMacs : 0, 3) +
                        " of full  ETA " + TextTable::clock(pr.etaSeconds));
        };
    const api::TrainOutcome outcome = start(progress, interrupt.flag());
    line.done();
    if (json)
        ctx.out << outcomeJson(outcome).dump(1) << "\n";
    else
        printOutcome(ctx.out, outcome);
    return outcome.stopped ? 130 : 0;
}

int runTrain(CommandContext& ctx) {
    ArgParser p("gt train", "Fine-tunes a model and stores the run (SQLite).");
    p.option("model", "DIR", "Hugging Face model directory (weights + tokenizer)");
    addDataOptions(p);
    p.option("method", "M",
             "full, greentrainer, top-k, lora, prefix (prefix tuning), lisa (layerwise "
             "importance sampling), badam (block coordinate Adam) or freezeout (progressive "
             "freezing)",
             "greentrainer")
        .option("rho", "R", "GreenTrainer FLOPs objective", "0.5")
        .option("k", "K", "blocks for --method top-k", "2")
        .option("lora-rank", "R", "LoRA rank", "8")
        .option("lora-alpha", "A", "LoRA alpha (scale alpha/rank)", "32")
        .option("lora-dropout", "P", "LoRA dropout", "0.1")
        .option("lora-targets", "LIST",
                "comma-separated layer names (default: q_proj,v_proj "
                "for OPT/LLaMA, query_key_value for BLOOM, c_attn for GPT-2)")
        .option("prefix-tokens", "N", "prefix: virtual tokens per layer", "20")
        .option("prefix-projection", "on|off",
                "prefix: train through a tanh MLP, merged away at the end (off: peft's default)",
                "on")
        .option("prefix-hidden", "H", "prefix: the MLP's width (0 = the model's hidden size)", "0")
        .option("lisa-layers", "G", "lisa: blocks sampled per period (gamma)", "2")
        .option("lisa-interval", "K", "lisa: steps between samplings", "20")
        .option("badam-interval", "K", "badam: steps before switching block", "100")
        .option("badam-order", "O",
                "badam: random (reshuffled every cycle), ascending or descending", "random")
        .option("freeze-start", "T0",
                "freezeout: share of the steps after which block 0 freezes; block i at "
                "T0 + (1 - T0) i / blocks",
                "0.5")
        .option("eval-every", "N", "steps between validation passes (0 = at the end)", "0")
        .option("export", "DIR",
                "write the trained model there (HF layout, LoRA merged, a prefix as "
                "prefix.safetensors)")
        .option("interval", "E", "GreenTrainer re-selection every E epochs", "2")
        .option("selector", "S", "exact or paper", "exact")
        .option("include", "REGEX", kIncludeHelp)
        .option("exclude", "REGEX", kExcludeHelp)
        .option("accounting", "A", "exact or paper", "exact");
    addOrderOption(p);
    addFootprintOptions(p);
    p.flag("paper-probe", "let the importance probe advance the optimizer (the paper's code)")
        .option("lr", "LR", "peak learning rate (the paper: 2e-5)", "2e-5")
        .option("warmup", "N", "linear warm-up steps", "0")
        .option("epochs", "E", "epochs", "5")
        .option("max-steps", "N", "stop after N optimizer steps (0 = epochs decide)", "0")
        .option("batch", "B", "examples per step", "4")
        .option("grad-accum", "N", "micro-batches per optimizer step", "1")
        .option("clip", "X", "gradient-norm clipping (0 = off)", "0")
        .option("seed", "S", "seed for shuffling and the probe", "42")
        .option("limit", "N", "train on the first N examples only (0 = all)", "0")
        .option("eval-examples", "N", "validation examples for loss and ROUGE at the end", "32")
        .flag("no-eos", "no EOS after the summary (the paper's prompt)")
        .option("db", "FILE", "run store (default ~/.local/share/greentrainer/runs.sqlite)")
        .option("checkpoint-dir", "DIR",
                "keep the run's checkpoints here, also after it finishes (default: "
                "runs.checkpoints/run-ID beside the store, removed when the run finishes)")
        .option("checkpoint-minutes", "M",
                "training minutes between checkpoints (0 = none by time); also one after every "
                "selection round and on Ctrl+C",
                "10")
        .option("checkpoint-every", "N", "also a checkpoint every N steps (0 = none by steps)", "0")
        .flag("no-checkpoints", "no periodic checkpoints (Ctrl+C still leaves one)")
        .option("name", "NAME", "run name")
        .option("tag", "TAG", "tag the run")
        .flag("json", "print the result as JSON (progress stays on stderr)");
    addGenerationOptions(p, 32, "per validation example", "the source");
    addSeqLenOption(p);
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    return train(ctx, p.has("json"), [&](auto progress, auto* stop) {
        return api::runTraining(jobFrom(p), progress, stop);
    });
}

int runResume(CommandContext& ctx) {
    ArgParser p("gt resume", "Continues a stopped or killed run from its newest checkpoint to "
                             "the end (same run in the store).");
    p.option("run", "ID", "the run's id (gt runs list); its checkpoints are found for you")
        .option("checkpoint", "DIR", "or a checkpoint folder (gt train --checkpoint-dir)")
        .option("db", "FILE", "run store (default ~/.local/share/greentrainer/runs.sqlite)")
        .flag("json", "print the result as JSON (progress stays on stderr)");
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    if (p.has("run") == p.has("checkpoint"))
        throw UsageError("gt resume: give either --run ID or --checkpoint DIR");
    const std::string db = p.has("db") ? p.value("db") : std::string();
    if (p.has("run")) {
        const int64_t id = p.intValue("run", 1, 1LL << 62);
        return train(ctx, p.has("json"), [&](auto progress, auto* stop) {
            return api::resumeRun(id, db, api::TrainCallbacks{progress, {}, {}}, stop);
        });
    }
    return train(ctx, p.has("json"), [&](auto progress, auto* stop) {
        return api::resumeTraining(p.value("checkpoint"), db, progress, stop);
    });
}

} // namespace

Command trainCommand() {
    return {"train", "fine-tune (full, greentrainer, top-k) and store the run", runTrain};
}

Command resumeCommand() {
    return {"resume", "continue a stopped or killed training run from its checkpoint", runResume};
}

} // namespace gt::cli
