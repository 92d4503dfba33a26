#include "core/train/trainer.h"

#include "core/green/importance_probe.h"
#include "core/model/kv_prefix.h"
#include "core/model/threads.h"
#include "core/train/fused_adamw.h"
#include "core/train/lr_schedule.h"

#include <chrono>
#include <cmath>

namespace gt::train {

Trainer::Trainer(std::shared_ptr<model::CausalLMImpl> model, green::CostShape shape,
                 TrainOptions options, const data::BatchSource& data)
    : m_model(std::move(model))
    , m_options(std::move(options))
    , m_data(data)
    , m_catalogue(model::TensorCatalogue::fromConfig(m_model->config()))
    , m_costs(green::computeCosts(m_catalogue, m_model->config(), shape, m_options.accounting)) {
    model::configureTorchThreads(m_options.threads);
    torch::manual_seed(m_options.seed);
    m_optimizer = std::make_unique<FusedAdamW>(
        m_model->parameters(),
        torch::optim::AdamWOptions(m_options.learningRate).weight_decay(m_options.weightDecay));
    const int64_t perEpoch = (static_cast<int64_t>(data.size()) + m_options.gradAccumulation - 1) /
                             m_options.gradAccumulation;
    m_totalSteps = m_options.maxSteps > 0 ? m_options.maxSteps : perEpoch * m_options.epochs;
    if (m_totalSteps <= 0)
        throw std::invalid_argument("training: nothing to do (no batches or no epochs)");
    m_method = makeTrainingMethod({*m_model, m_catalogue, m_costs, m_options, m_totalSteps});
    // A method's own parameters (adapters, a prefix) are a second group, same AdamW settings.
    m_extra = m_method->extraParameters();
    if (!m_extra.empty())
        m_optimizer->add_param_group(torch::optim::OptimizerParamGroup(
            m_extra, std::make_unique<torch::optim::AdamWOptions>(
                         torch::optim::AdamWOptions(m_options.learningRate)
                             .weight_decay(m_options.weightDecay))));
}

Trainer::~Trainer() = default;

void Trainer::mergeAdapters() {
    m_method->merge();
    m_extra.clear();
}

void Trainer::exportMethodFiles(const std::filesystem::path& dir) const {
    // The prefix the model carries (prefix tuning's, or its base model's) goes with it; a
    // stale one from an earlier export into the same folder must not.
    std::filesystem::remove(dir / model::kPrefixFile);
    if (const model::KvPrefix* prefix = m_model->prefix()) {
        torch::NoGradGuard g;
        model::saveKvPrefix(dir / model::kPrefixFile, prefix->keyValues());
    }
}

void Trainer::applyPlan() {
    auto params = m_model->parameters();
    for (size_t i = 0; i < params.size(); ++i) {
        params[i].set_requires_grad(m_plan.selected[i] != 0);
        params[i].mutable_grad() = torch::Tensor(); // AdamW skips tensors without a gradient
    }
}

void Trainer::select(size_t epoch) {
    ++m_round;
    m_planEpoch = static_cast<int64_t>(epoch);
    m_planStep = m_step;
    std::vector<double> importance;
    green::Plan next = m_method->plan(*this, epoch, m_round, importance);
    m_method->changingPlan(m_plan, next, *this);
    m_plan = std::move(next);
    m_importance = std::move(importance);
    applyPlan();
}

std::vector<double> Trainer::probeImportance(size_t epoch, const green::ProbeOptions& options) {
    std::vector<data::Batch> probe;
    for (int b = 0; b < m_options.probeBatches && static_cast<size_t>(b) < m_data.size(); ++b)
        probe.push_back(m_data.batch(epoch, static_cast<size_t>(b)));
    return green::probeImportance(*m_model, *m_optimizer, probe, options);
}

StepMetrics Trainer::step(const std::vector<data::Batch>& micro) {
    const auto t0 = std::chrono::steady_clock::now();
    const double lr =
        m_options.cosineSchedule
            ? cosineSchedule(m_step, m_totalSteps, m_options.warmupSteps, m_options.learningRate)
            : linearSchedule(m_step, m_totalSteps, m_options.warmupSteps, m_options.learningRate);
    for (auto& group : m_optimizer->param_groups())
        group.options().set_lr(lr);
    double loss = 0.0;
    int64_t tokens = 0;
    for (const data::Batch& b : micro) {
        auto out = m_model->forward({b.inputIds, b.attentionMask, b.labels});
        const double l = out.loss.item<double>();
        if (!std::isfinite(l))
            throw std::runtime_error("training stopped: the loss became " + std::to_string(l) +
                                     " at step " + std::to_string(m_step + 1) +
                                     " (try a lower learning rate)");
        (out.loss / static_cast<double>(micro.size())).backward();
        loss += l / static_cast<double>(micro.size());
        tokens += b.tokens();
    }
    if (m_options.clipGradNorm > 0) {
        std::vector<torch::Tensor> withGrad(m_extra);
        for (auto& p : m_model->parameters())
            if (p.grad().defined()) withGrad.push_back(p);
        torch::nn::utils::clip_grad_norm_(withGrad, m_options.clipGradNorm);
    }
    m_optimizer->step();
    for (auto& p : m_model->parameters())
        p.mutable_grad() = torch::Tensor();
    for (auto& p : m_extra)
        p.mutable_grad() = torch::Tensor();
    ++m_step;
    StepMetrics m;
    m.step = m_step;
    m.loss = loss;
    m.learningRate = lr;
    m.plannedMacs = m_plan.plannedMacs;
    m.fullMacs = m_plan.fullMacs;
    m.stepMillis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    m.tokensPerSecond = static_cast<double>(tokens) / (m.stepMillis / 1000.0);
    m.trainedTensors = m_plan.selectedCount();
    m.selectionRound = m_round;
    return m;
}

namespace {
bool due(int64_t every, int64_t step) {
    return every > 0 && step % every == 0;
}

/// The checkpoint cadences of RunHooks: every N steps, every S seconds of training, after
/// a probed selection round, and before a pause.
class CheckpointClock {
public:
    explicit CheckpointClock(const RunHooks& h)
        : m_hooks(h) {}
    void afterStep(int64_t step) {
        if (!m_hooks.onCheckpoint) return;
        const bool timeUp = m_hooks.checkpointSeconds > 0 &&
                            seconds(Clock::now() - m_last).count() >= m_hooks.checkpointSeconds;
        if (due(m_hooks.checkpointEvery, step) || timeUp) write(step);
    }
    void afterRound(bool probed, int64_t step) {
        if (probed && m_hooks.checkpointAtRounds && m_hooks.onCheckpoint) write(step);
    }
    void pauseIfAsked(int64_t step) {
        if (!m_hooks.pause || !m_hooks.pause->load()) return;
        if (m_hooks.onCheckpoint && step != m_written) write(step);
        if (m_hooks.onPaused) m_hooks.onPaused();
        m_last = Clock::now(); // the pause is not training time
    }

private:
    using Clock = std::chrono::steady_clock;
    using seconds = std::chrono::duration<double>;
    void write(int64_t step) {
        m_hooks.onCheckpoint();
        m_last = Clock::now();
        m_written = step;
    }
    const RunHooks& m_hooks;
    Clock::time_point m_last = Clock::now();
    int64_t m_written = -1; ///< the step of the last checkpoint written
};
} // namespace

void Trainer::newRound(size_t epoch, const RunHooks& hooks,
                       const std::function<void()>& afterRound) {
    if (hooks.onRoundStart) hooks.onRoundStart(m_round + 1, m_step);
    if (m_method->probes() && hooks.rhoForRound)
        m_options.rho = hooks.rhoForRound(m_round + 1, m_step);
    select(epoch);
    if (hooks.onPlan) hooks.onPlan(m_plan, m_round, m_importance);
    afterRound();
}

bool Trainer::run(const RunHooks& hooks) {
    m_model->train();
    const size_t perEpoch = m_data.size();
    const size_t accum = static_cast<size_t>(std::max(1, m_options.gradAccumulation));
    const auto stepsPerEpoch = static_cast<int64_t>((perEpoch + accum - 1) / accum);
    // A resumed run continues at the batch after its last step.
    const auto firstEpoch = static_cast<size_t>(m_step / stepsPerEpoch);
    const auto firstIndex = static_cast<size_t>(m_step % stepsPerEpoch) * accum;
    const bool probed = m_method->probes();
    CheckpointClock checkpoints(hooks);
    const auto afterRound = [&] { checkpoints.afterRound(probed, m_step); };
    for (size_t epoch = firstEpoch; m_step < m_totalSteps; ++epoch) {
        const size_t start = epoch == firstEpoch ? firstIndex : 0;
        for (size_t i = start; i < perEpoch && m_step < m_totalSteps; i += accum) {
            if (hooks.stop && hooks.stop->load()) return true;
            const RoundClock clock{m_step, epoch, i == 0, m_planStep, m_planEpoch};
            if (m_round < 0 || m_method->roundDue(clock)) newRound(epoch, hooks, afterRound);
            std::vector<data::Batch> micro;
            for (size_t j = i; j < std::min(perEpoch, i + accum); ++j)
                micro.push_back(m_data.batch(epoch, j));
            StepMetrics m = step(micro);
            m.epoch = static_cast<double>(epoch) +
                      static_cast<double>(i + micro.size()) / static_cast<double>(perEpoch);
            if (hooks.onStep) hooks.onStep(m);
            checkpoints.afterStep(m.step);
            if (due(hooks.evalEvery, m.step) && m.step < m_totalSteps && hooks.onEvaluate)
                hooks.onEvaluate(m.step);
            checkpoints.pauseIfAsked(m_step);
        }
    }
    return false;
}

} // namespace gt::train
