#include "core/api/evaluation_job.h"

#include "core/api/builtin_resources.h"
#include "core/api/memory_policy.h"
#include "core/api/run_recorder.h"
#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/store/experiment_store.h"
#include "core/store/store_paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace gt::api {
namespace {

std::vector<data::Example> loadSplit(const EvalJob& j) {
    if (j.preset.empty()) {
        if (j.file.empty()) throw std::invalid_argument("evaluation: no dataset (preset or file)");
        data::ReadOptions o;
        o.sourceField = j.sourceField;
        o.targetField = j.targetField;
        return data::readDataset(j.file, o);
    }
    const auto dir = j.dataDir.empty() && j.preset == "debian" ? builtinTaskDir()
                                                               : std::filesystem::path(j.dataDir);
    auto s = data::loadPreset(j.preset, dir);
    if (j.split == "train") return std::move(s.train);
    if (j.split == "validation") return std::move(s.validation);
    if (j.split == "test") {
        if (s.test.empty()) throw std::invalid_argument(j.preset + " has no test split here");
        return std::move(s.test);
    }
    throw std::invalid_argument("unknown split '" + j.split + "' (train, validation, test)");
}

eval::PairedDifference scaled(eval::PairedDifference d) {
    d.mean *= 100;
    d.low *= 100;
    d.high *= 100;
    return d;
}

/// Scores each example's lead sentence against its references with the same ROUGE options,
/// and the model's per-example lead over it with one paired bootstrap per metric.
LeadComparison compareWithLead(const eval::EvalResult& r, const std::vector<data::Example>& ex,
                               const eval::EvalOptions& o) {
    std::vector<eval::RougeScores> lead;
    std::vector<double> m1, m2, mL, l1, l2, lL;
    for (size_t i = 0; i < r.examples.size(); ++i) {
        lead.push_back(
            eval::rougeScoreMulti(eval::leadSentence(ex[i].source), ex[i].targets, o.stem));
        const auto& m = r.examples[i].scores;
        m1.push_back(m.rouge1.fmeasure);
        m2.push_back(m.rouge2.fmeasure);
        mL.push_back(m.rougeL.fmeasure);
        l1.push_back(lead.back().rouge1.fmeasure);
        l2.push_back(lead.back().rouge2.fmeasure);
        lL.push_back(lead.back().rougeL.fmeasure);
    }
    const int samples = static_cast<int>(o.bootstrap);
    const auto agg = eval::aggregateRouge(lead, samples, o.seed);
    LeadComparison c;
    c.resamples = samples;
    c.rouge1 = 100 * agg.mean.rouge1.fmeasure;
    c.rouge2 = 100 * agg.mean.rouge2.fmeasure;
    c.rougeL = 100 * agg.mean.rougeL.fmeasure;
    c.rouge1Low = 100 * agg.rouge1.low;
    c.rouge1High = 100 * agg.rouge1.high;
    c.rouge1Diff = scaled(eval::pairedBootstrap(m1, l1, samples, o.seed));
    c.rouge2Diff = scaled(eval::pairedBootstrap(m2, l2, samples, o.seed));
    c.rougeLDiff = scaled(eval::pairedBootstrap(mL, lL, samples, o.seed));
    return c;
}

} // namespace

nlohmann::json toJson(const LeadComparison& c) {
    auto diff = [](const eval::PairedDifference& d) {
        return nlohmann::json{
            {"mean", d.mean}, {"low", d.low}, {"high", d.high}, {"share_ahead", d.shareAhead}};
    };
    return {{"rouge1", c.rouge1},
            {"rouge2", c.rouge2},
            {"rougeL", c.rougeL},
            {"rouge1_interval", {c.rouge1Low, c.rouge1High}},
            {"resamples", c.resamples},
            {"model_minus_lead",
             {{"rouge1", diff(c.rouge1Diff)},
              {"rouge2", diff(c.rouge2Diff)},
              {"rougeL", diff(c.rougeLDiff)}}}};
}

namespace {

store::Evaluation evaluationOf(const EvalJob& job, const EvalScores& s) {
    store::Evaluation ev;
    ev.examples = static_cast<int64_t>(s.examples);
    ev.split = job.split;
    ev.valLoss = s.loss;
    ev.rouge1 = s.rouge1;
    ev.rouge2 = s.rouge2;
    ev.rougeL = s.rougeL;
    ev.rougeLsum = s.rougeLsum;
    for (size_t i = 0; i < s.examples && ev.samples.size() < 8; ++i)
        ev.samples.push_back({s.sources[i].substr(0, 500), s.predictions[i], s.references[i]});
    return ev;
}

/// Stores the evaluation as a finished run of its own (method "eval"); returns its id.
int64_t storeAsRun(const EvalJob& job, const eval::EvalOptions& o, const EvalScores& s) {
    store::NewRun nr;
    nr.method = "eval";
    nr.name = job.runName.empty() ? "eval" : job.runName;
    nr.modelPath = job.modelDir;
    nr.dataset = job.preset.empty() ? job.file : job.preset + ":" + job.split;
    nlohmann::json config{{"split", job.split},
                          {"limit", job.limit},
                          {"num_beams", o.numBeams},
                          {"repetition_penalty", o.repetitionPenalty},
                          {"no_repeat_ngram", o.noRepeatNgram},
                          {"length_penalty", o.lengthPenalty},
                          {"length_of_new_tokens", o.lengthOfNewTokens},
                          {"max_new_tokens", o.maxNewTokens},
                          {"stem", o.stem}};
    if (s.lead) config["lead_baseline"] = toJson(*s.lead);
    nr.configJson = config.dump();
    RunRecorder recorder(job.dbPath, nr);
    const store::Evaluation ev = evaluationOf(job, s);
    recorder.evaluation(ev);
    store::RunTotals totals;
    totals.wallSeconds = s.seconds;
    recorder.finish(store::RunStatus::Finished, totals);
    return recorder.runId();
}

/// The run the scores go to must exist before minutes of generation are spent.
void requireAttachable(const EvalJob& job) {
    if (job.attachRun <= 0) return;
    if (job.dbPath.empty()) throw std::invalid_argument("attaching scores to a run needs a store");
    store::ExperimentStore s(job.dbPath, store::ExperimentStore::Mode::ReadOnly);
    if (!s.run(job.attachRun))
        throw std::runtime_error(s.file().string() + ": no run with id " +
                                 std::to_string(job.attachRun) + " to attach the scores to");
}

/// Adds the scores to the stored run as an evaluation at its last step.
void attachToRun(const EvalJob& job, const EvalScores& s) {
    store::ExperimentStore db(job.dbPath);
    store::Evaluation ev = evaluationOf(job, s);
    for (const auto& m : db.lastMetrics(job.attachRun))
        ev.step = std::max(ev.step, m.step);
    db.addEvaluation(job.attachRun, ev);
}

} // namespace

EvalScores runEvaluation(const EvalJob& job, const std::function<void(size_t, size_t)>& onProgress,
                         const std::atomic<bool>* stop) {
    const api::ReleaseFreedMemoryOnExit release; // after the model below is gone
    model::configureTorchThreads(job.threads);
    requireAttachable(job);
    auto examples = loadSplit(job);
    if (job.limit > 0 && examples.size() > job.limit) examples.resize(job.limit);
    auto lm = model::loadCausalLM(job.modelDir);
    io::requirePositions(lm->config(), job.maxLength, "the sequence length");
    const auto tok = text::Tokenizer::loadForModel(job.modelDir, lm->config().vocabSize);
    eval::EvalOptions o = job.paperGeneration ? eval::paperGenerationPreset() : eval::EvalOptions{};
    if (!job.paperGeneration) o.numBeams = job.numBeams;
    o.prompt.maxLength = job.maxLength;
    o.maxNewTokens = job.maxNewTokens;
    o.batchSize = job.batchSize;
    o.stem = job.stem;
    o.noRepeatNgram = job.noRepeatNgram;
    o.lengthPenalty = job.lengthPenalty;
    o.lengthOfNewTokens = job.lengthOfNewTokens;
    const auto r = eval::Evaluator(*lm, *tok, o).run(examples, onProgress, stop);
    EvalScores s;
    s.examples = r.examples.size();
    s.rouge1 = 100 * r.rouge.mean.rouge1.fmeasure;
    s.rouge2 = 100 * r.rouge.mean.rouge2.fmeasure;
    s.rougeL = 100 * r.rouge.mean.rougeL.fmeasure;
    s.rougeLsum = 100 * r.rouge.mean.rougeLsum.fmeasure;
    s.rouge1Low = 100 * r.rouge.rouge1.low;
    s.rouge1High = 100 * r.rouge.rouge1.high;
    s.loss = r.meanLoss;
    s.seconds = r.seconds;
    s.tokensPerSecond = r.seconds > 0 ? r.generatedTokens / r.seconds : 0;
    s.stopped = r.stopped;
    for (size_t i = 0; i < r.examples.size(); ++i) {
        s.predictions.push_back(r.examples[i].prediction);
        s.references.push_back(examples[i].targets.front());
        s.sources.push_back(examples[i].source);
    }
    if (job.leadBaseline && !r.examples.empty()) s.lead = compareWithLead(r, examples, o);
    if (job.attachRun > 0 && !r.examples.empty()) {
        attachToRun(job, s);
        s.runId = job.attachRun;
    } else if (!job.dbPath.empty() && !r.examples.empty()) {
        s.runId = storeAsRun(job, o, s);
    }
    return s;
}

} // namespace gt::api
