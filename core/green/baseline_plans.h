// Fixed plans for the baselines GreenTrainer is compared with: full fine-tuning, the last k
// blocks ("FT-Top2" in the paper), and a user-chosen tensor set. LoRA trains adapters rather
// than catalogue tensors and is planned with the LoRA wrapper. Every plan walks the chain
// order of its cost table's accounting (chainOrder).
#pragma once

#include "core/green/plan.h"

#include <string>
#include <vector>

namespace gt::green {

Plan fullFineTuningPlan(const model::TensorCatalogue& catalogue, const CostTable& costs);

/// Trains every tensor of the last `k` transformer blocks (1 <= k <= block count).
Plan topBlocksPlan(const model::TensorCatalogue& catalogue, const CostTable& costs, int k);

/// Trains exactly the named tensors; an unknown name is an error that lists it.
Plan fixedPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
               const std::vector<std::string>& names);

/// Trains the tensors `selected` marks (catalogue order), labelled `method`: the plans of the
/// schedule-based methods (LISA, BAdam, FreezeOut), one per period.
Plan maskPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
              std::vector<uint8_t> selected, const std::string& method);

/// LoRA: no catalogue tensor is trained, but backprop must reach the deepest adapted weight.
/// Paper accounting charges forward + every dY, no dW, adapters ignored (the paper's LoRA is
/// exactly 2/3 of full FT); exact accounting charges forward + dY down to the deepest
/// adapted weight + `adapterMacs` (the adapters' own work).
Plan loraPlan(const model::TensorCatalogue& catalogue, const CostTable& costs,
              const std::vector<std::string>& adaptedWeights, double adapterMacs);

} // namespace gt::green
