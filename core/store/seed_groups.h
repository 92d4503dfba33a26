// Runs that differ only by their seed are repeats of one experiment: seed groups put them
// together and summarise each outcome as a mean with a 95% Student-t interval of the mean
// (`gt runs compare --group-seeds`, the Runs page's grouped rows and mean curves).
#pragma once

#include "core/store/run_outcome.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gt::store {

class RunQueries;

/// The 0.975 quantile of Student's t with `dof` degrees of freedom (dof >= 1): the factor of a
/// two-sided 95% interval. Tabulated to 1..30, the Cornish-Fisher expansion above (error < 1e-5).
double tQuantile975(int dof);

struct MeanInterval {
    double mean = 0;
    std::optional<double> halfWidth; ///< t * s / sqrt(n); none for a single value
    int n = 0;
};

/// Mean and 95% t-interval of `values`; nullopt when empty.
std::optional<MeanInterval> meanInterval(const std::vector<double>& values);

struct SeedGroup {
    std::vector<int64_t> runIds; ///< in the order given
    std::vector<std::string> seeds;
    /// The settings that tell this group from the others (key, value), seed excluded, and the
    /// configuration's method and rho too: run.method and run.rho say them (run.rho empty for a
    /// method without a budget, where the configuration keeps its default).
    std::vector<std::pair<std::string, std::string>> settings;
};

/// Groups the runs whose stored configuration (with method, rho, model and dataset) is equal
/// once the seed is left out; groups in order of their first run. Throws StoreError for an
/// unknown id.
std::vector<SeedGroup> groupBySeed(const RunQueries& store, const std::vector<int64_t>& runIds);

/// Each outcomeFields() figure over the group's runs that have it (nullopt where none has).
std::vector<std::optional<MeanInterval>> groupOutcome(const RunQueries& store,
                                                      const SeedGroup& group);

} // namespace gt::store
