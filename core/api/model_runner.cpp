#include "core/api/model_runner.h"

#include "core/eval/generator.h"
#include "core/io/safetensors_file.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>

namespace gt::api {
namespace {

using Clock = std::chrono::steady_clock;

torch::Tensor readInts(const io::SafetensorsFile& f, const std::string& name, bool required) {
    const io::TensorView* v = f.find(name);
    if (!v) {
        if (required)
            throw std::runtime_error(f.path().string() + ": no tensor named '" + name + "'");
        return {};
    }
    auto t = model::tensorFromView(*v);
    if (t.is_floating_point() || t.dim() != 2)
        throw std::runtime_error(f.path().string() + ": '" + name +
                                 "' must be a 2-D integer tensor (batch, length), got " +
                                 io::dtypeName(v->dtype) + " with " + std::to_string(t.dim()) +
                                 " dims");
    return t.to(torch::kLong);
}

torch::Device parseDevice(const std::string& device) {
    try {
        return torch::Device(device);
    } catch (const c10::Error&) {
        throw std::invalid_argument("unknown device '" + device +
                                    "' (expected cpu, cuda or cuda:N)");
    }
}

/// input_ids and attention_mask from `inputs`, checked against the model.
std::pair<torch::Tensor, torch::Tensor> readPrompts(const std::filesystem::path& inputs,
                                                    const io::ModelConfig& config) {
    const auto in = io::SafetensorsFile::open(inputs);
    auto ids = readInts(in, "input_ids", true);
    auto mask = readInts(in, "attention_mask", false);
    if (ids.numel() == 0) throw std::runtime_error(inputs.string() + ": 'input_ids' is empty");
    if (!mask.defined()) mask = torch::ones_like(ids);
    if (mask.sizes() != ids.sizes())
        throw std::runtime_error(inputs.string() +
                                 ": 'attention_mask' must have the shape of 'input_ids'");
    if (((mask != 0) & (mask != 1)).any().item<bool>())
        throw std::runtime_error(inputs.string() + ": 'attention_mask' must hold only 0 and 1");
    if (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= config.vocabSize)
        throw std::runtime_error(inputs.string() + ": 'input_ids' outside the vocabulary [0, " +
                                 std::to_string(config.vocabSize) + ")");
    return {ids, mask};
}

/// A token id from generation_config.json: an integer, or a list whose first entry counts
/// (as HF writes several EOS ids); absent keeps `fallback`.
int64_t tokenIdField(const nlohmann::json& j, const char* key, int64_t fallback,
                     const std::filesystem::path& file) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    const auto& v = j[key].is_array() && !j[key].empty() ? j[key][0] : j[key];
    if (!v.is_number_integer())
        throw std::runtime_error(file.string() + ": '" + key +
                                 "' must be an integer or a list of integers");
    return v.get<int64_t>();
}

/// HF generate() reads EOS and pad from generation_config.json when the model has one, from
/// config.json otherwise; without a pad id it pads with EOS.
std::pair<int64_t, int64_t> generationTokenIds(const std::filesystem::path& modelDir,
                                               const io::ModelConfig& config) {
    int64_t eos = config.eosTokenId, pad = config.padTokenId;
    const auto file = modelDir / "generation_config.json";
    if (std::filesystem::is_regular_file(file)) {
        std::ifstream in(file);
        const auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw std::runtime_error(file.string() + ": not a JSON object");
        eos = tokenIdField(j, "eos_token_id", eos, file);
        pad = tokenIdField(j, "pad_token_id", pad, file);
    }
    return {eos, pad >= 0 ? pad : eos};
}

eval::GenerateResult decode(model::CausalLMImpl& lm, const torch::Tensor& ids,
                            const torch::Tensor& mask, const DecodeSettings& d, int64_t eos,
                            int64_t pad) {
    if (d.numBeams < 1 || d.maxNewTokens < 1)
        throw std::invalid_argument("generation needs at least one beam and one new token");
    eval::BeamOptions o;
    o.numBeams = d.numBeams;
    o.maxNewTokens = d.maxNewTokens;
    o.repetitionPenalty = d.repetitionPenalty;
    o.lengthPenalty = d.lengthPenalty;
    o.earlyStopping = d.earlyStopping;
    o.noRepeatNgram = d.noRepeatNgram;
    o.eosTokenId = eos;
    o.padTokenId = pad;
    return eval::generate(lm, ids, mask, o, d.useCache);
}

} // namespace

void requireDevice(const std::string& device) {
    const torch::Device d = parseDevice(device);
    if (d.is_cuda()) {
        if (!torch::cuda::is_available())
            throw std::runtime_error("device '" + device +
                                     "': this LibTorch build has no CUDA, or no "
                                     "GPU is visible (gt doctor shows which); use --device cpu");
        if (d.has_index() && d.index() >= static_cast<int>(torch::cuda::device_count()))
            throw std::runtime_error("device '" + device + "': only " +
                                     std::to_string(torch::cuda::device_count()) +
                                     " CUDA device(s)");
    } else if (!d.is_cpu()) {
        throw std::invalid_argument("device '" + device + "' is not supported (cpu or cuda)");
    }
}

ForwardSummary runForward(const std::filesystem::path& modelDir,
                          const std::filesystem::path& inputs, const std::filesystem::path& out,
                          int threads, const std::string& device) {
    requireDevice(device);
    const torch::Device dev = parseDevice(device);
    model::configureTorchThreads(threads);
    auto lm = model::loadCausalLM(modelDir);
    lm->to(dev);
    const auto in = io::SafetensorsFile::open(inputs);
    model::LmInput x;
    x.inputIds = readInts(in, "input_ids", true);
    x.attentionMask = readInts(in, "attention_mask", false);
    x.labels = readInts(in, "labels", false);
    for (const auto* t : {&x.attentionMask, &x.labels})
        if (t->defined() && t->sizes() != x.inputIds.sizes())
            throw std::runtime_error(inputs.string() + ": attention_mask and labels must have "
                                                       "the shape of input_ids");
    const int64_t vocab = lm->config().vocabSize;
    if (x.inputIds.min().item<int64_t>() < 0 || x.inputIds.max().item<int64_t>() >= vocab)
        throw std::runtime_error(inputs.string() + ": input_ids outside the vocabulary [0, " +
                                 std::to_string(vocab) + ")");
    for (auto* t : {&x.inputIds, &x.attentionMask, &x.labels})
        if (t->defined()) *t = t->to(dev);
    torch::NoGradGuard noGrad;
    const auto t0 = Clock::now();
    auto result = lm->forward(x);
    result.logits = result.logits.to(torch::kCPU);
    if (result.loss.defined()) result.loss = result.loss.to(torch::kCPU);
    ForwardSummary s;
    s.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    s.logitsShape = result.logits.sizes().vec();
    auto logits = result.logits.contiguous();
    std::vector<io::TensorData> tensors{{"logits", io::DType::F32, s.logitsShape, logits.data_ptr(),
                                         static_cast<size_t>(logits.numel()) * 4}};
    torch::Tensor loss;
    if (result.loss.defined()) {
        loss = result.loss.to(torch::kFloat).reshape({1}).contiguous();
        s.hasLoss = true;
        s.loss = loss.item<double>();
        tensors.push_back({"loss", io::DType::F32, {}, loss.data_ptr(), 4});
    }
    io::writeSafetensors(out, tensors, {{"producer", "gt forward"}});
    return s;
}

GenerateReply generateText(const std::filesystem::path& modelDir, const GenerateRequest& r) {
    requireDevice(r.device);
    const torch::Device dev = parseDevice(r.device);
    model::configureTorchThreads(r.threads);
    auto lm = model::loadCausalLM(modelDir);
    lm->to(dev);
    const auto tok = text::Tokenizer::loadForModel(modelDir, lm->config().vocabSize);
    GenerateReply reply;
    reply.promptIds = tok->encode(r.prompt);
    if (reply.promptIds.empty()) throw std::runtime_error("the prompt encodes to no tokens");
    auto ids = torch::tensor(reply.promptIds, torch::kLong).unsqueeze(0).to(dev);
    io::requirePositions(lm->config(), ids.size(1) + r.decode.maxNewTokens,
                         "the prompt plus its new tokens");
    auto [eos, pad] = generationTokenIds(modelDir, lm->config());
    if (eos < 0) eos = tok->eosId();
    const auto t0 = Clock::now();
    const auto out = decode(*lm, ids, torch::ones_like(ids), r.decode, eos, pad >= 0 ? pad : eos);
    reply.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto seq = out.sequences[0].to(torch::kCPU);
    for (int64_t i = static_cast<int64_t>(reply.promptIds.size()); i < seq.size(0); ++i)
        reply.newIds.push_back(seq[i].item<int64_t>());
    reply.tokensPerSecond =
        reply.newIds.empty() ? 0 : static_cast<double>(reply.newIds.size()) / reply.seconds;
    reply.text = tok->decode(reply.newIds, true);
    return reply;
}

GenerateIdsReply generateIds(const std::filesystem::path& modelDir, const GenerateIdsRequest& r) {
    requireDevice(r.device);
    const torch::Device dev = parseDevice(r.device);
    model::configureTorchThreads(r.threads);
    auto lm = model::loadCausalLM(modelDir);
    const auto [ids, mask] = readPrompts(r.inputs, lm->config());
    io::requirePositions(lm->config(), ids.size(1) + r.decode.maxNewTokens,
                         r.inputs.string() + ": the prompts plus the new tokens");
    lm->to(dev);
    GenerateIdsReply reply;
    std::tie(reply.eosTokenId, reply.padTokenId) = generationTokenIds(modelDir, lm->config());
    const auto t0 = Clock::now();
    const auto g =
        decode(*lm, ids.to(dev), mask.to(dev), r.decode, reply.eosTokenId, reply.padTokenId);
    reply.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto out = g.sequences.to(torch::kCPU, torch::kLong).contiguous();
    reply.outputShape = out.sizes().vec();
    std::vector<io::TensorData> tensors{{"output_ids", io::DType::I64, reply.outputShape,
                                         out.data_ptr(), static_cast<size_t>(out.numel()) * 8}};
    torch::Tensor scores;
    if (g.sequenceScores.defined()) {
        scores = g.sequenceScores.to(torch::kCPU, torch::kFloat).contiguous();
        tensors.push_back({"sequence_scores",
                           io::DType::F32,
                           {scores.size(0)},
                           scores.data_ptr(),
                           static_cast<size_t>(scores.numel()) * 4});
    }
    io::writeSafetensors(r.out, tensors, {{"producer", "gt generate"}});
    return reply;
}

} // namespace gt::api
