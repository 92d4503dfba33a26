#include "app/cli/doctor_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/common_options.h"
#include "core/api/system_report.h"
#include "core/io/version.h"

#include <nlohmann/json.hpp>

#include <QtGlobal>

#include <iomanip>
#include <ostream>

namespace gt::cli {
namespace {

// Below this a 1024^3 float32 GEMM is clearly not running on an optimised BLAS.
constexpr double kSlowGemmGflops = 20.0;

nlohmann::json toJson(const api::SystemReport& r) {
    return {{"version", io::versionString()},
            {"torch", {{"version", r.torchVersion}, {"build", r.torchBuildOptions}}},
            {"blas",
             {{"label", r.blas.label}, {"library", r.blas.library}, {"warning", r.blas.warning}}},
            {"matmul_gflops", r.matmulGflops},
            {"threads", r.threads},
            {"hardware_threads", r.hardwareThreads},
            {"cuda", {{"available", r.cudaAvailable}, {"devices", r.cudaDeviceCount}}},
            {"qt", qVersion()},
            {"sqlite", r.sqliteVersion},
            {"store", {{"path", r.storePath}, {"status", r.storeStatus}}},
            {"energy",
             {{"readable", r.energy.readable},
              {"source", r.energy.source},
              {"detail", r.energy.detail},
              {"method", r.energyMethod},
              {"method_detail", r.energyMethodDetail},
              {"nvml", {{"available", r.nvmlAvailable}, {"detail", r.nvml}}}}},
            {"resources",
             {{"path", r.resourcesDir},
              {"complete", r.resourcesComplete},
              {"status", r.resourcesStatus}}}};
}

void printRow(std::ostream& out, const std::string& key, const std::string& value) {
    out << "  " << std::left << std::setw(16) << key << value << "\n";
}

int printText(const api::SystemReport& r, bool measured, std::ostream& out, std::ostream& err) {
    out << io::buildDescription() << "\n\n";
    printRow(out, "LibTorch", r.torchVersion);
    for (const auto& line : r.torchBuildOptions)
        printRow(out, "", line);
    printRow(out, "BLAS", r.blas.label + (r.blas.library.empty() ? "" : "  " + r.blas.library));
    if (measured) {
        std::ostringstream g;
        g << std::fixed << std::setprecision(1) << r.matmulGflops << " GFLOP/s (float32 1024^3, "
          << r.threads << " threads)";
        printRow(out, "matmul", g.str());
    }
    printRow(out, "threads",
             std::to_string(r.threads) + " of " + std::to_string(r.hardwareThreads) +
                 " hardware threads");
    printRow(out, "CUDA",
             r.cudaAvailable ? "available, " + std::to_string(r.cudaDeviceCount) + " device(s)"
                             : "not available (CPU build or no GPU)");
    printRow(out, "Qt", qVersion());
    printRow(out, "SQLite", r.sqliteVersion);
    printRow(out, "run store", r.storePath.empty() ? "-" : r.storePath);
    printRow(out, "", r.storeStatus);
    printRow(out, "energy counter",
             r.energy.readable ? r.energy.source + " (" + r.energy.detail + ")"
                               : "none readable: " + r.energy.detail);
    printRow(out, "energy method", r.energyMethod + " (" + r.energyMethodDetail + ")");
    printRow(out, "GPU energy",
             (r.nvmlAvailable ? "measured:nvml for GPU runs, " : "none: ") + r.nvml);
    printRow(out, "resources", r.resourcesDir);
    printRow(out, "", r.resourcesStatus);
    int problems = 0;
    if (!r.blas.warning.empty()) {
        err << "\nWARNING: " << r.blas.warning << "\n";
        ++problems;
    }
    if (!r.resourcesComplete) {
        err << "WARNING: the shipped files are incomplete (" << r.resourcesStatus
            << "): gt demo and the workbench's first window need them\n";
        ++problems;
    }
    if (measured && r.matmulGflops < kSlowGemmGflops) {
        err << "WARNING: matrix products are slow (" << r.matmulGflops
            << " GFLOP/s): training will crawl; check the BLAS line above\n";
        ++problems;
    }
    out << "\n"
        << (problems ? "doctor: problems found (see warnings)" : "doctor: all good") << "\n";
    return 0;
}

int runDoctor(CommandContext& ctx) {
    ArgParser p("gt doctor", "Checks the machine and the libraries the workbench trains with.");
    p.flag("json", "print the report as JSON").flag("no-bench", "skip the matmul speed probe");
    addThreadsOption(p);
    p.parse(ctx.args);
    if (p.helpRequested()) {
        ctx.out << p.help();
        return 0;
    }
    api::SystemReportOptions o;
    o.measureMatmul = !p.has("no-bench");
    o.threads = threadsOption(p);
    const api::SystemReport r = api::collectSystemReport(o);
    if (p.has("json")) {
        ctx.out << toJson(r).dump(2) << "\n";
        return 0;
    }
    return printText(r, o.measureMatmul, ctx.out, ctx.err);
}

} // namespace

Command doctorCommand() {
    return {"doctor", "check LibTorch, BLAS speed, threads, CUDA, Qt, SQLite, store, energy",
            runDoctor};
}

} // namespace gt::cli
