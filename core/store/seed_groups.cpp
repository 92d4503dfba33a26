#include "core/store/seed_groups.h"

#include "core/store/run_export.h"
#include "core/store/run_queries.h"
#include "core/store/sqlite_db.h"

#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

namespace gt::store {
namespace {

// t_{0.975, dof} for dof = 1..30 (standard tables, 4 decimals).
constexpr std::array<double, 30> kT975{
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

const char* kSeedKey = "seed";

} // namespace

double tQuantile975(int dof) {
    if (dof < 1) throw std::invalid_argument("tQuantile975: dof must be >= 1");
    if (dof <= static_cast<int>(kT975.size())) return kT975[static_cast<size_t>(dof - 1)];
    // Cornish-Fisher expansion of t around the normal quantile (Abramowitz & Stegun 26.7.5).
    const double z = 1.959963984540054, v = dof;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    const double g1 = (z3 + z) / 4;
    const double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
    const double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
    return z + g1 / v + g2 / (v * v) + g3 / (v * v * v);
}

std::optional<MeanInterval> meanInterval(const std::vector<double>& values) {
    if (values.empty()) return std::nullopt;
    MeanInterval m;
    m.n = static_cast<int>(values.size());
    m.mean = std::accumulate(values.begin(), values.end(), 0.0) / m.n;
    if (m.n < 2) return m;
    double ss = 0;
    for (double x : values)
        ss += (x - m.mean) * (x - m.mean);
    m.halfWidth = tQuantile975(m.n - 1) * std::sqrt(ss / (m.n - 1)) / std::sqrt(double(m.n));
    return m;
}

std::vector<SeedGroup> groupBySeed(const RunQueries& store, const std::vector<int64_t>& runIds) {
    using Config = std::map<std::string, std::string>;
    std::vector<Config> keys; // each group's configuration without the seed
    std::vector<SeedGroup> groups;
    for (int64_t id : runIds) {
        const auto r = store.run(id);
        if (!r) throw StoreError(store.file().string() + ": no run with id " + std::to_string(id));
        Config c = flatConfig(*r);
        const auto seed = c.find(kSeedKey);
        const std::string seedText = seed == c.end() ? "(absent)" : seed->second;
        if (seed != c.end()) c.erase(seed);
        size_t g = 0;
        while (g < keys.size() && keys[g] != c)
            ++g;
        if (g == keys.size()) keys.push_back(std::move(c)), groups.emplace_back();
        groups[g].runIds.push_back(id);
        groups[g].seeds.push_back(seedText);
    }
    // The settings that vary between groups label them.
    std::set<std::string> all;
    for (const Config& c : keys)
        for (const auto& [k, v] : c)
            all.insert(k);
    for (const std::string& k : all) {
        if (k == "method" || k == "rho") continue; // run.method and run.rho say it (see header)
        std::set<std::string> values;
        for (const Config& c : keys)
            values.insert(c.count(k) ? c.at(k) : "(absent)");
        if (values.size() < 2) continue;
        for (size_t g = 0; g < keys.size(); ++g)
            groups[g].settings.emplace_back(k, keys[g].count(k) ? keys[g].at(k) : "(absent)");
    }
    return groups;
}

std::vector<std::optional<MeanInterval>> groupOutcome(const RunQueries& store,
                                                      const SeedGroup& group) {
    std::vector<RunOutcome> outcomes;
    for (int64_t id : group.runIds)
        outcomes.push_back(runOutcome(store, id));
    std::vector<std::optional<MeanInterval>> out;
    for (const OutcomeField& f : outcomeFields()) {
        std::vector<double> values;
        for (const RunOutcome& o : outcomes)
            if (o.*f.value) values.push_back(*(o.*f.value));
        out.push_back(meanInterval(values));
    }
    return out;
}

} // namespace gt::store
