// The axes of the Runs page's parallel-coordinates chart: one per setting that varies between
// the runs (numeric where every value is a number, else categorical), the seed left out (seed
// groups summarise it; so are the configuration's method and rho, which repeat the run's own),
// then one per outcome any run has. Each axis holds one value per run
// (none where a run lacks it); categorical values are indices into the axis' categories.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gt::store {

class RunQueries;

struct ParallelAxis {
    std::string key;   ///< config key ("run.rho", "lr") or outcome key ("rouge1")
    std::string label; ///< for the chart
    bool outcome = false;
    bool categorical = false;
    std::vector<std::string> categories;       ///< categorical: in first-seen order
    std::vector<std::optional<double>> values; ///< per run
};

/// Settings axes first (method and rho leading, at most `maxSettings`), then outcomes.
/// Throws StoreError for an unknown id.
std::vector<ParallelAxis> parallelAxes(const RunQueries& store, const std::vector<int64_t>& runIds,
                                       int maxSettings = 8);

} // namespace gt::store
