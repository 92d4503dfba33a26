#include "core/api/importance_job.h"

#include "core/api/job_data.h"
#include "core/api/memory_policy.h"
#include "core/model/causal_lm.h"
#include "core/train/trainer.h"

#include <chrono>

namespace gt::api {

std::string ImportanceOutcome::label() const {
    return "probe: " + std::to_string(batches) + (batches == 1 ? " batch" : " batches");
}

ImportanceOutcome runImportanceProbe(const TrainJob& job, int batches,
                                     const std::function<void(int, int)>& onProgress,
                                     const std::atomic<bool>* stop) {
    if (batches < 1) throw std::invalid_argument("importance probe: batches must be at least 1");
    const auto t0 = std::chrono::steady_clock::now();
    const api::ReleaseFreedMemoryOnExit release; // after the model below is gone
    auto lm = model::loadCausalLM(job.modelDir);
    io::requirePositions(lm->config(), job.maxLength, "the sequence length");
    const auto tok = text::Tokenizer::loadForModel(job.modelDir, lm->config().vocabSize);
    const data::Splits splits = loadJobData(job);
    const data::SummarizationBatches data = trainingBatches(job, *tok, splits.train);
    train::TrainOptions o = job.options;
    o.method = train::Method::Full; // every tensor in the optimizer, none frozen by a plan
    o.probeBatches = batches;
    train::Trainer trainer(lm, {job.batchSize, data.paddedLength()}, o, data);
    green::ProbeOptions po;
    po.onPass = onProgress;
    po.stop = stop;
    ImportanceOutcome out;
    out.batches = static_cast<int>(std::min<size_t>(static_cast<size_t>(batches), data.size()));
    for (int b = 0; b < out.batches; ++b)
        out.tokens += data.batch(0, static_cast<size_t>(b)).tokens();
    lm->train(); // dropout as in training: the probe measures the step a run would take
    try {
        out.importance = trainer.probeImportance(0, po);
    } catch (const green::ProbeStopped&) {
        out.stopped = true;
    }
    for (size_t i = 0; i < trainer.catalogue().size(); ++i)
        out.names.push_back(trainer.catalogue()[i].name);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace gt::api
