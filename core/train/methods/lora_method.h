// LoRA (peft's semantics, model/lora.h): adapters on the targeted projections as a second
// AdamW group, no catalogue tensor trained, backprop down to the deepest adapted weight.
#pragma once

#include "core/model/lora.h"
#include "core/train/training_method.h"

namespace gt::train {

class LoraMethod : public TrainingMethod {
public:
    explicit LoraMethod(const MethodSetup& setup);
    green::Plan plan(Trainer& trainer, size_t epoch, int round,
                     std::vector<double>& importance) override;
    green::Plan restorePlan(green::Plan restored, const std::vector<double>& importance,
                            int round) const override;
    std::vector<torch::Tensor> extraParameters() const override;
    std::string stateFile() const override { return m_lora ? "adapters.safetensors" : ""; }
    NamedTensors stateTensors() const override;
    void merge() override;

private:
    green::Plan adapterPlan() const;

    const model::TensorCatalogue& m_catalogue;
    const green::CostTable& m_costs;
    std::unique_ptr<model::LoraAdapters> m_lora;
};

} // namespace gt::train
