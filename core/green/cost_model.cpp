#include "core/green/cost_model.h"

#include "core/green/exact_cost_rules.h"
#include "core/green/paper_cost_rules.h"
#include "core/io/name_table.h"

#include <algorithm>
#include <stdexcept>

namespace gt::green {

namespace {
constexpr io::NameTable kAccountings("cost accounting", std::array<io::EnumName<Accounting>, 2>{
                                                            {{Accounting::Paper, "paper"},
                                                             {Accounting::Exact, "exact"}}});
constexpr io::NameTable kOrders("tensor order", std::array<io::EnumName<TensorOrder>, 2>{
                                                    {{TensorOrder::Registration, "registration"},
                                                     {TensorOrder::Execution, "execution"}}});
} // namespace

std::string accountingName(Accounting a) {
    return kAccountings.name(a);
}

std::string orderName(TensorOrder o) {
    return kOrders.name(o);
}

Accounting parseAccounting(const std::string& s) {
    return kAccountings.parse(s);
}

TensorOrder parseOrder(const std::string& s) {
    return kOrders.parse(s);
}

double CostTable::backwardTotal() const {
    double t = 0.0;
    for (const TensorCost& c : costs)
        t += c.dw + c.dy;
    return t;
}

CostTable computeCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                       CostShape shape, Accounting accounting) {
    if (shape.batch <= 0 || shape.seqLen <= 0)
        throw std::invalid_argument("cost shape: batch (" + std::to_string(shape.batch) +
                                    ") and sequence length (" + std::to_string(shape.seqLen) +
                                    ") must be positive");
    return accounting == Accounting::Paper ? paperCosts(catalogue, config, shape)
                                           : exactCosts(catalogue, config, shape);
}

std::vector<int> outputFirstOrder(const model::TensorCatalogue& catalogue, TensorOrder order) {
    std::vector<int> idx;
    if (order == TensorOrder::Execution) {
        idx = catalogue.executionOrder();
    } else {
        idx.resize(catalogue.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = static_cast<int>(i);
    }
    std::reverse(idx.begin(), idx.end());
    return idx;
}

TensorOrder chainOrder(Accounting a) {
    return a == Accounting::Paper ? TensorOrder::Registration : TensorOrder::Execution;
}

std::vector<int> backpropChain(const model::TensorCatalogue& catalogue, const CostTable& costs) {
    return outputFirstOrder(catalogue, chainOrder(costs.accounting));
}

} // namespace gt::green
