// Option groups several commands share, declared and read in one place so that their names,
// ranges and help read the same everywhere: the runtime (--threads) and generation
// (--max-new-tokens, --no-repeat-ngram).
#pragma once

#include "app/cli/arg_parser.h"

#include <cstdint>
#include <string>

namespace gt::cli {

void addThreadsOption(ArgParser& p);
/// LibTorch threads, 0 = all hardware threads.
int threadsOption(const ArgParser& p);

struct GenerationSettings {
    int64_t maxNewTokens = 32;
    int64_t noRepeatNgram = 0;
};

/// `what` says what is generated ("per validation example"); `ownText` what the n-gram ban
/// leaves free to copy ("the source", "the prompt").
void addGenerationOptions(ArgParser& p, int64_t defaultMaxNewTokens, const std::string& what,
                          const std::string& ownText);
GenerationSettings generationOptions(const ArgParser& p);

/// --seq-len: given, or 256 capped at the positions of the model in `modelDir`.
void addSeqLenOption(ArgParser& p);
int64_t seqLenOption(const ArgParser& p, const std::string& modelDir);

} // namespace gt::cli
