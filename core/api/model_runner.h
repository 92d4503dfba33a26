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

struct GenerateRequest {
    std::string prompt;
    int64_t maxNewTokens = 64;
    bool useCache = true;
    int64_t noRepeatNgram = 0; ///< > 0: never repeat an n-gram of the new text (prompt exempt)
    int threads = 0;
    std::string device = "cpu"; ///< "cpu", "cuda" or "cuda:N"
};

struct GenerateReply {
    std::string text; ///< the new text only (special tokens skipped)
    std::vector<int64_t> promptIds, newIds;
    double seconds = 0.0;
    double tokensPerSecond = 0.0;
};

/// Checks a device string and that this build can use it; throws a clear message if not.
void requireDevice(const std::string& device);

GenerateReply generateText(const std::filesystem::path& modelDir, const GenerateRequest& request);

} // namespace gt::api
