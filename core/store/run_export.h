// Reading stored runs out for people and other tools: the differences between runs' configs
// (the Runs page's diff, `gt runs compare`) and a run as JSON or long-format CSV (`gt runs
// export`), from the store's queries alone (RunQueries).
#pragma once

#include "core/store/run_records.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace gt::store {

class RunQueries;

/// A run's configuration JSON flattened to "a.b.c" keys (values as JSON text, strings bare),
/// plus run.method, run.rho, run.model and run.dataset.
std::map<std::string, std::string> flatConfig(const RunRecord& run);

/// Keys of the runs' config JSON (flattened, plus run.method/rho/model/dataset) whose values
/// are not all equal. Throws StoreError naming the store for an unknown id.
std::vector<ConfigDifference> configDiff(const RunQueries& store,
                                         const std::vector<int64_t>& runIds);

/// The run without its series: record, energy and carbon with their sources, config, host,
/// selection rounds (rho, grid intensity, planned and spent energy, CO2), evaluations,
/// artifacts (`gt runs show --json`).
nlohmann::json runSummaryJson(const RunQueries& store, int64_t runId);

/// Everything stored about the run: the summary and every series.
void exportJson(const RunQueries& store, int64_t runId, std::ostream& out);

/// Long format: run_id,series,step,epoch,wall_s,value (series by name, then step).
void exportCsv(const RunQueries& store, int64_t runId, std::ostream& out);

} // namespace gt::store
