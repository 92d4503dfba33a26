#include "app/cli/footprint_options.h"

#include "core/green/rho_schedule.h"
#include "core/train/grid_intensity.h"

#include <tuple>

namespace gt::cli {

void addEnergyGridOptions(ArgParser& p) {
    p.option("power-watts", "W",
             "estimate energy at this constant power instead of a RAPL counter or the CPU table")
        .option("grid-intensity", "G", "grid carbon intensity in gCO2e/kWh (a constant)")
        .option("grid-country", "CODE",
                "a country's annual average intensity (ISO 3166 alpha-3 or name; Our World in "
                "Data table shipped in resources/grid)")
        .option("grid-trace", "FILE",
                "intensity over time: CSV with columns time (ISO 8601) and g_per_kwh, "
                "interpolated over the run's wall clock (resources/grid/us-ciso-2022-06.csv "
                "ships with the workbench)")
        .option("trace-start", "TIME",
                "the trace time at the run's start (default: now if the trace covers it, else "
                "the same UTC time of day on its first day)")
        .option("trace-speed", "X", "trace seconds per wall second (demos: 3600)", "1");
}

void addFootprintOptions(ArgParser& p) {
    addEnergyGridOptions(p);
    p.option("rho-schedule", "S",
             "fixed; carbon: each selection round's rho from the trace's intensity when "
             "it begins, the high end of --rho-range at or below the trace's 10th "
             "percentile, the low end at or above its 90th, linear between; budget: the "
             "highest rho in --rho-range whose predicted total stays within --energy-budget, "
             "--carbon-budget and --deadline, re-planned every round from the energy and "
             "time measured so far (the first round at the low end)",
             "fixed")
        .option("energy-budget", "KWH", "the budget schedule's energy limit")
        .option("carbon-budget", "G", "the budget schedule's limit in gCO2e")
        .option("deadline", "HOURS",
                "the budget schedule's limit on training time (probes and validation passes "
                "included; a resumed run counts its earlier sessions)")
        .option("rho-range", "LOW:HIGH", "the carbon schedule's rho range", "0.5:0.9")
        .option("interval-steps", "N",
                "GreenTrainer re-selection every N steps instead of --interval epochs (0 = "
                "epochs)",
                "0");
}

void readEnergyGridOptions(const ArgParser& p, api::FootprintOptions& f,
                           const std::string& command) {
    if (p.has("power-watts")) f.powerWatts = p.doubleValue("power-watts", 1e-3, 1e7);
    if (p.has("grid-intensity")) f.gridIntensity = p.doubleValue("grid-intensity", 0, 1e5);
    if (p.has("grid-country")) f.gridCountry = p.value("grid-country");
    if (p.has("grid-trace")) f.gridTrace = p.value("grid-trace");
    if (p.has("trace-start")) {
        f.traceStart = p.value("trace-start");
        try {
            train::parseIsoTime(f.traceStart);
        } catch (const std::invalid_argument& e) {
            throw UsageError(command + ": --trace-start: " + e.what());
        }
    }
    f.traceSpeed = p.doubleValue("trace-speed", 1e-6, 1e9);
}

void readFootprintOptions(const ArgParser& p, api::FootprintOptions& f) {
    readEnergyGridOptions(p, f, "gt train");
    f.rhoSchedule = p.value("rho-schedule");
    if (f.rhoSchedule != "fixed" && f.rhoSchedule != "carbon" && f.rhoSchedule != "budget")
        throw UsageError("gt train: --rho-schedule '" + f.rhoSchedule +
                         "': expected fixed, carbon or budget");
    if (p.has("energy-budget")) f.energyBudgetKwh = p.doubleValue("energy-budget", 1e-12, 1e9);
    if (p.has("carbon-budget")) f.carbonBudgetGrams = p.doubleValue("carbon-budget", 1e-12, 1e12);
    if (p.has("deadline")) f.deadlineHours = p.doubleValue("deadline", 1e-9, 1e6);
    if ((f.energyBudgetKwh > 0 || f.carbonBudgetGrams > 0 || f.deadlineHours > 0) &&
        f.rhoSchedule != "budget")
        throw UsageError("gt train: --energy-budget, --carbon-budget and --deadline go with "
                         "--rho-schedule budget");
    try {
        std::tie(f.rhoLow, f.rhoHigh) = green::parseRhoRange(p.value("rho-range"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("gt train: --rho-range: ") + e.what());
    }
}

} // namespace gt::cli
