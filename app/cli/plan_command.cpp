#include "app/cli/plan_command.h"

#include "app/cli/cost_options.h"
#include "app/cli/footprint_options.h"
#include "app/cli/text_table.h"
#include "core/api/memory_policy.h"
#include "core/api/preflight.h"
#include "core/api/system_report.h"
#include "core/green/baseline_plans.h"
#include "core/green/budget.h"
#include "core/green/importance_prior.h"
#include "core/green/selector.h"

#include <map>
#include <ostream>

namespace gt::cli {
namespace {

green::Plan makePlan(const ArgParser& p, const CostSetup& s, const std::vector<double>& imp) {
    const std::string method = p.value("method");
    if ((p.has("include") || p.has("exclude")) && method != "greentrainer")
        throw UsageError("gt plan: --include and --exclude are for --method greentrainer");
    if (method == "full") return green::fullFineTuningPlan(s.catalogue, s.costs);
    if (method == "top-k")
        return green::topBlocksPlan(s.catalogue, s.costs,
                                    static_cast<int>(p.intValue("k", 1, 100000)));
    if (method != "greentrainer")
        throw UsageError("gt plan: --method must be greentrainer, full or top-k, got '" + method +
                         "'");
    green::SelectorOptions o;
    try {
        o.kind = green::parseSelector(p.value("selector"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("gt plan: --selector: ") + e.what());
    }
    o.resolution = p.intValue("resolution", 10, 10'000'000);
    o.fillSlack = !p.has("no-fill");
    o.pins = green::pinsFromPatterns(
        s.catalogue,
        p.has("include") ? std::vector{p.value("include")} : std::vector<std::string>{},
        p.has("exclude") ? std::vector{p.value("exclude")} : std::vector<std::string>{});
    return green::selectTensors(s.catalogue, s.costs, imp, p.doubleValue("rho", 0.0, 1.0), o);
}

/// " (3 pinned in, 2 pinned out)", or nothing without pins.
std::string pinText(const green::Plan& plan) {
    if (plan.pinnedIn == 0 && plan.pinnedOut == 0) return {};
    return " (" + std::to_string(plan.pinnedIn) + " pinned in, " + std::to_string(plan.pinnedOut) +
           " pinned out)";
}

/// Selected tensors grouped by block: "block 31: q k v o fc1 fc2 (+ biases)".
void printSelection(const CostSetup& s, const green::Plan& plan, std::ostream& out) {
    std::map<int, std::vector<std::string>> byBlock;
    for (size_t i = 0; i < plan.selected.size(); ++i)
        if (plan.selected[i]) {
            const auto& t = s.catalogue[i];
            byBlock[t.block].push_back(model::roleName(t.role) +
                                       (t.kind == model::ParamKind::Bias ? ".b" : ""));
        }
    for (const auto& [block, roles] : byBlock) {
        out << "  "
            << (block < 0 ? std::string("outside blocks") : "block " + std::to_string(block))
            << ":";
        for (const auto& r : roles)
            out << " " << r;
        out << "\n";
    }
}

/// The pre-flight card for the plan: the GEMM rate measured now at the run's threads, the
/// power figure and grid the options give.
api::PreflightCard preflightFor(const ArgParser& p, const CostSetup& s, const green::Plan& plan) {
    api::PreflightInput in;
    in.config = s.config;
    in.catalogue = s.catalogue;
    in.shape = s.costs.shape;
    in.plan = plan;
    in.steps = p.intValue("steps", 1, int64_t{1} << 40);
    in.threads = static_cast<int>(p.intValue("threads", 0, 4096));
    in.runtimeBytes = api::residentBytes();
    readEnergyGridOptions(p, in.footprint, "gt plan");
    in.gemmGflops = api::measureMatmulGflops(in.threads);
    try {
        return api::preflight(in);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("gt plan: ") + e.what());
    }
}

int runPlan(CommandContext& ctx) {
    ArgParser p("gt plan", "Selects the tensors to train so that a step costs at most rho x "
                           "full fine-tuning.");
    addCostOptions(p);
    p.option("rho", "R", "FLOPs objective: kept share of a full fine-tuning step", "0.5")
        .option("method", "M", "greentrainer, full or top-k", "greentrainer")
        .option("k", "K", "blocks for --method top-k", "2")
        .option("selector", "exact|paper", "exact DP, or the paper's DP with its quirks", "exact")
        .option("resolution", "U", "exact DP cost units per backward pass", "10000")
        .option("importance", "SPEC", "size, uniform, or a JSON file {tensor: value}", "size")
        .flag("no-fill", "exact DP: do not spend the budget rounding left over")
        .option("include", "REGEX", kIncludeHelp)
        .option("exclude", "REGEX", kExcludeHelp)
        .flag("paper", "paper mode: --selector paper --accounting paper --order registration")
        .flag("preflight",
              "also predict the run: time per step and in all (from a GEMM rate measured now), "
              "peak memory, energy and CO2, each with what it rests on")
        .option("steps", "N", "--preflight: the run's optimizer steps", "1000")
        .option("threads", "T", "--preflight: intra-op threads (0 = all cores)", "0");
    addEnergyGridOptions(p);
    p.flag("json", "print JSON");
    p.parse(ctx.args);
    if (p.helpRequested()) {
        ctx.out << p.help();
        return 0;
    }
    if (p.has("paper")) {
        std::vector<std::string> args = ctx.args;
        for (const char* a : {"--selector=paper", "--accounting=paper", "--order=registration"})
            args.push_back(a);
        std::erase(args, std::string("--paper"));
        CommandContext again{args, ctx.out, ctx.err};
        return runPlan(again);
    }
    const CostSetup s = loadCostSetup(p);
    const std::vector<double> imp = green::importanceFromSpec(p.value("importance"), s.catalogue);
    const green::Plan plan = makePlan(p, s, imp);
    if (p.has("json")) {
        nlohmann::json j = setupJson(s);
        std::vector<std::string> names;
        for (size_t i = 0; i < plan.selected.size(); ++i)
            if (plan.selected[i]) names.push_back(s.catalogue[i].name);
        j["plan"] = {{"method", plan.method},
                     {"selector", plan.selector},
                     {"rho", plan.rho},
                     {"planned_macs", plan.plannedMacs},
                     {"full_macs", plan.fullMacs},
                     {"share", plan.share()},
                     {"selector_ms", plan.selectorMillis},
                     {"min_rho", plan.headroom.minRho},
                     {"spare_backward_share", plan.headroom.spareBackwardShare},
                     {"importance", p.value("importance")},
                     {"importance_sum", plan.importance},
                     {"deepest", plan.deepest < 0 ? "" : s.catalogue[plan.deepest].name},
                     {"selected", names},
                     {"pinned_in", plan.pinnedIn},
                     {"pinned_out", plan.pinnedOut}};
        if (p.has("preflight")) j["preflight"] = api::preflightJson(preflightFor(p, s, plan));
        ctx.out << j.dump(1) << "\n";
        return 0;
    }
    ctx.out << describeModel(s) << "\n"
            << plan.method << (plan.selector.empty() ? "" : " (" + plan.selector + ")") << ", rho "
            << plan.rho << ", " << green::accountingName(plan.accounting) << " accounting, "
            << green::orderName(plan.order) << " order, batch " << s.costs.shape.batch << " x "
            << s.costs.shape.seqLen << "\n\n"
            << "planned step: " << TextTable::number(plan.plannedMacs / 1e9, 1) << " GMAC of "
            << TextTable::number(plan.fullMacs / 1e9, 1) << " (share "
            << TextTable::number(plan.share(), 4) << ", saves "
            << TextTable::number(100 * (1 - plan.share()), 1) << "%)\n"
            << green::headroomText(plan.headroom, plan.rho) << "\n"
            << "selected: " << plan.selectedCount() << " of " << s.catalogue.size() << " tensors"
            << pinText(plan) << "; backprop reaches "
            << (plan.deepest < 0 ? std::string("nothing") : s.catalogue[plan.deepest].name)
            << "\nselection took " << TextTable::number(plan.selectorMillis, 2) << " ms\n\n";
    printSelection(s, plan, ctx.out);
    if (p.has("preflight"))
        ctx.out << "\npre-flight, " << p.value("steps") << " steps:\n"
                << api::preflightText(preflightFor(p, s, plan));
    return 0;
}

} // namespace

Command planCommand() {
    return {"plan", "choose the tensors to train for a FLOPs objective rho (DP selection)",
            runPlan};
}

} // namespace gt::cli
