#include "core/api/training_job.h"

#include "core/api/job_data.h"
#include "core/api/job_json.h"
#include "core/api/memory_policy.h"
#include "core/api/run_checkpoint.h"
#include "core/api/run_recorder.h"
#include "core/api/system_report.h"
#include "core/data/summarization_batches.h"
#include "core/eval/evaluator.h"
#include "core/eval/generator.h"
#include "core/eval/rouge.h"
#include "core/green/budget.h"
#include "core/model/causal_lm.h"
#include "core/store/experiment_store.h"
#include "core/store/store_paths.h"
#include "core/train/checkpoint_folder.h"
#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <utility>

namespace gt::api {
namespace {

using Clock = std::chrono::steady_clock;

/// Validation loss, batched greedy generation and ROUGE on the first examples of the split;
/// nothing when the job scores no examples.
std::optional<store::Evaluation> validate(model::CausalLMImpl& lm, const text::Tokenizer& tok,
                                          const std::vector<data::Example>& val, const TrainJob& j,
                                          const data::PromptOptions& po, int64_t step) {
    const size_t n = std::min(val.size(), j.evalExamples);
    if (n == 0) return std::nullopt;
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
    return ev;
}

/// Writes the trained model in HF layout: config and tokenizer files copied from the base
/// model, weights (LoRA merged) as model.safetensors, and what the method adds (a prefix).
void exportModel(const train::Trainer& trainer, const std::string& baseDir,
                 const std::string& outDir) {
    namespace fs = std::filesystem;
    fs::create_directories(outDir);
    const fs::path tmp = fs::path(outDir) / ".export-weights";
    trainer.saveCheckpoint(tmp);
    fs::rename(tmp / "model.safetensors", fs::path(outDir) / "model.safetensors");
    fs::remove_all(tmp);
    trainer.exportMethodFiles(outDir);
    for (const char* f :
         {"config.json", "generation_config.json", "tokenizer.json", "vocab.json", "merges.txt",
          "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"})
        if (fs::exists(fs::path(baseDir) / f))
            fs::copy_file(fs::path(baseDir) / f, fs::path(outDir) / f,
                          fs::copy_options::overwrite_existing);
}

/// The run as the store lists it: its default name, method, rho, model, dataset, settings.
store::NewRun newRun(const TrainJob& job) {
    store::NewRun nr;
    nr.method = train::methodName(job.options.method);
    nr.name = job.runName;
    const bool scheduled = job.footprint.rhoSchedule != "fixed"; // rho per round, not per run
    if (nr.name.empty()) { // appended piecewise: GCC 12 misreports "-" + string (PR105329)
        nr.name = nr.method;
        if (job.options.method == train::Method::GreenTrainer) {
            nr.name += '-';
            nr.name += scheduled ? job.footprint.rhoSchedule
                                 : std::to_string(job.options.rho).substr(0, 4);
        }
    }
    if (job.options.method == train::Method::GreenTrainer && !scheduled) nr.rho = job.options.rho;
    nr.modelPath = job.modelDir;
    nr.dataset = job.preset.empty()    ? job.trainFile
                 : job.dataDir.empty() ? job.preset + ":built-in"
                                       : job.preset + ":" + job.dataDir;
    nr.configJson = configJson(job).dump();
    nr.tags = job.tags;
    return nr;
}

std::vector<store::TensorSnapshot> snapshotRows(const train::Trainer& trainer,
                                                const green::Plan& plan,
                                                const std::vector<double>& importance) {
    std::vector<store::TensorSnapshot> rows;
    for (size_t i = 0; i < plan.selected.size(); ++i) {
        const auto& c = trainer.costs().costs[i];
        rows.push_back({trainer.catalogue()[i].name, c.forward, c.dw, c.dy,
                        importance.empty() ? std::nullopt : std::optional<double>(importance[i]),
                        plan.selected[i] != 0});
    }
    return rows;
}

/// A carbon or budget schedule plans (and is checked for feasibility) at the low end of its
/// range first: the job's rho says so, in the trainer and in the stored configuration alike.
TrainJob withScheduleRho(TrainJob job) {
    if (job.footprint.rhoSchedule != "fixed") job.options.rho = job.footprint.rhoLow;
    return job;
}

/// The job's model, refusing a sequence length beyond its positions before anything runs.
std::shared_ptr<model::CausalLMImpl> checkedModel(const TrainJob& job) {
    auto lm = model::loadCausalLM(job.modelDir);
    io::requirePositions(lm->config(), job.maxLength, "the sequence length");
    return lm;
}

/// One session of a run (a start, or a resume up to its end or the next stop): what it

/// loaded, the trainer, the run's rows, and what it reports when it ends. Its members are
/// the hooks the training loop calls; an exception out of any leaves the run "failed".
class TrainingSession {
public:
    /// With `resumeFrom`, the checkpoint is loaded before the stored run is reopened, so a
    /// checkpoint that cannot be read leaves the run as it was (resumable, not failed).
    TrainingSession(const TrainJob& job, int64_t resumeRunId,
                    const std::filesystem::path& resumeFrom, const TrainCallbacks& callbacks)
        : m_job(job)
        , m_callbacks(callbacks)
        , m_lm(checkedModel(job))
        , m_tok(text::Tokenizer::loadForModel(job.modelDir, m_lm->config().vocabSize))
        , m_splits(loadJobData(job))
        , m_prompt(promptOptions(job))
        , m_batches(trainingBatches(job, *m_tok, m_splits.train))
        , m_trainer(m_lm, {job.batchSize, m_batches.paddedLength()}, job.options, m_batches)
        , m_firstStep(restore(resumeFrom))
        , m_footprint(job.footprint)
        , m_recorder(job.dbPath, newRun(job), resumeRunId)
        , m_checkpoints(job.checkpointDir.empty()
                            ? defaultCheckpointFolder(m_recorder.storeFile(), m_recorder.runId())
                            : std::filesystem::path(job.checkpointDir)) {
        m_out.runId = m_recorder.runId();
        // What the dead or stopped session recorded after the checkpoint is redone now.
        if (!resumeFrom.empty()) m_recorder.rewind(m_firstStep, m_trainer.round());
        resetPeakResident();
        m_setupBytes = residentBytes(); // runtime, model, tokenizer and data, loaded
        // The session's clock and its energy start together, after the set-up; a resumed
        // run's clock, energy, trace position and open round go on from its checkpoint.
        m_t0 = Clock::now();
        m_footprint.restart(m_resumed);
    }

    train::Trainer& trainer() { return m_trainer; }
    bool carbonAware() const { return m_footprint.carbonAware(); }
    bool budgeted() const { return m_footprint.budgeted(); }
    /// The budget schedule's rho for a round that begins now.
    double budgetRho() {
        m_roundGrid = m_footprint.intensityAt(elapsed());
        return m_footprint.budgetRho(elapsed(), m_trainer.totalSteps() - m_trainer.stepsDone());
    }
    void roundStarts() { m_footprint.roundStarts(elapsed()); }
    /// The carbon schedule's rho for a round that begins now (its intensity is stored with
    /// the round: the probe and the plan take a while).
    double carbonRho() {
        m_roundGrid = m_footprint.intensityAt(elapsed());
        return m_footprint.rule()->rho(*m_roundGrid);
    }

    void recordPlan(const green::Plan& plan, int round, const std::vector<double>& importance) {
        const int64_t step = m_trainer.stepsDone();
        if (!m_preflight) predict(plan);
        m_recorder.selection(round, step, snapshotRows(m_trainer, plan, importance));
        const bool green = m_job.options.method == train::Method::GreenTrainer;
        store::RoundRecord row{round, step, green ? std::optional<double>(plan.rho) : std::nullopt,
                               plan.share(), std::exchange(m_roundGrid, std::nullopt)};
        const auto rows = m_footprint.beginRound(row, elapsed(), stepsInRound(step));
        for (const auto& r : rows)
            m_recorder.round(r);
        if (m_callbacks.onPlan)
            m_callbacks.onPlan(
                {round, step, plan.selected, plan.share(), row.rho, rows.back().gridGPerKwh});
        m_out.message = "round " + std::to_string(round) + ": trains " +
                        std::to_string(plan.selectedCount()) + " of " +
                        std::to_string(plan.selected.size()) + " tensors, planned share " +
                        std::to_string(plan.share()).substr(0, 5);
        // rho_min and the spare share describe a budget; other methods' plans have none.
        if (m_job.options.method == train::Method::GreenTrainer) {
            m_out.message += "; " + green::headroomText(plan.headroom, plan.rho);
            m_out.headroom = plan.headroom;
        }
    }

    void recordStep(const train::StepMetrics& m) {
        const double wall = elapsed();
        for (auto [name, value] :
             {std::pair{"train/loss", m.loss},
              {"lr", m.learningRate},
              {"planned_macs", m.plannedMacs},
              {"planned_share", m.fullMacs > 0 ? m.plannedMacs / m.fullMacs : 0.0},
              {"step_ms", m.stepMillis},
              {"tokens_per_s", m.tokensPerSecond}})
            m_recorder.metric(name, m.step, value, m.epoch, wall);
        // this process's high-water mark so far (a resumed session starts its own)
        m_recorder.metric("peak_rss_mib", m.step,
                          static_cast<double>(peakResidentBytes()) / 1048576.0, m.epoch, wall);
        std::optional<double> joules;
        if (m.fullMacs > 0) m_footprint.countStep(m.plannedMacs / m.fullMacs);
        m_footprint.sample(wall);
        if (m_footprint.energy().available()) {
            joules = m_footprint.joules();
            m_recorder.metric("energy_j", m.step, *joules, m.epoch, wall);
        }
        const auto co2 = m_footprint.co2Grams();
        const auto grid = m_footprint.intensityAt(wall);
        if (co2) {
            m_recorder.metric("co2_g", m.step, *co2, m.epoch, wall);
            m_recorder.metric("grid_g_per_kwh", m.step, *grid, m.epoch, wall);
        }
        calibrate(m.step, wall, joules);
        m_macSum += m.plannedMacs;
        m_fullMacs = m.fullMacs;
        m_recorder.fullMacs(m.fullMacs);
        m_out.lastLoss = m.loss;
        m_out.steps = m.step;
        if (m_callbacks.onProgress) {
            TrainProgress p{m, m_trainer.totalSteps(), wall, 0, joules, co2, grid, m_preflight};
            p.etaSeconds = sessionSeconds() / static_cast<double>(m.step - m_firstStep) *
                           static_cast<double>(m_trainer.totalSteps() - m.step);
            m_callbacks.onProgress(p);
        }
    }

    /// Writes the trainer's state as the newest checkpoint of the run's folder.
    void checkpoint() {
        m_recorder.flush(); // a checkpoint never runs ahead of the stored metrics
        // Listed first: a crash during the first write still leaves the folder findable.
        m_recorder.artifact("checkpoint", m_checkpoints.root().string(), m_trainer.stepsDone());
        const nlohmann::json extra{{"job", jobToJson(m_job)},
                                   {"run_id", m_recorder.runId()},
                                   {"footprint", footprintStateJson(m_footprint.state(elapsed()))}};
        m_trainer.saveCheckpoint(m_checkpoints.pathFor(m_trainer.stepsDone()), extra.dump());
        m_checkpoints.prune();
    }

    void evaluate(int64_t step) {
        const auto ev = validate(*m_lm, *m_tok, m_splits.validation, m_job, m_prompt, step);
        if (!ev) return;
        m_recorder.evaluation(*ev);
        m_out.validationLoss = ev->valLoss;
        m_out.rouge1 = ev->rouge1;
        m_out.rouge2 = ev->rouge2;
        m_out.rougeL = ev->rougeL;
        if (m_callbacks.onEvaluation)
            m_callbacks.onEvaluation(
                {step, ev->valLoss.value_or(0), *ev->rouge1, *ev->rouge2, *ev->rougeL});
    }

    /// After the loop: the final checkpoint, totals, export and evaluation of a finished run.
    TrainOutcome finish(bool stopped) {
        m_out.stopped = stopped;
        // The training steps only, not the validation pass.
        if (const auto last = m_footprint.endRound(elapsed())) m_recorder.round(*last);
        if (m_footprint.energy().available()) {
            m_out.energyJoules = m_footprint.joules();
            m_out.energyMethod = m_footprint.energy().method();
            m_out.energySource = m_footprint.energy().detail();
        }
        m_out.co2Grams = m_footprint.co2Grams();
        if (m_footprint.grid()) m_out.gridSource = m_footprint.grid()->source();
        if (m_preflight) m_out.preflight = *m_preflight;
        // A stopped run is always resumable. A finished run keeps its final state only where
        // the job named a folder; the default folder was crash insurance and goes.
        if (stopped || !m_job.checkpointDir.empty()) checkpoint();
        if (stopped) m_out.checkpointDir = m_checkpoints.root().string();
        if (!stopped && m_job.checkpointDir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(m_checkpoints.root(), ec);
            m_recorder.forgetArtifacts("checkpoint");
        }
        const store::RunTotals totals = tally();
        if (!stopped && !m_job.exportDir.empty()) {
            m_trainer.mergeAdapters(); // LoRA merged, a prefix fixed: no training state left
            exportModel(m_trainer, m_job.modelDir, m_job.exportDir);
            m_recorder.artifact("model", m_job.exportDir, m_out.steps);
        }
        if (!stopped) evaluate(m_out.steps);
        m_recorder.finish(stopped ? store::RunStatus::Stopped : store::RunStatus::Finished, totals);
        return m_out;
    }

private:
    double sessionSeconds() const {
        return std::chrono::duration<double>(Clock::now() - m_t0).count();
    }
    /// The run's training time: earlier sessions' (to their checkpoint) and this one's.
    double elapsed() const { return m_resumed.seconds + sessionSeconds(); }

    /// This session's steps, time, planned cost and memory, into the outcome and the totals.
    store::RunTotals tally() {
        m_out.steps = m_trainer.stepsDone();
        m_out.wallSeconds = elapsed();
        const int64_t done = m_out.steps - m_firstStep;
        const double perStep = done > 0 ? m_macSum / static_cast<double>(done) : 0.0;
        m_out.plannedShare = m_fullMacs > 0 ? perStep / m_fullMacs : 0;
        m_out.plannedMacs = m_macSum;
        m_out.fullMacsPerStep = m_fullMacs;
        m_out.peakRssBytes = peakResidentBytes();
        store::RunTotals totals;
        totals.wallSeconds = m_out.wallSeconds;
        totals.energyJoules = m_out.energyJoules;
        totals.energySource = m_out.energySource;
        totals.energyMethod = m_out.energyMethod;
        totals.co2Grams = m_out.co2Grams;
        totals.gridSource = m_out.gridSource;
        totals.plannedMacs = done > 0 ? std::optional<double>(perStep) : std::nullopt;
        totals.fullMacs = m_fullMacs;
        return totals;
    }

    /// The card for the session's first plan: its steps left at the GEMM rate measured now.
    void predict(const green::Plan& plan) {
        PreflightInput in;
        in.config = m_lm->config();
        in.catalogue = m_trainer.catalogue();
        in.shape = m_trainer.costs().shape;
        in.plan = plan;
        in.steps = m_trainer.totalSteps() - m_trainer.stepsDone();
        in.threads = m_job.options.threads;
        in.gemmGflops = measureMatmulGflops(m_job.options.threads);
        // what is resident besides the weights (the card counts those itself)
        in.runtimeBytes = std::max<int64_t>(
            0,
            m_setupBytes - estimateTrainingMemory(in.config, in.catalogue, in.shape, plan).weights);
        in.footprint = m_job.footprint;
        m_preflight = std::make_shared<const PreflightCard>(preflight(in));
    }

    /// After the session's first step (warm-up) the marks; kPreflightCalibrationSteps later,
    /// the measured pace and power into the card.
    void calibrate(int64_t step, double wall, std::optional<double> joules) {
        const int64_t k = step - m_firstStep;
        if (k == 1) {
            m_calibrationMark = {wall, joules.value_or(0)};
        } else if (k == 1 + kPreflightCalibrationSteps && m_preflight) {
            const auto n = static_cast<double>(kPreflightCalibrationSteps);
            const double pace = (wall - m_calibrationMark.first) / n;
            std::optional<double> perStep;
            if (joules) perStep = (*joules - m_calibrationMark.second) / n;
            m_preflight = std::make_shared<const PreflightCard>(
                recalibrate(*m_preflight, kPreflightCalibrationSteps, pace, perStep,
                            m_footprint.energy().method(), m_trainer.totalSteps() - m_firstStep,
                            peakResidentBytes()));
        }
    }

    /// The steps the round beginning at `step` plans for (until the next round or the end).
    int64_t stepsInRound(int64_t step) const {
        const auto& o = m_job.options;
        const int64_t left = m_trainer.totalSteps() - step;
        if (o.method != train::Method::GreenTrainer) return left;
        if (o.reselectEverySteps > 0) return std::min(left, o.reselectEverySteps);
        const auto accum = static_cast<int64_t>(std::max(1, o.gradAccumulation));
        const auto perEpoch = (static_cast<int64_t>(m_batches.size()) + accum - 1) / accum;
        return std::min(left, perEpoch * std::max(1, o.reselectEveryEpochs));
    }

    int64_t restore(const std::filesystem::path& checkpoint) {
        if (checkpoint.empty()) return 0;
        const auto extra = nlohmann::json::parse(m_trainer.loadCheckpoint(checkpoint));
        m_resumed = footprintStateFromJson(extra.value("footprint", nlohmann::json::object()));
        return m_trainer.stepsDone();
    }

    const TrainJob& m_job;
    const TrainCallbacks& m_callbacks;
    std::shared_ptr<model::CausalLMImpl> m_lm;
    std::unique_ptr<text::Tokenizer> m_tok;
    data::Splits m_splits;
    data::PromptOptions m_prompt;
    data::SummarizationBatches m_batches;
    train::Trainer m_trainer; // before the recorder: a job it refuses stores no run
    FootprintState m_resumed; ///< where the checkpoint left the footprint (before m_firstStep)
    int64_t m_firstStep;      ///< steps done when this session began (a resume's checkpoint)
    RunFootprint m_footprint; ///< energy, grid, carbon rho; before the recorder, like the trainer
    std::optional<double> m_roundGrid; ///< the intensity the next round's rho came from
    RunRecorder m_recorder;
    train::CheckpointFolder m_checkpoints;
    Clock::time_point m_t0 = Clock::now();
    TrainOutcome m_out;
    double m_macSum = 0, m_fullMacs = 0;
    std::shared_ptr<const PreflightCard> m_preflight;
    int64_t m_setupBytes = 0; ///< resident once everything is loaded, before the first step
    std::pair<double, double> m_calibrationMark; ///< seconds and joules after the first step
};

/// Loads, trains with every cadence the job asks for, and records the run; the loop itself
/// (plan, step, checkpoint, evaluation, stop) is train::Trainer::run.
TrainOutcome execute(const TrainJob& job, int64_t resumeRunId,
                     const std::filesystem::path& resumeFrom, const TrainCallbacks& callbacks,
                     const std::atomic<bool>* stop) {
    const api::ReleaseFreedMemoryOnExit release; // after the session's model is gone
    TrainingSession session(job, resumeRunId, resumeFrom, callbacks);
    train::RunHooks hooks;
    hooks.stop = stop;
    hooks.pause = callbacks.pause;
    hooks.onPaused = callbacks.onPaused;
    hooks.onPlan = [&](const green::Plan& plan, int round, const std::vector<double>& imp) {
        session.recordPlan(plan, round, imp);
    };
    hooks.onStep = [&](const train::StepMetrics& m) { session.recordStep(m); };
    hooks.onRoundStart = [&](int, int64_t) { session.roundStarts(); };
    if (session.carbonAware())
        hooks.rhoForRound = [&](int, int64_t) { return session.carbonRho(); };
    if (session.budgeted()) hooks.rhoForRound = [&](int, int64_t) { return session.budgetRho(); };
    if (job.checkpoints) {
        hooks.checkpointEvery = job.checkpointEvery;
        hooks.checkpointSeconds = 60 * job.checkpointMinutes;
        hooks.checkpointAtRounds = true;
    }
    hooks.onCheckpoint = [&] { session.checkpoint(); };
    hooks.evalEvery = job.evalEvery;
    hooks.onEvaluate = [&](int64_t step) { session.evaluate(step); };
    return session.finish(session.trainer().run(hooks));
}

} // namespace

TrainOutcome runTraining(const TrainJob& job, const TrainCallbacks& callbacks,
                         const std::atomic<bool>* stop) {
    return execute(withScheduleRho(job), 0, {}, callbacks, stop);
}

TrainOutcome runTraining(const TrainJob& job,
                         const std::function<void(const TrainProgress&)>& onProgress,
                         const std::atomic<bool>* stop) {
    return runTraining(job, TrainCallbacks{onProgress, {}, {}}, stop);
}

TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath,
                            const TrainCallbacks& callbacks, const std::atomic<bool>* stop) {
    const auto checkpoint = train::CheckpointFolder::resolve(checkpointDir);
    CheckpointInfo info = readCheckpoint(checkpoint);
    if (!dbPath.empty()) info.job.dbPath = dbPath;
    // The resumed run keeps writing where its job says (its default folder unless one was
    // named), wherever this checkpoint was found.
    return execute(info.job, info.runId, checkpoint, callbacks, stop);
}

TrainOutcome resumeRun(int64_t runId, const std::string& dbPath, const TrainCallbacks& callbacks,
                       const std::atomic<bool>* stop) {
    std::optional<std::filesystem::path> checkpoint;
    {
        const store::ExperimentStore runs(dbPath.empty() ? store::defaultStorePath()
                                                         : std::filesystem::path(dbPath),
                                          store::ExperimentStore::Mode::ReadOnly);
        const auto run = runs.run(runId);
        if (!run)
            throw std::runtime_error(runs.file().string() + ": no run with id " +
                                     std::to_string(runId));
        if (run->status == store::RunStatus::Running || run->status == store::RunStatus::Finished)
            throw std::runtime_error("run " + std::to_string(runId) + " is " +
                                     store::statusName(run->status) +
                                     "; only a stopped, interrupted or failed run can be resumed");
        checkpoint = latestCheckpoint(runs, runId);
        if (!checkpoint)
            throw std::runtime_error("run " + std::to_string(runId) +
                                     " has no checkpoint to resume from (it was started with "
                                     "--no-checkpoints and never stopped, or its folder is gone)");
    }
    return resumeTraining(checkpoint->string(), dbPath, callbacks, stop);
}

TrainOutcome resumeTraining(const std::string& checkpointDir, const std::string& dbPath,
                            const std::function<void(const TrainProgress&)>& onProgress,
                            const std::atomic<bool>* stop) {
    return resumeTraining(checkpointDir, dbPath, TrainCallbacks{onProgress, {}, {}}, stop);
}

} // namespace gt::api
