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
#include "core/green/tensor_explanation.h"

#include <map>
#include <ostream>
#include <regex>

namespace gt::cli {
namespace {

green::SelectorOptions selectorOptions(const ArgParser& p, const CostSetup& s) {
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
    return o;
}

green::Plan makePlan(const ArgParser& p, const CostSetup& s, const std::vector<double>& imp) {
    const std::string method = p.value("method");
    if ((p.has("include") || p.has("exclude") || p.has("why")) && method != "greentrainer")
        throw UsageError("gt plan: --include, --exclude and --why are for --method greentrainer");
    if (method == "full") return green::fullFineTuningPlan(s.catalogue, s.costs);
    if (method == "top-k")
        return green::topBlocksPlan(s.catalogue, s.costs,
                                    static_cast<int>(p.intValue("k", 1, 100000)));
    if (method != "greentrainer")
        throw UsageError("gt plan: --method must be greentrainer, full or top-k, got '" + method +
                         "'");
    return green::selectTensors(s.catalogue, s.costs, imp, p.doubleValue("rho", 0.0, 1.0),
                                selectorOptions(p, s));
}

/// The tensors --why names (a search, like --include); at most kMaxWhy of them.
std::vector<int> whyTensors(const ArgParser& p, const CostSetup& s) {
    constexpr size_t kMaxWhy = 32;
    const std::string pattern = p.value("why");
    std::regex re;
    try {
        re = std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw UsageError("gt plan: --why '" + pattern + "': not a regular expression (" + e.what() +
                         ")");
    }
    std::vector<int> out;
    for (size_t i = 0; i < s.catalogue.size(); ++i)
        if (std::regex_search(s.catalogue[i].name, re)) out.push_back(static_cast<int>(i));
    if (out.empty())
        throw UsageError("gt plan: --why '" + pattern + "' matches no tensor; names look like " +
                         s.catalogue[0].name + ", " + s.catalogue[s.catalogue.size() - 1].name);
    if (out.size() > kMaxWhy)
        throw UsageError("gt plan: --why '" + pattern + "' matches " + std::to_string(out.size()) +
                         " tensors; name at most " + std::to_string(kMaxWhy));
    return out;
}

nlohmann::json explanationJson(const green::TensorExplanation& e, const CostSetup& s,
                               const green::Plan& plan) {
    auto names = [&](const std::vector<int>& t) {
        std::vector<std::string> n;
        for (int i : t)
            n.push_back(s.catalogue[i].name);
        return n;
    };
    using nlohmann::json;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    return {{"tensor", s.catalogue[e.tensor].name},
            {"selected", e.selected},
            {"pin", e.pin == green::Pin::In    ? "in"
                    : e.pin == green::Pin::Out ? "out"
                                               : ""},
            {"importance", e.importance},
            {"importance_rank", e.importanceRank},
            {"useful_tensors", e.usefulCount},
            {"dw_macs", e.dwMacs},
            {"reach_macs", e.reachMacs},
            {"extra_reach_macs", e.extraReachMacs},
            {"added_macs", e.addedMacs()},
            {"share_of_step", e.shareOfStep},
            {"importance_per_gmac", e.valuePerGMac},
            {"flip_rho", opt(e.flipRho)},
            {"swapped_out", names(e.swappedOut)},
            {"swapped_in", names(e.swappedIn)},
            {"importance_loss", e.swapComputed ? json(e.importanceLoss) : json(nullptr)},
            {"pin_needs_rho", opt(e.pinNeedsRho)},
            {"text", green::explanationLines(e, s.catalogue, plan)}};
}

std::vector<green::TensorExplanation> explain(const ArgParser& p, const CostSetup& s,
                                              const std::vector<double>& imp,
                                              const green::Plan& plan) {
    std::vector<green::TensorExplanation> out;
    if (!p.has("why")) return out;
    const green::SelectorOptions o = selectorOptions(p, s);
    for (int t : whyTensors(p, s))
        out.push_back(green::explainTensor(s.catalogue, s.costs, imp, plan, o, t));
    return out;
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
        .option("why", "REGEX",
                "explain the decision for the tensors whose names match (at most 32): "
                "importance, dW and dY cost, value per cost, the rho that flips it and what "
                "pinning it the other way would displace")
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
    const auto why = explain(p, s, imp, plan);
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
        if (p.has("why")) {
            j["why"] = nlohmann::json::array();
            for (const auto& e : why)
                j["why"].push_back(explanationJson(e, s, plan));
        }
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
    for (const auto& e : why) {
        ctx.out << "\n";
        for (const auto& line : green::explanationLines(e, s.catalogue, plan))
            ctx.out << "  " << line << "\n";
    }
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
