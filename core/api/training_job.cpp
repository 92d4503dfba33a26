#include "core/api/training_job.h"

#include "core/api/job_data.h"
#include "core/api/memory_policy.h"
#include "core/data/summarization_batches.h"
#include "core/eval/evaluator.h"
#include "core/eval/generator.h"
#include "core/eval/rouge.h"
#include "core/green/budget.h"
#include "core/model/causal_lm.h"
#include "core/store/experiment_store.h"
#include "core/store/store_paths.h"
#include "core/train/energy_meter.h"
#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>

namespace gt::api {
namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json configJson(const TrainJob& j) {
    const auto& o = j.options;
    return {{"method", train::methodName(o.method)},
            {"rho", o.rho},
            {"top_blocks", o.topBlocks},
            {"lora_rank", o.loraRank},
            {"lora_alpha", o.loraAlpha},
            {"lora_dropout", o.loraDropout},
            {"lora_targets", o.loraTargets},
            {"reselect_every_epochs", o.reselectEveryEpochs},
            {"selector", green::selectorName(o.selector.kind)},
            {"order", green::orderName(green::chainOrder(o.accounting))},
            {"accounting", green::accountingName(o.accounting)},
            {"paper_probe", o.paperProbe},
            {"lr", o.learningRate},
            {"weight_decay", o.weightDecay},
            {"warmup_steps", o.warmupSteps},
            {"epochs", o.epochs},
            {"max_steps", o.maxSteps},
            {"grad_accumulation", o.gradAccumulation},
            {"clip_grad_norm", o.clipGradNorm},
            {"seed", o.seed},
            {"threads", o.threads},
            {"batch_size", j.batchSize},
            {"max_length", j.maxLength},
            {"append_eos", j.appendEos},
            {"max_train_examples", j.maxTrainExamples},
            {"eval_examples", j.evalExamples},
            {"max_new_tokens", j.maxNewTokens},
            {"no_repeat_ngram", j.noRepeatNgram}};
}

nlohmann::json jobToJson(const TrainJob& j) {
    nlohmann::json c = configJson(j);
    c["model_dir"] = j.modelDir;
    c["data_dir"] = j.dataDir;
    c["preset"] = j.preset;
    c["train_file"] = j.trainFile;
    c["validation_file"] = j.validationFile;
    c["source_field"] = j.sourceField;
    c["target_field"] = j.targetField;
    c["db_path"] = j.dbPath;
    c["run_name"] = j.runName;
    c["tags"] = j.tags;
    c["checkpoint_dir"] = j.checkpointDir;
    c["checkpoint_every"] = j.checkpointEvery;
    c["export_dir"] = j.exportDir;
    c["eval_every"] = j.evalEvery;
    c["hold_out"] = j.holdOut;
    c["probe_batches"] = j.options.probeBatches;
    c["selector_resolution"] = j.options.selector.resolution;
    return c;
}

/// Runs before the order followed the accounting could pair them freely; such a run cannot be
/// continued with the plans it started with, so it is refused rather than silently re-planned.
void refuseRetiredOrder(const nlohmann::json& c) {
    const auto accounting = green::parseAccounting(c.at("accounting"));
    const std::string order = c.value("order", green::orderName(green::chainOrder(accounting)));
    if (order != green::orderName(green::chainOrder(accounting)))
        throw std::runtime_error(
            "this run pairs " + green::accountingName(accounting) + " accounting with the " +
            order +
            " order, which mis-states what its plans cost; it cannot be continued "
            "(start a new run)");
}

TrainJob jobFromJson(const nlohmann::json& c) {
    TrainJob j;
    j.modelDir = c.at("model_dir");
    j.dataDir = c.at("data_dir");
    j.preset = c.at("preset");
    j.trainFile = c.at("train_file");
    j.validationFile = c.at("validation_file");
    j.sourceField = c.at("source_field");
    j.targetField = c.at("target_field");
    j.dbPath = c.at("db_path");
    j.runName = c.at("run_name");
    j.tags = c.at("tags").get<std::vector<std::string>>();
    j.checkpointDir = c.at("checkpoint_dir");
    j.checkpointEvery = c.at("checkpoint_every");
    j.exportDir = c.value("export_dir", "");
    j.evalEvery = c.value("eval_every", int64_t{0});
    j.holdOut = c.value("hold_out", 0.0);
    j.batchSize = c.at("batch_size");
    j.maxLength = c.at("max_length");
    j.appendEos = c.at("append_eos");
    j.maxTrainExamples = c.at("max_train_examples");
    j.evalExamples = c.at("eval_examples");
    j.maxNewTokens = c.at("max_new_tokens");
    j.noRepeatNgram = c.value("no_repeat_ngram", int64_t{0}); // absent in older stores
    auto& o = j.options;
    o.method = train::parseMethod(c.at("method"));
    o.rho = c.at("rho");
    o.topBlocks = c.at("top_blocks");
    o.loraRank = c.value("lora_rank", o.loraRank);
    o.loraAlpha = c.value("lora_alpha", o.loraAlpha);
    o.loraDropout = c.value("lora_dropout", o.loraDropout);
    o.loraTargets = c.value("lora_targets", o.loraTargets);
    o.reselectEveryEpochs = c.at("reselect_every_epochs");
    o.selector.kind = green::parseSelector(c.at("selector"));
    o.selector.resolution = c.at("selector_resolution");
    o.accounting = green::parseAccounting(c.at("accounting"));
    refuseRetiredOrder(c);
    o.paperProbe = c.at("paper_probe");
    o.probeBatches = c.at("probe_batches");
    o.learningRate = c.at("lr");
    o.weightDecay = c.at("weight_decay");
    o.warmupSteps = c.at("warmup_steps");
    o.epochs = c.at("epochs");
    o.maxSteps = c.at("max_steps");
    o.gradAccumulation = c.at("grad_accumulation");
    o.clipGradNorm = c.at("clip_grad_norm");
    o.seed = c.at("seed");
    o.threads = c.at("threads");
    return j;
}

/// Validation loss, batched greedy generation and ROUGE on the first examples of the split.
void evaluate(model::CausalLMImpl& lm, const text::Tokenizer& tok,
              const std::vector<data::Example>& val, const TrainJob& j,
              const data::PromptOptions& po, store::ExperimentStore& db, int64_t runId,
              int64_t step, TrainOutcome& out) {
    const size_t n = std::min(val.size(), j.evalExamples);
    if (n == 0) return;
    eval::EvalOptions eo;
    eo.prompt = po;
    eo.maxNewTokens = j.maxNewTokens;
    eo.noRepeatNgram = j.noRepeatNgram;
    eo.batchSize = 16;
    eo.bootstrap = 0;
    const std::vector<data::Example> subset(val.begin(), val.begin() + static_cast<long>(n));
    const auto r = eval::Evaluator(lm, tok, eo).run(subset);
    store::Evaluation ev;
    ev.step = step;
    ev.examples = static_cast<int64_t>(n);
    for (size_t i = 0; i < n && ev.samples.size() < 8; ++i)
        ev.samples.push_back(
            {val[i].source.substr(0, 500), r.examples[i].prediction, val[i].targets[0]});
    ev.valLoss = r.meanLoss;
    ev.rouge1 = 100 * r.rouge.mean.rouge1.fmeasure;
    ev.rouge2 = 100 * r.rouge.mean.rouge2.fmeasure;
    ev.rougeL = 100 * r.rouge.mean.rougeL.fmeasure;
    ev.rougeLsum = 100 * r.rouge.mean.rougeLsum.fmeasure;
    db.addEvaluation(runId, ev);
    out.validationLoss = r.meanLoss;
    out.rouge1 = ev.rouge1;
    out.rouge2 = ev.rouge2;
    out.rougeL = ev.rougeL;
}

/// Writes the trained model in HF layout: config and tokenizer files copied from the base
/// model, weights (LoRA merged) as model.safetensors.
void exportModel(const train::Trainer& trainer, const std::string& baseDir,
                 const std::string& outDir) {
    namespace fs = std::filesystem;
    fs::create_directories(outDir);
    const fs::path tmp = fs::path(outDir) / ".export-weights";
    trainer.saveCheckpoint(tmp);
    fs::rename(tmp / "model.safetensors", fs::path(outDir) / "model.safetensors");
    fs::remove_all(tmp);
    for (const char* f :
         {"config.json", "generation_config.json", "tokenizer.json", "vocab.json", "merges.txt",
          "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"})
        if (fs::exists(fs::path(baseDir) / f))
            fs::copy_file(fs::path(baseDir) / f, fs::path(outDir) / f,
                          fs::copy_options::overwrite_existing);
}

/// Resets the kernel's peak-RSS mark (VmHWM) so each run in a process measures its own.
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

int64_t peakRssBytes() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    return 0;
}

TrainOutcome execute(const TrainJob& job, int64_t resumeRunId, const std::string& resumeDir,
                     const TrainCallbacks& callbacks, const std::atomic<bool>* stop) {
    const api::ReleaseFreedMemoryOnExit release; // after the model below is gone
    const auto& onProgress = callbacks.onProgress;
    auto lm = model::loadCausalLM(job.modelDir);
    const auto tok = text::Tokenizer::load(job.modelDir);
    const data::Splits splits = loadJobData(job);
    const data::PromptOptions po = promptOptions(job);
    const data::SummarizationBatches batches = trainingBatches(job, *tok, splits.train);

    store::ExperimentStore db(job.dbPath.empty() ? store::defaultStorePath()
                                                 : std::filesystem::path(job.dbPath));
    int64_t runId = resumeRunId;
    if (runId > 0) {
        db.reopenRun(runId);
    } else {
        store::NewRun nr;
        nr.method = train::methodName(job.options.method);
        nr.name = job.runName;
        if (nr.name.empty()) { // appended piecewise: GCC 12 misreports "-" + string (PR105329)
            nr.name = nr.method;
            if (job.options.method == train::Method::GreenTrainer) {
                nr.name += '-';
                nr.name += std::to_string(job.options.rho).substr(0, 4);
            }
        }
        if (job.options.method == train::Method::GreenTrainer) nr.rho = job.options.rho;
        nr.modelPath = job.modelDir;
        nr.dataset = job.preset.empty()    ? job.trainFile
                     : job.dataDir.empty() ? job.preset + ":built-in"
                                           : job.preset + ":" + job.dataDir;
        nr.configJson = configJson(job).dump();
        nr.tags = job.tags;
        runId = db.createRun(nr);
    }

    TrainOutcome out;
    out.runId = runId;
    resetPeakRss();
    train::EnergyMeter energy; // measured only where RAPL counters are readable
    const auto t0 = Clock::now();
    double macSum = 0, fullMacs = 0;
    int64_t firstStep = 0;
    bool checkpointRecorded = false;
    std::vector<store::MetricPoint> pending;
    try {
        train::Trainer trainer(lm, {job.batchSize, batches.paddedLength()}, job.options, batches);
        const std::string extra = nlohmann::json{{"job", jobToJson(job)}, {"run_id", runId}}.dump();
        std::string checkpointDir = job.checkpointDir;
        auto checkpoint = [&] {
            if (checkpointDir.empty()) return;
            trainer.saveCheckpoint(checkpointDir, extra);
            if (!checkpointRecorded)
                db.addArtifact(runId, "checkpoint", checkpointDir, trainer.stepsDone());
            checkpointRecorded = true;
        };
        if (!resumeDir.empty()) {
            trainer.loadCheckpoint(resumeDir);
            firstStep = trainer.stepsDone();
            checkpointRecorded = true;
        }
        train::RunHooks hooks;
        hooks.stop = stop;
        hooks.onPlan = [&](const green::Plan& plan, int round,
                           const std::vector<double>& importance) {
            std::vector<store::TensorSnapshot> rows;
            for (size_t i = 0; i < plan.selected.size(); ++i) {
                const auto& c = trainer.costs().costs[i];
                rows.push_back(
                    {trainer.catalogue()[i].name, c.forward, c.dw, c.dy,
                     importance.empty() ? std::nullopt : std::optional<double>(importance[i]),
                     plan.selected[i] != 0});
            }
            db.addTensorSnapshots(runId, round, trainer.stepsDone(), rows);
            if (callbacks.onPlan)
                callbacks.onPlan({round, trainer.stepsDone(), plan.selected, plan.share()});
            out.message = "round " + std::to_string(round) + ": trains " +
                          std::to_string(plan.selectedCount()) + " of " +
                          std::to_string(plan.selected.size()) + " tensors, planned share " +
                          std::to_string(plan.share()).substr(0, 5) + "; " +
                          green::headroomText(plan.headroom, plan.rho);
            out.headroom = plan.headroom;
        };
        hooks.onStep = [&](const train::StepMetrics& m) {
            const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
            for (auto [name, value] : {std::pair{"train/loss", m.loss},
                                       {"lr", m.learningRate},
                                       {"planned_macs", m.plannedMacs},
                                       {"step_ms", m.stepMillis},
                                       {"tokens_per_s", m.tokensPerSecond}})
                pending.push_back({name, m.step, value, m.epoch, wall});
            std::optional<double> joules;
            if (energy.available()) {
                joules = energy.joules();
                pending.push_back({"energy_j", m.step, *joules, m.epoch, wall});
            }
            const bool due = job.checkpointEvery > 0 && m.step % job.checkpointEvery == 0;
            if (pending.size() >= 50 || due) {
                db.appendMetrics(runId,
                                 pending); // metrics first: a checkpoint never runs ahead of them
                pending.clear();
            }
            if (due) checkpoint();
            const bool evalDue = job.evalEvery > 0 && m.step % job.evalEvery == 0 &&
                                 m.step < trainer.totalSteps(); // the last pass follows the run
            if (evalDue) {
                evaluate(*lm, *tok, splits.validation, job, po, db, runId, m.step, out);
                if (callbacks.onEvaluation && out.rouge1)
                    callbacks.onEvaluation({m.step, out.validationLoss.value_or(0), *out.rouge1,
                                            *out.rouge2, *out.rougeL});
            }
            macSum += m.plannedMacs;
            fullMacs = m.fullMacs;
            out.lastLoss = m.loss;
            out.steps = m.step;
            if (onProgress) {
                TrainProgress p{m, trainer.totalSteps(), wall, 0, joules};
                p.etaSeconds = wall / static_cast<double>(m.step - firstStep) *
                               static_cast<double>(trainer.totalSteps() - m.step);
                onProgress(p);
            }
        };
        out.stopped = trainer.run(hooks);
        if (energy.available()) { // the training steps only, not the validation pass
            out.energyJoules = energy.joules();
            out.energySource = energy.source();
        }
        if (!pending.empty()) db.appendMetrics(runId, pending);
        pending.clear();
        // A stopped run is always resumable: without a checkpoint directory it gets one beside
        // the store. A finished run keeps its final state only where one was asked for.
        if (out.stopped && checkpointDir.empty())
            checkpointDir = (std::filesystem::absolute(db.file()).parent_path() / "checkpoints" /
                             ("run-" + std::to_string(runId)))
                                .string();
        if (out.stopped) out.checkpointDir = checkpointDir;
        checkpoint();
        out.steps = trainer.stepsDone();
        out.wallSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
        const int64_t done = out.steps - firstStep;
        out.plannedShare =
            done > 0 && fullMacs > 0 ? macSum / static_cast<double>(done) / fullMacs : 0;
        out.plannedMacs = macSum;
        out.fullMacsPerStep = fullMacs;
        out.peakRssBytes = peakRssBytes();
        if (!out.stopped && !job.exportDir.empty()) {
            trainer.mergeAdapters(); // LoRA: the exported model needs no adapters
            exportModel(trainer, job.modelDir, job.exportDir);
            db.addArtifact(runId, "model", job.exportDir, out.steps);
        }
        if (!out.stopped) {
            evaluate(*lm, *tok, splits.validation, job, po, db, runId, out.steps, out);
            if (callbacks.onEvaluation && out.rouge1)
                callbacks.onEvaluation({out.steps, out.validationLoss.value_or(0), *out.rouge1,
                                        *out.rouge2, *out.rougeL});
        }
        store::RunTotals totals;
        totals.wallSeconds = out.wallSeconds;
        totals.energyJoules = out.energyJoules;
        totals.energySource = out.energySource;
        totals.plannedMacs =
            done > 0 ? std::optional<double>(macSum / static_cast<double>(done)) : std::nullopt;
        totals.fullMacs = fullMacs;
        db.finishRun(runId, out.stopped ? store::RunStatus::Stopped : store::RunStatus::Finished,
                     totals);
    } catch (...) {
        try {
            if (!pending.empty()) db.appendMetrics(runId, pending);
            db.finishRun(runId, store::RunStatus::Failed);
        } catch (...) {
        }
        throw;
    }
    return out;
}

} // namespace

TrainOutcome runTraining(const TrainJob& job, const TrainCallbacks& callbacks,
                         const std::atomic<bool>* stop) {
    return execute(job, 0, {}, callbacks, stop);
}

TrainOutcome runTraining(const TrainJob& job,
                         const std::function<void(const TrainProgress&)>& onProgress,
                         const std::atomic<bool>* stop) {
    return runTraining(job, TrainCallbacks{onProgress, {}, {}}, stop);
}

TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath,
                            const TrainCallbacks& callbacks, const std::atomic<bool>* stop) {
    std::ifstream in(std::filesystem::path(checkpointDir) / "state.json");
    if (!in)
        throw std::runtime_error(checkpointDir + ": no checkpoint here (state.json is missing)");
    const auto state = nlohmann::json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.contains("extra") || !state["extra"].contains("job"))
        throw std::runtime_error(checkpointDir +
                                 "/state.json: not a checkpoint written by gt train");
    TrainJob job = jobFromJson(state["extra"]["job"]);
    if (!dbPath.empty()) job.dbPath = dbPath;
    job.checkpointDir = checkpointDir;
    return execute(job, state["extra"].value("run_id", int64_t{0}), checkpointDir, callbacks, stop);
}

TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath,
                            const std::function<void(const TrainProgress&)>& onProgress,
                            const std::atomic<bool>* stop) {
    return resumeTraining(checkpointDir, dbPath, TrainCallbacks{onProgress, {}, {}}, stop);
}

} // namespace gt::api
