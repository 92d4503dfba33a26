#include "core/train/methods/green_trainer_method.h"

#include "core/green/budget.h"
#include "core/green/pins.h"
#include "core/green/selector.h"
#include "core/train/trainer.h"

namespace gt::train {

GreenTrainerMethod::GreenTrainerMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_options(setup.options) {
    if (!m_options.include.empty() || !m_options.exclude.empty())
        m_options.selector.pins =
            green::pinsFromPatterns(m_catalogue, m_options.include, m_options.exclude);
    requireFeasibleRho();
}

void GreenTrainerMethod::requireFeasibleRho() const {
    // Below rho_min no tensor is reachable: the probe would have nothing to update and the
    // step nothing to train. Refuse before any work, with the smallest rho that trains one.
    const auto chain = green::backpropChain(m_catalogue, m_costs);
    const double minimum = green::budgetHeadroom(m_costs, chain, nullptr, 1.0).minRho;
    if (!(m_options.rho >= minimum)) throw green::InfeasibleRho(m_options.rho, minimum);
    // The pinned-in tensors are paid for at every round: they must fit the rho asked for.
    const green::Pins& pins = m_options.selector.pins;
    if (pins.count(green::Pin::In) == 0) return;
    std::vector<uint8_t> pinned(m_catalogue.size(), 0);
    for (size_t i = 0; i < pinned.size(); ++i)
        pinned[i] = pins.state[i] == green::Pin::In;
    const double need = green::plannedStepMacs(m_costs, chain, pinned) / m_costs.fullStep();
    if (m_options.rho < need - 1e-12)
        throw green::PinsExceedBudget(m_options.rho, need, pins.count(green::Pin::In));
}

bool GreenTrainerMethod::roundDue(const RoundClock& c) const {
    // A step cadence re-selects every N steps (a resume at such a step has its plan); the
    // epoch cadence at the start of every N-th epoch it has not planned yet.
    if (m_options.reselectEverySteps > 0)
        return c.step > 0 && c.step % m_options.reselectEverySteps == 0 && c.planStep != c.step;
    return c.epochStart && static_cast<int64_t>(c.epoch) != c.planEpoch &&
           c.epoch % static_cast<size_t>(std::max(1, m_options.reselectEveryEpochs)) == 0;
}

green::Plan GreenTrainerMethod::plan(Trainer& trainer, size_t epoch, int,
                                     std::vector<double>& importance) {
    // Probe only what the budget can reach (deeper tensors would cost more than rho).
    const auto chain = green::backpropChain(m_catalogue, m_costs);
    const auto reach = green::reachCosts(m_costs, chain);
    const double budget = green::backwardRho(m_costs, m_options.rho) * m_costs.backwardTotal();
    green::ProbeOptions po;
    po.restoreOptimizer = !m_options.paperProbe;
    po.reachable.assign(m_catalogue.size(), 0);
    for (size_t k = 0; k < chain.size() && reach[k] <= budget; ++k)
        po.reachable[chain[k]] = 1;
    importance = trainer.probeImportance(epoch, po);
    return green::selectTensors(m_catalogue, m_costs, importance, m_options.rho,
                                m_options.selector);
}

} // namespace gt::train
