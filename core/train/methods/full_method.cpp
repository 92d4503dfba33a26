#include "core/train/methods/full_method.h"

#include "core/green/baseline_plans.h"

namespace gt::train {

FullMethod::FullMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs) {}

green::Plan FullMethod::plan(Trainer&, size_t, int, std::vector<double>&) {
    return green::fullFineTuningPlan(m_catalogue, m_costs);
}

} // namespace gt::train
