#include "app/cli/common_options.h"

#include "core/io/model_config.h"

namespace gt::cli {

void addThreadsOption(ArgParser& p) {
    p.option("threads", "N", "LibTorch threads (0 = all hardware threads)", "0");
}

int threadsOption(const ArgParser& p) {
    return static_cast<int>(p.intValue("threads", 0, 1024));
}

void addGenerationOptions(ArgParser& p, int64_t defaultMaxNewTokens, const std::string& what,
                          const std::string& ownText) {
    p.option("max-new-tokens", "N", "tokens to generate at most " + what,
             std::to_string(defaultMaxNewTokens))
        .option("no-repeat-ngram", "N",
                "never repeat an N-gram of the generated text (0 = off; " + ownText +
                    " may still be copied)",
                "0");
}

GenerationSettings generationOptions(const ArgParser& p) {
    return {p.intValue("max-new-tokens", 1, 100000), p.intValue("no-repeat-ngram", 0, 64)};
}

void addSeqLenOption(ArgParser& p) {
    p.option("seq-len", "N",
             "prompt + summary tokens at most (default 256, or the model's positions if fewer)");
}

int64_t seqLenOption(const ArgParser& p, const std::string& modelDir) {
    if (p.has("seq-len")) return p.intValue("seq-len", 8, 1 << 20);
    // The default adapts to small models; a value given explicitly is checked by the job.
    try {
        const auto c = io::loadModelConfig(modelDir);
        if (c.maxPositions > 0) return std::min<int64_t>(256, c.maxPositions);
    } catch (const std::exception&) {
        // the job reports an unreadable config with its file name
    }
    return 256;
}

} // namespace gt::cli
