#include "app/cli/common_options.h"

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

} // namespace gt::cli
