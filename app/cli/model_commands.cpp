#include "app/cli/model_commands.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "core/api/model_runner.h"

#include <ostream>

namespace gt::cli {
namespace {

int runForward(CommandContext& ctx) {
    ArgParser p("gt forward", "Runs a model on token ids from a safetensors file and writes the "
                              "logits (and the loss, given labels) to another.");
    p.option("model", "DIR", "Hugging Face model directory")
        .option("inputs", "FILE", "safetensors with input_ids [, attention_mask, labels]")
        .option("out", "FILE", "where to write logits [and loss]")
        .option("device", "D", "cpu, cuda or cuda:N (CUDA needs a CUDA LibTorch build)", "cpu");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    const auto s = api::runForward(p.value("model"), p.value("inputs"), p.value("out"),
                                   threadsOption(p), p.value("device"));
    ctx.out << "logits [";
    for (size_t i = 0; i < s.logitsShape.size(); ++i)
        ctx.out << (i ? ", " : "") << s.logitsShape[i];
    ctx.out << "]";
    if (s.hasLoss) ctx.out << ", loss " << s.loss;
    ctx.out << " -> " << p.value("out") << " (" << s.seconds << " s)\n";
    return 0;
}

int runGenerate(CommandContext& ctx) {
    ArgParser p("gt generate", "Continues a prompt greedily with a model's own tokenizer.");
    p.option("model", "DIR", "Hugging Face model directory (weights and tokenizer)")
        .option("prompt", "TEXT", "the text to continue")
        .option("device", "D", "cpu, cuda or cuda:N (CUDA needs a CUDA LibTorch build)", "cpu")
        .flag("no-cache", "recompute the whole prefix every step (slow reference path)")
        .flag("ids", "also print the token ids");
    addGenerationOptions(p, 64, "after the prompt", "the prompt");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    api::GenerateRequest r;
    r.prompt = p.value("prompt");
    const GenerationSettings g = generationOptions(p);
    r.maxNewTokens = g.maxNewTokens;
    r.useCache = !p.has("no-cache");
    r.noRepeatNgram = g.noRepeatNgram;
    r.threads = threadsOption(p);
    r.device = p.value("device");
    const auto reply = api::generateText(p.value("model"), r);
    ctx.out << r.prompt << reply.text << "\n";
    if (p.has("ids")) {
        ctx.out << "prompt ids:";
        for (auto id : reply.promptIds)
            ctx.out << " " << id;
        ctx.out << "\nnew ids:";
        for (auto id : reply.newIds)
            ctx.out << " " << id;
        ctx.out << "\n";
    }
    ctx.err << reply.newIds.size() << " tokens in " << reply.seconds << " s ("
            << reply.tokensPerSecond << " tokens/s)\n";
    return 0;
}

} // namespace

Command forwardCommand() {
    return {"forward", "logits and loss of a model for token ids in a safetensors file",
            runForward};
}

Command generateCommand() {
    return {"generate", "greedy continuation of a text prompt", runGenerate};
}

} // namespace gt::cli
