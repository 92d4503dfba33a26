#include "app/cli/profile_command.h"

#include "app/cli/cost_options.h"
#include "app/cli/text_table.h"

#include <ostream>

namespace gt::cli {
namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i)
            s += 'x'; // appended separately: GCC 12 -Wrestrict misfires on "x" + string (PR105329)
        s += std::to_string(shape[i]);
    }
    return s;
}

void printTable(const CostSetup& s, std::ostream& out) {
    TextTable t({">#", "tensor", ">block", "role", "shape", ">fwd GMAC", ">dW GMAC", ">dY GMAC"});
    std::vector<int> order = green::outputFirstOrder(s.catalogue, s.order);
    std::reverse(order.begin(), order.end()); // print input -> output, as the model reads
    for (int i : order) {
        const auto& info = s.catalogue[i];
        const auto& c = s.costs.costs[i];
        t.addRow({std::to_string(i), info.name, info.block < 0 ? "-" : std::to_string(info.block),
                  model::roleName(info.role), shapeText(info.shape),
                  TextTable::number(c.forward / 1e9, 3), TextTable::number(c.dw / 1e9, 3),
                  TextTable::number(c.dy / 1e9, 3)});
    }
    t.print(out);
}

int runProfile(CommandContext& ctx) {
    ArgParser p("gt profile", "Per-tensor training cost of a model (MACs), from its config alone.");
    addCostOptions(p);
    p.option("steps", "S", "also print the total for S full fine-tuning steps")
        .flag("json", "print JSON instead of a table")
        .flag("summary", "print only the totals");
    p.parse(ctx.args);
    if (p.helpRequested()) {
        ctx.out << p.help();
        return 0;
    }
    const CostSetup s = loadCostSetup(p);
    const long long steps = p.has("steps") ? p.intValue("steps", 1, 1LL << 40) : 0;
    const auto& c = s.costs;
    if (p.has("json")) {
        nlohmann::json j = setupJson(s);
        if (steps) j["full_finetuning_macs"] = c.fullStep() * static_cast<double>(steps);
        nlohmann::json rows = nlohmann::json::array();
        for (size_t i = 0; i < s.catalogue.size(); ++i) {
            const auto& info = s.catalogue[i];
            rows.push_back({{"name", info.name},
                            {"block", info.block},
                            {"role", model::roleName(info.role)},
                            {"shape", info.shape},
                            {"execution_index", info.executionIndex},
                            {"forward", c.costs[i].forward},
                            {"dw", c.costs[i].dw},
                            {"dy", c.costs[i].dy}});
        }
        j["tensors"] = rows;
        ctx.out << j.dump(1) << "\n";
        return 0;
    }
    ctx.out << describeModel(s) << "\n"
            << "cost shape: batch " << c.shape.batch << " x " << c.shape.seqLen << " tokens, "
            << green::accountingName(c.accounting) << " accounting, " << green::orderName(s.order)
            << " order (MACs; FLOPs = 2 x MACs)\n\n";
    if (!p.has("summary")) {
        printTable(s, ctx.out);
        ctx.out << "\n";
    }
    double dw = 0, dy = 0;
    for (const auto& t : c.costs) {
        dw += t.dw;
        dy += t.dy;
    }
    ctx.out << "per step: forward " << TextTable::number(c.forwardTotal / 1e9, 1)
            << " GMAC, backward " << TextTable::number(c.backwardTotal() / 1e9, 1) << " GMAC (dW "
            << TextTable::number(dw / 1e9, 1) << ", dY " << TextTable::number(dy / 1e9, 1)
            << "), full step " << TextTable::number(c.fullStep() / 1e9, 1)
            << " GMAC = " << TextTable::number(2 * c.fullStep() / 1e12, 2) << " TFLOP\n";
    if (steps)
        ctx.out << "full fine-tuning, " << steps << " steps: "
                << TextTable::number(c.fullStep() * static_cast<double>(steps) / 1e15, 2)
                << " PMAC (the paper's \"PFLOPs\")\n";
    return 0;
}

} // namespace

Command profileCommand() {
    return {"profile", "per-tensor forward/dW/dY cost table of a model (config.json is enough)",
            runProfile};
}

} // namespace gt::cli
