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

api::DecodeSettings decodeSettings(const ArgParser& p) {
    api::DecodeSettings d;
    const GenerationSettings g = generationOptions(p);
    d.maxNewTokens = g.maxNewTokens;
    d.noRepeatNgram = g.noRepeatNgram;
    d.useCache = !p.has("no-cache");
    const bool paper = p.has("paper");
    // no defaults in the parser: --paper sets them unless given
    d.numBeams = p.has("beams") ? p.intValue("beams", 1, 64) : paper ? 4 : 1;
    d.repetitionPenalty = p.has("repetition-penalty")
                              ? p.doubleValue("repetition-penalty", 1e-3, 1e3)
                          : paper ? 2.5
                                  : 1.0;
    d.lengthPenalty = p.has("length-penalty") ? p.doubleValue("length-penalty", -10, 10) : 1.0;
    d.earlyStopping = p.has("early-stopping") || paper;
    if (d.numBeams == 1 && (d.repetitionPenalty != 1.0 || p.has("early-stopping")))
        throw UsageError("gt generate: --repetition-penalty and --early-stopping apply to beam "
                         "search (--beams 2 or more)");
    return d;
}

/// --inputs FILE: token ids in, token ids (and beam scores) out, for checks from outside.
int generateFromFile(CommandContext& ctx, const ArgParser& p) {
    if (!p.has("out")) throw UsageError("gt generate: --inputs needs --out FILE");
    api::GenerateIdsRequest r;
    r.inputs = p.value("inputs");
    r.out = p.value("out");
    r.decode = decodeSettings(p);
    r.threads = threadsOption(p);
    r.device = p.value("device");
    const auto reply = api::generateIds(p.value("model"), r);
    ctx.out << "output_ids [" << reply.outputShape[0] << ", " << reply.outputShape[1] << "]"
            << (r.decode.numBeams > 1 ? " and sequence_scores" : "") << " -> " << r.out.string()
            << " (" << reply.seconds << " s; eos " << reply.eosTokenId << ", pad "
            << reply.padTokenId << ")\n";
    return 0;
}

int runGenerate(CommandContext& ctx) {
    ArgParser p("gt generate", "Continues a text prompt with a model's own tokenizer, or the "
                               "token ids of a safetensors file (--inputs).");
    p.option("model", "DIR", "Hugging Face model directory (weights and tokenizer)")
        .option("prompt", "TEXT", "the text to continue")
        .option("inputs", "FILE", "safetensors with input_ids [, attention_mask] (left-padded)")
        .option("out", "FILE", "with --inputs: where to write output_ids [, sequence_scores]")
        .option("beams", "N", "beam search width (default 1 = greedy)")
        .option("repetition-penalty", "R", "beam search: HF's repetition penalty (default 1)")
        .option("length-penalty", "A", "beam search: score = log p / length^A (default 1)")
        .flag("early-stopping", "beam search: stop once N hypotheses have finished")
        .flag("paper", "the paper's decoding: 4 beams, repetition penalty 2.5, early stopping")
        .option("device", "D", "cpu, cuda or cuda:N (CUDA needs a CUDA LibTorch build)", "cpu")
        .flag("no-cache", "greedy: recompute the whole prefix every step (slow reference path)")
        .flag("ids", "also print the token ids");
    addGenerationOptions(p, 64, "after the prompt", "the prompt");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    if (p.has("inputs") == p.has("prompt"))
        throw UsageError("gt generate: give either --prompt TEXT or --inputs FILE");
    if (p.has("inputs")) return generateFromFile(ctx, p);
    api::GenerateRequest r;
    r.prompt = p.value("prompt");
    r.decode = decodeSettings(p);
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
    return {"generate", "continue a text prompt or token ids (greedy or beam search)", runGenerate};
}

} // namespace gt::cli
