#include "core/api/pretraining_job.h"

#include "core/api/memory_policy.h"
#include "core/data/packed_corpus.h"
#include "core/data/text_corpus.h"
#include "core/io/model_config.h"
#include "core/io/safetensors_file.h"
#include "core/model/causal_lm.h"
#include "core/text/tokenizer.h"
#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace gt::api {
namespace {

/// OPT's config.json for the job's shape; OPT's special ids (<s> 0, <pad> 1, </s> 2).
nlohmann::ordered_json optConfig(const PretrainJob& j, int64_t vocab) {
    return {{"_name_or_path", "greentrainer-starter"},
            {"architectures", {"OPTForCausalLM"}},
            {"model_type", "opt"},
            {"vocab_size", vocab},
            {"hidden_size", j.hidden},
            {"num_hidden_layers", j.layers},
            {"num_attention_heads", j.heads},
            {"ffn_dim", j.ffn},
            {"max_position_embeddings", j.seqLen},
            {"word_embed_proj_dim", j.hidden},
            {"do_layer_norm_before", true},
            {"activation_function", "relu"},
            {"dropout", 0.0},
            {"attention_dropout", 0.0},
            {"activation_dropout", 0.0},
            {"layerdrop", 0.0},
            {"init_std", 0.02},
            {"enable_bias", true},
            {"layer_norm_elementwise_affine", true},
            {"tie_word_embeddings", true},
            {"bos_token_id", 2},
            {"eos_token_id", 2},
            {"pad_token_id", 1},
            {"torch_dtype", "float32"},
            {"use_cache", true}};
}

void writeJson(const fs::path& file, const nlohmann::ordered_json& j) {
    std::ofstream out(file);
    out << j.dump(2) << "\n";
    if (!out) throw std::runtime_error(file.string() + ": write failed");
}

/// HF's OPT initialisation: N(0, init_std) weights, zero biases, unit LayerNorm scales.
void initLikeHf(model::CausalLMImpl& m, double std) {
    torch::NoGradGuard g;
    for (auto& p : m.named_parameters()) {
        const std::string& n = p.key();
        if (n.find("layer_norm") != std::string::npos)
            p.value().fill_(n.size() > 7 && n.substr(n.size() - 6) == "weight" ? 1.0 : 0.0);
        else if (n.size() > 4 && n.substr(n.size() - 4) == "bias")
            p.value().zero_();
        else
            p.value().normal_(0.0, std);
    }
}

struct Streams {
    std::vector<int64_t> train, validation;
};

/// Documents -> one token stream per split; each document ends with EOS (which OPT also
/// uses as BOS, so every document after the first starts the way a prompt does).
Streams tokenize(const std::vector<std::string>& docs, const text::Tokenizer& tok,
                 double validationShare, uint64_t seed) {
    std::vector<size_t> order(docs.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    const auto nVal = static_cast<size_t>(validationShare * static_cast<double>(docs.size()));
    Streams s;
    const int64_t eos = tok.eosId();
    for (size_t k = 0; k < order.size(); ++k) {
        auto& out = k < nVal ? s.validation : s.train;
        if (out.empty() && eos >= 0) out.push_back(eos);
        const auto ids = tok.encode(docs[order[k]], false);
        out.insert(out.end(), ids.begin(), ids.end());
        if (eos >= 0) out.push_back(eos);
    }
    return s;
}

double perplexity(model::CausalLMImpl& m, const data::PackedCorpus& val, int64_t blocks) {
    torch::NoGradGuard g;
    m.eval();
    double sum = 0;
    int64_t n = 0;
    for (int64_t first = 0; first < std::min(blocks, val.blocks()); first += 8) {
        const auto b = val.blockRange(first, std::min<int64_t>(8, blocks - first));
        const model::LmInput in{b.inputIds, b.attentionMask, b.labels};
        sum += m.forward(in).loss.item<double>() * static_cast<double>(b.inputIds.size(0));
        n += b.inputIds.size(0);
    }
    m.train();
    return std::exp(sum / static_cast<double>(std::max<int64_t>(1, n)));
}

void writeModelDir(const fs::path& out, const train::Trainer& trainer,
                   const nlohmann::ordered_json& config, const fs::path& tokenizerDir) {
    fs::create_directories(out);
    // The trainer's checkpoint writes model.safetensors atomically with HF names; keep that
    // file and drop the optimizer state.
    const fs::path ckpt = out / ".final-weights";
    trainer.saveCheckpoint(ckpt);
    fs::rename(ckpt / "model.safetensors", out / "model.safetensors");
    fs::remove_all(ckpt);
    writeJson(out / "config.json", config);
    writeJson(
        out / "generation_config.json",
        {{"bos_token_id", 2}, {"eos_token_id", 2}, {"pad_token_id", 1}, {"max_new_tokens", 64}});
    if (fs::absolute(tokenizerDir) != fs::absolute(out))
        fs::copy_file(tokenizerDir / "tokenizer.json", out / "tokenizer.json",
                      fs::copy_options::overwrite_existing);
    writeJson(out / "tokenizer_config.json",
              {{"tokenizer_class", "GPT2Tokenizer"},
               {"bos_token", "</s>"},
               {"eos_token", "</s>"},
               {"unk_token", "</s>"},
               {"pad_token", "<pad>"},
               {"add_bos_token", true},
               {"model_max_length", config["max_position_embeddings"]}});
}

train::TrainOptions trainOptions(const PretrainJob& job) {
    train::TrainOptions o;
    o.method = train::Method::Full;
    o.learningRate = job.learningRate;
    o.weightDecay = job.weightDecay;
    o.warmupSteps = job.warmupSteps;
    o.cosineSchedule = job.cosine;
    o.maxSteps = job.steps; // the step count decides, whatever the epochs
    o.seed = job.seed;
    o.threads = job.threads;
    o.clipGradNorm = 1.0;
    return o;
}

PretrainProgress progressAt(const train::StepMetrics& m, int64_t totalSteps, int64_t startStep,
                            std::chrono::steady_clock::time_point t0) {
    PretrainProgress p;
    p.step = m.step;
    p.totalSteps = totalSteps;
    p.loss = m.loss;
    p.learningRate = m.learningRate;
    p.tokensPerSecond = m.tokensPerSecond;
    p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto done = static_cast<double>(m.step - startStep);
    p.etaSeconds =
        p.elapsedSeconds / std::max(1.0, done) * static_cast<double>(totalSteps - m.step);
    return p;
}

} // namespace

PretrainOutcome runPretraining(const PretrainJob& job,
                               const std::function<void(const PretrainProgress&)>& onProgress,
                               const std::atomic<bool>* stop) {
    const api::ReleaseFreedMemoryOnExit release; // after the model below is gone
    const auto t0 = std::chrono::steady_clock::now();
    auto tok = text::Tokenizer::load(fs::path(job.tokenizerDir) / "tokenizer.json");
    const auto docs = data::readTextCorpus(job.corpus, job.field);
    const Streams streams = tokenize(docs, *tok, job.validationShare, job.seed);
    const data::PackedCorpus trainData(streams.train, job.seqLen, job.batchSize, job.seed);
    const data::PackedCorpus valData(streams.validation, job.seqLen, 1, job.seed);

    const auto config = optConfig(job, tok->vocabSize());
    auto model = model::createCausalLM(io::parseModelConfig(config, "pretraining config"));
    initLikeHf(*model, 0.02);
    model->train();

    train::Trainer trainer(model, {job.batchSize, job.seqLen}, trainOptions(job), trainData);
    const fs::path out = job.outDir, ckpt = out / "checkpoint";
    if (job.resume && fs::exists(ckpt / "state.json")) trainer.loadCheckpoint(ckpt);

    PretrainOutcome result;
    for (const auto& p : model->parameters())
        result.parameters += p.numel();
    result.trainTokens = trainData.blocks() * job.seqLen;
    result.validationTokens = std::min(valData.blocks(), job.evalBlocks) * job.seqLen;
    const int64_t startStep = trainer.stepsDone();
    train::RunHooks hooks;
    hooks.stop = stop;
    hooks.onStep = [&](const train::StepMetrics& m) {
        PretrainProgress p = progressAt(m, trainer.totalSteps(), startStep, t0);
        if (job.evalEvery > 0 && (m.step % job.evalEvery == 0 || m.step == p.totalSteps))
            p.validationPerplexity = perplexity(*model, valData, job.evalBlocks);
        result.lastLoss = m.loss;
        if (onProgress) onProgress(p);
    };
    hooks.checkpointEvery = job.checkpointEvery;
    hooks.onCheckpoint = [&] { trainer.saveCheckpoint(ckpt); };
    result.stopped = trainer.run(hooks);
    result.steps = trainer.stepsDone();
    if (result.stopped) {
        fs::create_directories(out);
        trainer.saveCheckpoint(ckpt);
    } else {
        writeModelDir(out, trainer, config, job.tokenizerDir);
        fs::remove_all(ckpt);
    }
    result.validationPerplexity = perplexity(*model, valData, job.evalBlocks);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace gt::api
