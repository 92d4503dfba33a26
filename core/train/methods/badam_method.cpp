#include "core/train/methods/badam_method.h"

#include "core/green/baseline_plans.h"
#include "core/train/trainer.h"

#include <stdexcept>

namespace gt::train {

BadamMethod::BadamMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_model(setup.model)
    , m_interval(setup.options.badamInterval)
    , m_order(setup.options.badamOrder)
    , m_seed(setup.options.seed) {
    if (m_interval < 1)
        throw std::invalid_argument("BAdam: --badam-interval must be at least 1 step, got " +
                                    std::to_string(m_interval));
    if (m_order != "random" && m_order != "ascending" && m_order != "descending")
        throw std::invalid_argument("BAdam: --badam-order must be random, ascending or "
                                    "descending, got '" +
                                    m_order + "'");
    if (m_catalogue.blockCount() < 1)
        throw std::invalid_argument("BAdam: the model has no transformer blocks");
}

int BadamMethod::blockOf(int64_t period) const {
    const int blocks = m_catalogue.blockCount();
    const auto inCycle = static_cast<int>(period % blocks);
    if (m_order == "ascending") return inCycle;
    if (m_order == "descending") return blocks - 1 - inCycle;
    const auto cycle = static_cast<uint64_t>(period / blocks);
    return seededSample(m_seed, cycle, blocks, blocks)[static_cast<size_t>(inCycle)];
}

bool BadamMethod::roundDue(const RoundClock& c) const {
    return c.step > 0 && c.step % m_interval == 0 && c.planStep != c.step;
}

green::Plan BadamMethod::plan(Trainer& trainer, size_t, int, std::vector<double>&) {
    std::vector<uint8_t> blocks(static_cast<size_t>(m_catalogue.blockCount()), 0);
    blocks[static_cast<size_t>(blockOf(trainer.stepsDone() / m_interval))] = 1;
    return green::maskPlan(m_catalogue, m_costs, blockSelection(m_catalogue, blocks), "badam");
}

void BadamMethod::changingPlan(const green::Plan& previous, const green::Plan& next,
                               Trainer& trainer) {
    if (previous.selected.size() != next.selected.size()) return; // the first round
    auto& state = trainer.optimizer().state();
    const auto params = m_model.parameters();
    for (size_t i = 0; i < params.size() && i < next.selected.size(); ++i)
        if (previous.selected[i] && !next.selected[i])
            state.erase(c10::guts::to_string(params[i].unsafeGetTensorImpl()));
}

} // namespace gt::train
