#include "app/cli/profile_command.h"
#include "app/cli/common_options.h"
#include "app/cli/progress_line.h"

#include "app/cli/cost_options.h"
#include "app/cli/data_options.h"
#include "app/cli/interrupt_guard.h"
#include "app/cli/text_table.h"
#include "core/api/importance_job.h"

#include <chrono>
#include <fstream>
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

/// Importance by the probe (`gt profile --probe N`), with the data and options of a run.
api::ImportanceOutcome probe(const ArgParser& p, const CostSetup& s, CommandContext& ctx) {
    api::TrainJob j;
    j.modelDir = s.modelPath;
    readDataOptions(p, j, "gt profile --probe");
    j.batchSize = s.costs.shape.batch;
    j.maxLength = s.costs.shape.seqLen;
    j.options.learningRate = p.doubleValue("lr", 0.0, 10.0);
    j.options.seed = static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX));
    j.options.threads = threadsOption(p);
    const int batches = static_cast<int>(p.intValue("probe", 1, 1 << 20));
    InterruptGuard interrupt;
    ProgressLine line(ctx.err);
    const auto t0 = std::chrono::steady_clock::now();
    auto onPass = [&](int done, int total) {
        interrupt.rearm(); // LibTorch replaced our handler while loading the model
        const double spent =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        line.update("importance probe: pass " + std::to_string(done) + "/" + std::to_string(total) +
                    "  " + ProgressLine::eta(spent, done, total));
    };
    auto out = api::runImportanceProbe(j, batches, onPass, interrupt.flag());
    line.done();
    if (out.stopped) throw std::runtime_error("importance probe stopped on request");
    return out;
}

/// {"tensor name": importance}: what `gt plan --importance FILE` reads.
void writeImportance(const std::string& file, const api::ImportanceOutcome& imp) {
    nlohmann::json j = nlohmann::json::object();
    for (size_t i = 0; i < imp.names.size(); ++i)
        j[imp.names[i]] = imp.importance[i];
    const std::string tmp = file + ".tmp";
    {
        std::ofstream f(tmp);
        f << j.dump(1) << "\n";
        if (!f) throw std::runtime_error(file + ": cannot write the importance file");
    }
    std::filesystem::rename(tmp, file);
}

void printTable(const CostSetup& s, const std::vector<double>& importance, std::ostream& out) {
    std::vector<std::string> head{">#",    "tensor",    ">block",   "role",
                                  "shape", ">fwd GMAC", ">dW GMAC", ">dY GMAC"};
    if (!importance.empty()) head.push_back(">importance");
    TextTable t(head);
    std::vector<int> order = green::outputFirstOrder(s.catalogue, s.order);
    std::reverse(order.begin(), order.end()); // print input -> output, as the model reads
    for (int i : order) {
        const auto& info = s.catalogue[i];
        const auto& c = s.costs.costs[i];
        std::vector<std::string> row{std::to_string(i),
                                     info.name,
                                     info.block < 0 ? "-" : std::to_string(info.block),
                                     model::roleName(info.role),
                                     shapeText(info.shape),
                                     TextTable::number(c.forward / 1e9, 3),
                                     TextTable::number(c.dw / 1e9, 3),
                                     TextTable::number(c.dy / 1e9, 3)};
        if (!importance.empty()) row.push_back(TextTable::number(importance[i], 4));
        t.addRow(row);
    }
    t.print(out);
}

int runProfile(CommandContext& ctx) {
    ArgParser p("gt profile", "Per-tensor training cost of a model (MACs), from its config alone.");
    addCostOptions(p);
    p.option("steps", "S", "also print the total for S full fine-tuning steps")
        .flag("json", "print JSON instead of a table")
        .flag("summary", "print only the totals")
        .option("probe", "N",
                "also measure importance: the probe on N training batches (needs weights and "
                "data; the batches have the cost shape's size and length)")
        .option("importance-out", "FILE", "write the probed importance as JSON for gt plan");
    addDataOptions(p);
    p.option("lr", "LR", "learning rate of the probe's AdamW step", "2e-5")
        .option("seed", "S", "seed for the batch order", "42");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) {
        ctx.out << p.help();
        return 0;
    }
    const CostSetup s = loadCostSetup(p);
    const long long steps = p.has("steps") ? p.intValue("steps", 1, 1LL << 40) : 0;
    const auto& c = s.costs;
    if (p.has("importance-out") && !p.has("probe"))
        throw UsageError("gt profile: --importance-out needs --probe N");
    api::ImportanceOutcome imp;
    if (p.has("probe")) {
        imp = probe(p, s, ctx);
        if (p.has("importance-out")) writeImportance(p.value("importance-out"), imp);
    }
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
            if (!imp.importance.empty()) rows.back()["importance"] = imp.importance[i];
        }
        j["tensors"] = rows;
        if (!imp.importance.empty())
            j["probe"] = {
                {"batches", imp.batches}, {"tokens", imp.tokens}, {"seconds", imp.seconds}};
        ctx.out << j.dump(1) << "\n";
        return 0;
    }
    ctx.out << describeModel(s) << "\n"
            << "cost shape: batch " << c.shape.batch << " x " << c.shape.seqLen << " tokens, "
            << green::accountingName(c.accounting) << " accounting, " << green::orderName(s.order)
            << " order (MACs; FLOPs = 2 x MACs)\n\n";
    if (!p.has("summary")) {
        printTable(s, imp.importance, ctx.out);
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
    if (!imp.importance.empty())
        ctx.out << "importance: probe on " << imp.batches << " batches (" << imp.tokens
                << " target tokens), " << TextTable::number(imp.seconds, 1) << " s\n";
    if (steps)
        ctx.out << "full fine-tuning, " << steps << " steps: "
                << TextTable::number(c.fullStep() * static_cast<double>(steps) / 1e15, 2)
                << " PMAC (the paper's \"PFLOPs\")\n";
    return 0;
}

} // namespace

Command profileCommand() {
    return {"profile",
            "per-tensor forward/dW/dY cost table of a model (config.json is enough); "
            "--probe adds measured importance",
            runProfile};
}

} // namespace gt::cli
