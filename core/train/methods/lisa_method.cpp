#include "core/train/methods/lisa_method.h"

#include "core/green/baseline_plans.h"
#include "core/train/trainer.h"

#include <stdexcept>

namespace gt::train {

LisaMethod::LisaMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_gamma(setup.options.lisaLayers)
    , m_interval(setup.options.lisaInterval)
    , m_seed(setup.options.seed) {
    const int blocks = m_catalogue.blockCount();
    if (m_gamma < 1 || m_gamma > blocks)
        throw std::invalid_argument("LISA: --lisa-layers must be in [1, " + std::to_string(blocks) +
                                    "], got " + std::to_string(m_gamma));
    if (m_interval < 1)
        throw std::invalid_argument("LISA: --lisa-interval must be at least 1 step, got " +
                                    std::to_string(m_interval));
}

bool LisaMethod::roundDue(const RoundClock& c) const {
    return c.step > 0 && c.step % m_interval == 0 && c.planStep != c.step;
}

green::Plan LisaMethod::plan(Trainer& trainer, size_t, int, std::vector<double>&) {
    // The period comes from the step, not the round count, so that a resume draws the same.
    const auto period = static_cast<uint64_t>(trainer.stepsDone() / m_interval);
    std::vector<uint8_t> blocks(static_cast<size_t>(m_catalogue.blockCount()), 0);
    for (int b : seededSample(m_seed, period, m_catalogue.blockCount(), m_gamma))
        blocks[static_cast<size_t>(b)] = 1;
    auto selected = blockSelection(m_catalogue, blocks);
    for (size_t i = 0; i < m_catalogue.size(); ++i)
        if (m_catalogue[i].block < 0) selected[i] = 1;
    return green::maskPlan(m_catalogue, m_costs, std::move(selected), "lisa");
}

} // namespace gt::train
