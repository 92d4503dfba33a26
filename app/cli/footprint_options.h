// Options that say how a run's energy and carbon are counted (power figure, grid intensity:
// `gt train` and `gt plan --preflight`) and how its rho follows them (`gt train`).
#pragma once

#include "app/cli/arg_parser.h"
#include "core/api/run_footprint.h"

#include <string>

namespace gt::cli {

/// --power-watts, --grid-intensity, --grid-country, --grid-trace, --trace-start, --trace-speed.
void addEnergyGridOptions(ArgParser& p);
/// Reads them into `f` (UsageError, naming `command`, for a bad value).
void readEnergyGridOptions(const ArgParser& p, api::FootprintOptions& f,
                           const std::string& command);
/// The above, and the rho schedule with its budgets (--rho-schedule, --rho-range, ...).
void addFootprintOptions(ArgParser& p);
void readFootprintOptions(const ArgParser& p, api::FootprintOptions& f);

} // namespace gt::cli
