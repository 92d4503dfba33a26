#include "core/train/methods/lora_method.h"

#include "core/green/baseline_plans.h"

namespace gt::train {

LoraMethod::LoraMethod(const MethodSetup& setup)
    : m_catalogue(setup.catalogue)
    , m_costs(setup.costs) {
    model::LoraOptions lo;
    lo.rank = setup.options.loraRank;
    lo.alpha = setup.options.loraAlpha;
    lo.dropout = setup.options.loraDropout;
    lo.targets = setup.options.loraTargets;
    m_lora = std::make_unique<model::LoraAdapters>(setup.model, lo);
}

green::Plan LoraMethod::adapterPlan() const {
    if (!m_lora) return green::fullFineTuningPlan(m_catalogue, m_costs); // merged: not stepped
    return green::loraPlan(m_catalogue, m_costs, m_lora->adaptedWeights(),
                           m_lora->stepMacs(m_costs.shape.batch * m_costs.shape.seqLen));
}

green::Plan LoraMethod::plan(Trainer&, size_t, int, std::vector<double>&) {
    return adapterPlan();
}

green::Plan LoraMethod::restorePlan(green::Plan, const std::vector<double>&, int) const {
    return adapterPlan();
}

std::vector<torch::Tensor> LoraMethod::extraParameters() const {
    return m_lora ? m_lora->parameters() : std::vector<torch::Tensor>{};
}

NamedTensors LoraMethod::stateTensors() const {
    return m_lora ? m_lora->namedParameters() : NamedTensors{};
}

void LoraMethod::merge() {
    if (m_lora) m_lora->merge();
    m_lora.reset();
}

} // namespace gt::train
