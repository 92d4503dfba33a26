#include "app/cli/pretrain_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "app/cli/interrupt_guard.h"
#include "app/cli/progress_line.h"
#include "app/cli/text_table.h"
#include "core/api/pretraining_job.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace gt::cli {
namespace {

int runPretrain(CommandContext& ctx) {
    ArgParser p("gt pretrain", "Pretrains an OPT-architecture model from scratch and writes "
                               "it in Hugging Face layout.");
    p.option("corpus", "FILE", "JSONL(.gz) with a text field, or blank-line separated text")
        .option("field", "F", "the JSONL text field", "text")
        .option("tokenizer", "DIR", "directory with tokenizer.json (gt tokenizer train)")
        .option("out", "DIR", "model directory to write")
        .option("layers", "N", "decoder blocks", "4")
        .option("hidden", "N", "model width", "256")
        .option("heads", "N", "attention heads", "4")
        .option("ffn", "N", "feed-forward width", "1024")
        .option("seq-len", "N", "block length (and position table size)", "256")
        .option("batch", "N", "blocks per step", "16")
        .option("steps", "N", "optimizer steps", "2000")
        .option("lr", "LR", "peak learning rate", "1e-3")
        .option("weight-decay", "W", "AdamW weight decay", "0.1")
        .option("warmup", "N", "warm-up steps", "100")
        .flag("linear", "linear decay to 0 instead of cosine decay to 10%")
        .option("eval-every", "N", "steps between validation perplexity passes", "200")
        .option("checkpoint-every", "N", "steps between resumable checkpoints", "200")
        .option("seed", "S", "seed", "42")
        .flag("resume", "continue from OUT/checkpoint");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    api::PretrainJob j;
    j.corpus = p.value("corpus");
    j.field = p.value("field");
    j.tokenizerDir = p.value("tokenizer");
    j.outDir = p.value("out");
    j.layers = p.intValue("layers", 1, 256);
    j.hidden = p.intValue("hidden", 8, 65536);
    j.heads = p.intValue("heads", 1, 1024);
    if (j.hidden % j.heads != 0)
        throw UsageError("gt pretrain: --hidden must be a multiple of --heads");
    j.ffn = p.intValue("ffn", 8, 1 << 20);
    j.seqLen = p.intValue("seq-len", 8, 1 << 16);
    j.batchSize = p.intValue("batch", 1, 1 << 16);
    j.steps = p.intValue("steps", 1, 1LL << 40);
    j.learningRate = p.doubleValue("lr", 0.0, 10.0);
    j.weightDecay = p.doubleValue("weight-decay", 0.0, 10.0);
    j.warmupSteps = p.intValue("warmup", 0, 1LL << 40);
    j.cosine = !p.has("linear");
    j.evalEvery = p.intValue("eval-every", 0, 1LL << 40);
    j.checkpointEvery = p.intValue("checkpoint-every", 0, 1LL << 40);
    j.seed = static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX));
    j.threads = threadsOption(p);
    j.resume = p.has("resume");

    InterruptGuard interrupt;
    ProgressLine line(ctx.err);
    auto progress = [&](const api::PretrainProgress& pr) {
        interrupt.rearm(); // LibTorch replaced our handler while loading
        const bool eval = pr.validationPerplexity.has_value();
        if (!line.interactive() && !eval && pr.step % 20 != 0) return; // a log every 20 steps
        std::string text =
            "step " + std::to_string(pr.step) + "/" + std::to_string(pr.totalSteps) + "  loss " +
            TextTable::number(pr.loss, 4) + "  lr " + TextTable::compact(pr.learningRate) + "  " +
            TextTable::number(pr.tokensPerSecond, 0) + " tok/s  elapsed " +
            TextTable::clock(pr.elapsedSeconds) + "  ETA " + TextTable::clock(pr.etaSeconds);
        if (eval)
            line.keep(text + "  validation perplexity " +
                      TextTable::number(*pr.validationPerplexity, 2));
        else
            line.update(text);
    };
    const api::PretrainOutcome r = api::runPretraining(j, progress, interrupt.flag());
    line.done();
    ctx.out << (r.stopped ? "stopped" : "finished") << " after " << r.steps << " steps in "
            << TextTable::clock(r.seconds) << "; " << r.parameters << " parameters; "
            << r.trainTokens << " training tokens; validation perplexity "
            << TextTable::number(r.validationPerplexity, 2) << " on " << r.validationTokens
            << " tokens\n";
    if (r.stopped)
        ctx.out << "continue with the same command and --resume\n";
    else
        ctx.out << "-> " << j.outDir << "\n";
    return r.stopped ? 130 : 0;
}

} // namespace

Command pretrainCommand() {
    return {"pretrain", "pretrain an OPT-architecture model from scratch on a text corpus",
            runPretrain};
}

} // namespace gt::cli
