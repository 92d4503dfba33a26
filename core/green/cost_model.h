// Per-tensor training cost in multiply-accumulates (MACs), from the config alone:
// forward, weight-gradient (dW) and activation-gradient (dY) cost for a batch of B sequences
// padded to N tokens (GreenTrainer, method.md §2). Two accountings:
//  * Paper: the released code's rules (attention charged to the V-projection bias, LM-head
//    input gradient charged to the last tensor in registration order), for reproducing the
//    paper's PFLOPs and selections.
//  * Exact: every matmul of the step charged where backpropagation really pays it, in true
//    execution order (see exact_cost_rules.h).
// The GUI shows FLOPs = 2 x MACs; paper-reproduction output prints MAC-PFLOPs like the paper.
#pragma once

#include "core/io/model_config.h"
#include "core/model/tensor_catalogue.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gt::green {

enum class Accounting { Paper, Exact };
/// Order in which tensors form the backpropagation chain (index 0 = nearest the loss after
/// reversal). Registration = HF named_parameters() (the paper's code); Execution = forward.
enum class TensorOrder { Registration, Execution };

std::string accountingName(Accounting a);         ///< "paper" / "exact"
std::string orderName(TensorOrder o);             ///< "registration" / "execution"
Accounting parseAccounting(const std::string& s); ///< throws std::invalid_argument
TensorOrder parseOrder(const std::string& s);

struct CostShape {
    int64_t batch = 4;    ///< B
    int64_t seqLen = 512; ///< N, the padded length (prompt + target)
};

struct TensorCost {
    double forward = 0.0; ///< forward MACs attributed to this tensor
    double dw = 0.0;      ///< MACs to form this tensor's own gradient
    double dy = 0.0;      ///< activation-gradient MACs paid when backprop reaches this tensor
};

struct CostTable {
    Accounting accounting = Accounting::Exact;
    CostShape shape;
    std::vector<TensorCost> costs; ///< catalogue order
    double forwardTotal = 0.0;     ///< T_fp, including work no tensor owns (attention maps)

    double backwardTotal() const;                                      ///< T_bp = sum(dw + dy)
    double fullStep() const { return forwardTotal + backwardTotal(); } ///< T_full
};

/// Throws std::invalid_argument for a non-positive batch or length.
CostTable computeCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                       CostShape shape, Accounting accounting);

/// Catalogue indices from the output side to the input side (the selectors' index 0 first).
std::vector<int> outputFirstOrder(const model::TensorCatalogue& catalogue, TensorOrder order);

/// The chain order an accounting is defined for. Exact accounting charges each input gradient
/// to the tensor below its op in execution order, so walking its table in registration order
/// mis-states what a plan costs (on the 4 x 256 starter at rho 0.5: 0.496 reported, 0.617
/// really spent); the paper's rules put the head's input gradient on the last tensor in
/// registration order, the order its code walks (with execution order they under-report).
/// So the order is not a free choice: it follows the accounting.
TensorOrder chainOrder(Accounting a);

/// outputFirstOrder(catalogue, chainOrder(costs.accounting)): the chain every plan of this
/// cost table is planned and costed along.
std::vector<int> backpropChain(const model::TensorCatalogue& catalogue, const CostTable& costs);

} // namespace gt::green
