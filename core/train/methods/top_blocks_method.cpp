#include "core/train/methods/top_blocks_method.h"

#include "core/green/baseline_plans.h"

namespace gt::train {

TopBlocksMethod::TopBlocksMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs)
    , m_k(setup.options.topBlocks) {
    green::topBlocksPlan(m_catalogue, m_costs, m_k); // refuses a bad k before any work
}

green::Plan TopBlocksMethod::plan(Trainer&, size_t, int, std::vector<double>&) {
    return green::topBlocksPlan(m_catalogue, m_costs, m_k);
}

} // namespace gt::train
