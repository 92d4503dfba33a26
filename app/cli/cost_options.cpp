#include "app/cli/cost_options.h"

#include "app/cli/text_table.h"

namespace gt::cli {

void addCostOptions(ArgParser& p) {
    p.option("model", "PATH", "model directory or a bare config.json")
        .option("batch", "B", "sequences per step, for the cost shape", "4")
        .option("seq-len", "N", "padded tokens per sequence, for the cost shape", "512")
        .option("accounting", "exact|paper", "cost rules: exact, or the paper's code", "exact");
    addOrderOption(p);
}

void addOrderOption(ArgParser& p) {
    p.option("order", "execution|registration",
             "backprop chain order; it follows --accounting (exact: execution, paper: "
             "registration) and another pairing is refused");
}

green::TensorOrder checkedOrder(const ArgParser& p, green::Accounting accounting,
                                const std::string& command) {
    const green::TensorOrder order = green::chainOrder(accounting);
    if (!p.has("order")) return order;
    green::TensorOrder asked;
    try {
        asked = green::parseOrder(p.value("order"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(command + ": --order: " + e.what());
    }
    if (asked != order)
        throw UsageError(
            command + ": --order " + green::orderName(asked) + " does not fit " +
            green::accountingName(accounting) + " accounting, which is defined along the " +
            green::orderName(order) + " order: " +
            (accounting == green::Accounting::Exact
                 ? "it charges each input gradient to the tensor below it as the model runs, "
                   "so a plan walked in registration order spends more than it reports"
                 : "the paper's rules charge the LM head's input gradient to the last tensor "
                   "in registration order, so execution order under-reports what a plan "
                   "costs") +
            " (use --accounting " + (accounting == green::Accounting::Exact ? "paper" : "exact") +
            " for the " + green::orderName(asked) + " order)");
    return order;
}

CostSetup loadCostSetup(const ArgParser& p) {
    CostSetup s;
    s.modelPath = p.value("model");
    green::CostShape shape;
    shape.batch = p.intValue("batch", 1, 1 << 20);
    shape.seqLen = p.intValue("seq-len", 1, 1 << 24);
    green::Accounting accounting;
    try {
        accounting = green::parseAccounting(p.value("accounting"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--accounting: ") + e.what());
    }
    s.order = checkedOrder(p, accounting, p.command());
    s.config = io::loadModelConfig(s.modelPath);
    s.catalogue = model::TensorCatalogue::fromConfig(s.config);
    s.costs = green::computeCosts(s.catalogue, s.config, shape, accounting);
    return s;
}

std::string describeModel(const CostSetup& s) {
    const auto& c = s.config;
    std::string name = c.nameOrPath.empty() ? s.modelPath : c.nameOrPath;
    return io::architectureName(c.architecture) + " " + name + ": " + std::to_string(c.numLayers) +
           " blocks, D " + std::to_string(c.hiddenSize) + ", " +
           std::to_string(s.catalogue.size()) + " tensors, " +
           TextTable::number(static_cast<double>(s.catalogue.parameterCount()) / 1e9, 3) +
           " B parameters";
}

nlohmann::json setupJson(const CostSetup& s) {
    return {{"model", s.modelPath},
            {"model_type", s.config.modelType},
            {"blocks", s.config.numLayers},
            {"tensors", s.catalogue.size()},
            {"parameters", s.catalogue.parameterCount()},
            {"batch", s.costs.shape.batch},
            {"seq_len", s.costs.shape.seqLen},
            {"accounting", green::accountingName(s.costs.accounting)},
            {"order", green::orderName(s.order)},
            {"unit", "MAC"},
            {"forward_macs", s.costs.forwardTotal},
            {"backward_macs", s.costs.backwardTotal()},
            {"full_step_macs", s.costs.fullStep()}};
}

} // namespace gt::cli
