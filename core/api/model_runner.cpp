#include "core/api/model_runner.h"

#include "core/eval/generator.h"
#include "core/io/safetensors_file.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/text/tokenizer.h"

#include <chrono>

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
    const auto tok = text::Tokenizer::load(modelDir);
    GenerateReply reply;
    reply.promptIds = tok->encode(r.prompt);
    if (reply.promptIds.empty()) throw std::runtime_error("the prompt encodes to no tokens");
    auto ids = torch::tensor(reply.promptIds, torch::kLong).unsqueeze(0).to(dev);
    eval::GenerateOptions o;
    o.maxNewTokens = r.maxNewTokens;
    o.eosTokenId = lm->config().eosTokenId >= 0 ? lm->config().eosTokenId : tok->eosId();
    o.padTokenId = lm->config().padTokenId;
    o.useCache = r.useCache;
    o.noRepeatNgram = r.noRepeatNgram;
    const auto t0 = Clock::now();
    const auto out = eval::generateGreedy(*lm, ids, torch::ones_like(ids), o);
    reply.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto seq = out.sequences[0].to(torch::kCPU);
    for (int64_t i = static_cast<int64_t>(reply.promptIds.size()); i < seq.size(0); ++i)
        reply.newIds.push_back(seq[i].item<int64_t>());
    reply.tokensPerSecond =
        reply.newIds.empty() ? 0 : static_cast<double>(reply.newIds.size()) / reply.seconds;
    reply.text = tok->decode(reply.newIds, true);
    return reply;
}

} // namespace gt::api
