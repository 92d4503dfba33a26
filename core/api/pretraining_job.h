// Causal-LM pretraining from scratch (how the starter model is made): a text corpus and a
// trained tokenizer in, an OPT-architecture model out in Hugging Face layout (config.json,
// generation_config.json, model.safetensors, tokenizer files). Packing, AdamW, cosine or
// linear schedule, periodic validation perplexity, resumable checkpoints. Torch-free header.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace gt::api {

struct PretrainJob {
    std::string corpus; ///< JSONL(.gz) with `field`, or blank-line separated text
    std::string field = "text";
    std::string tokenizerDir; ///< holds tokenizer.json (gt tokenizer train)
    std::string outDir;       ///< the model directory to write
    int64_t layers = 4, hidden = 256, heads = 4, ffn = 1024;
    int64_t seqLen = 256; ///< block length; also the position table size
    int64_t batchSize = 16;
    int64_t steps = 2000;
    double learningRate = 1e-3, weightDecay = 0.1;
    int64_t warmupSteps = 100;
    bool cosine = true;
    double validationShare = 0.02; ///< documents held out for perplexity
    int64_t evalEvery = 200;       ///< steps between validation passes
    int64_t evalBlocks = 64;       ///< validation blocks per pass
    int64_t checkpointEvery = 200; ///< steps between resumable checkpoints
    uint64_t seed = 42;
    int threads = 0;
    bool resume = false; ///< continue from outDir/checkpoint when present
};

struct PretrainProgress {
    int64_t step = 0, totalSteps = 0;
    double loss = 0, learningRate = 0, tokensPerSecond = 0;
    double elapsedSeconds = 0, etaSeconds = 0;
    std::optional<double> validationPerplexity; ///< set on evaluation steps
};

struct PretrainOutcome {
    int64_t parameters = 0, trainTokens = 0, validationTokens = 0, steps = 0;
    double seconds = 0, validationPerplexity = 0, lastLoss = 0;
    bool stopped = false;
};

PretrainOutcome runPretraining(const PretrainJob& job,
                               const std::function<void(const PretrainProgress&)>& onProgress = {},
                               const std::atomic<bool>* stop = nullptr);

} // namespace gt::api
