#include "core/train/methods/freeze_out_method.h"

#include "core/green/baseline_plans.h"
#include "core/train/trainer.h"

#include <cmath>
#include <stdexcept>

namespace gt::train {

FreezeOutMethod::FreezeOutMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_start(setup.options.freezeStart)
    , m_totalSteps(setup.totalSteps)
    , m_inputSide(setup.catalogue.size(), 0) {
    if (!(m_start >= 0.0 && m_start <= 1.0))
        throw std::invalid_argument("FreezeOut: --freeze-start must be a share in [0, 1], got " +
                                    std::to_string(m_start));
    // Input side: outside the blocks and further from the loss than every block tensor in the
    // backprop chain (reaching it costs the whole dY chain), whichever accounting.
    const auto chain = green::backpropChain(m_catalogue, m_costs);
    size_t lastBlock = 0;
    for (size_t k = 0; k < chain.size(); ++k)
        if (m_catalogue[static_cast<size_t>(chain[k])].block >= 0) lastBlock = k;
    for (size_t k = lastBlock + 1; k < chain.size(); ++k)
        m_inputSide[static_cast<size_t>(chain[k])] = 1;
}

int FreezeOutMethod::frozenBlocks(int64_t step) const {
    const int blocks = m_catalogue.blockCount();
    int frozen = 0;
    for (int i = 0; i < blocks; ++i) {
        const double t = m_start + (1.0 - m_start) * i / blocks;
        if (static_cast<double>(step) >= std::ceil(t * static_cast<double>(m_totalSteps)))
            frozen = i + 1;
    }
    return frozen;
}

bool FreezeOutMethod::roundDue(const RoundClock& c) const {
    return c.planStep >= 0 && frozenBlocks(c.step) != frozenBlocks(c.planStep);
}

green::Plan FreezeOutMethod::plan(Trainer& trainer, size_t, int, std::vector<double>&) {
    const int frozen = frozenBlocks(trainer.stepsDone());
    std::vector<uint8_t> selected(m_catalogue.size(), 0);
    for (size_t i = 0; i < m_catalogue.size(); ++i) {
        const int b = m_catalogue[i].block;
        selected[i] = b >= 0 ? b >= frozen : (!m_inputSide[i] || frozen == 0);
    }
    return green::maskPlan(m_catalogue, m_costs, std::move(selected), "freezeout");
}

} // namespace gt::train
