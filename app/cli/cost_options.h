// Options shared by the commands that cost or plan a model: --model, --batch, --seq-len,
// --accounting, --order (which must fit the accounting), and the loaded config, catalogue and cost
// table they describe.
#pragma once

#include "app/cli/arg_parser.h"
#include "core/green/cost_model.h"

#include <nlohmann/json.hpp>

namespace gt::cli {

struct CostSetup {
    std::string modelPath;
    io::ModelConfig config;
    model::TensorCatalogue catalogue;
    green::CostTable costs;
    green::TensorOrder order = green::TensorOrder::Execution;
};

/// --include and --exclude: GreenTrainer's pinned tensors (gt plan, gt train).
inline constexpr const char* kIncludeHelp =
    "GreenTrainer: always train the tensors whose names match (ECMAScript regex, searched "
    "anywhere in the name; join alternatives with |); the DP fills the rest of the budget";
inline constexpr const char* kExcludeHelp =
    "GreenTrainer: never train the tensors whose names match (a tensor may not be both)";

void addCostOptions(ArgParser& p);
/// Declares --order: accepted only when it names the order `--accounting` implies.
void addOrderOption(ArgParser& p);
/// The chain order of `accounting`; a --order that names the other order is a UsageError
/// that says why the pair is refused.
green::TensorOrder checkedOrder(const ArgParser& p, green::Accounting accounting,
                                const std::string& command);
/// Reads the options (UsageError for bad values) and loads the model's config.
CostSetup loadCostSetup(const ArgParser& p);
/// One line: "OPT opt-2.7b: 32 blocks, D 2560, 516 tensors, 2.65 B parameters".
std::string describeModel(const CostSetup& s);
nlohmann::json setupJson(const CostSetup& s);

} // namespace gt::cli
