// Torch-free entry points for running a model from the CLI and the GUI: a forward pass over
// inputs read from a safetensors file (for checking a checkpoint against another framework)
// and text generation from a prompt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gt::api {

struct ForwardSummary {
    std::vector<int64_t> logitsShape;
    bool hasLoss = false;
    double loss = 0.0;
    double seconds = 0.0;
};

/// Reads `input_ids`, optional `attention_mask` and `labels` (integer tensors) from `inputs`,
/// runs the model in `modelDir` and writes `logits` (F32) and, with labels, `loss` to `out`.
/// `device`: "cpu" (default) or "cuda", "cuda:N" when the LibTorch build has CUDA.
ForwardSummary runForward(const std::filesystem::path& modelDir,
                          const std::filesystem::path& inputs, const std::filesystem::path& out,
                          int threads = 0, const std::string& device = "cpu");

/// How to decode, as HF generate() takes it: greedy with one beam, beam search with more.
struct DecodeSettings {
    int64_t maxNewTokens = 64;
    int64_t numBeams = 1;
    double repetitionPenalty = 1.0; ///< beam search
    double lengthPenalty = 1.0;     ///< beam search: score = log p / length^lengthPenalty
    bool earlyStopping = false;     ///< beam search; false is HF's default
    int64_t noRepeatNgram = 0;      ///< > 0: never repeat an n-gram of the new text (prompt exempt)
    bool useCache = true;           ///< greedy: false recomputes the prefix (reference path)
};

struct GenerateRequest {
    std::string prompt;
    DecodeSettings decode;
    int threads = 0;
    std::string device = "cpu"; ///< "cpu", "cuda" or "cuda:N"
};

struct GenerateReply {
    std::string text; ///< the new text only (special tokens skipped)
    std::vector<int64_t> promptIds, newIds;
    double seconds = 0.0;
    double tokensPerSecond = 0.0;
};

/// Generation over token ids from a file, for checks against other frameworks: `inputs` holds
/// `input_ids` (B, S) and optionally `attention_mask` (left padding); `out` receives
/// `output_ids` (prompt + new tokens, HF generate()'s layout and padding) and, for beam
/// search, `sequence_scores` (HF's sequences_scores).
struct GenerateIdsRequest {
    std::filesystem::path inputs, out;
    DecodeSettings decode;
    int threads = 0;
    std::string device = "cpu";
};

struct GenerateIdsReply {
    std::vector<int64_t> outputShape;
    int64_t eosTokenId = -1, padTokenId = -1; ///< what generation used
    double seconds = 0.0;
};

GenerateIdsReply generateIds(const std::filesystem::path& modelDir, const GenerateIdsRequest& r);

/// Checks a device string and that this build can use it; throws a clear message if not.
void requireDevice(const std::string& device);

GenerateReply generateText(const std::filesystem::path& modelDir, const GenerateRequest& request);

} // namespace gt::api
