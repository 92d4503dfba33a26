#include "core/store/parallel_axes.h"

#include "core/store/run_export.h"
#include "core/store/run_outcome.h"

#include <algorithm>
#include <charconv>

namespace gt::store {
namespace {

std::optional<double> parseNumber(const std::string& s) {
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

/// A varied setting as an axis: numeric when every present value is a number.
ParallelAxis settingAxis(const ConfigDifference& d) {
    ParallelAxis a;
    a.key = d.key;
    a.label = d.key.rfind("run.", 0) == 0 ? d.key.substr(4) : d.key;
    for (const auto& v : d.values)
        if (v && !v->empty() && !parseNumber(*v)) a.categorical = true;
    for (const auto& v : d.values) {
        if (!v || v->empty()) {
            a.values.emplace_back();
        } else if (!a.categorical) {
            a.values.push_back(parseNumber(*v));
        } else {
            auto it = std::find(a.categories.begin(), a.categories.end(), *v);
            if (it == a.categories.end()) it = a.categories.insert(a.categories.end(), *v);
            a.values.push_back(static_cast<double>(it - a.categories.begin()));
        }
    }
    return a;
}

int settingRank(const std::string& key) {
    if (key == "run.method") return 0;
    if (key == "run.rho") return 1;
    return 2;
}

} // namespace

std::vector<ParallelAxis> parallelAxes(const RunQueries& store, const std::vector<int64_t>& ids,
                                       int maxSettings) {
    std::vector<ParallelAxis> axes;
    if (ids.size() >= 2) {
        auto diff = configDiff(store, ids);
        // the seed is what seed groups summarise; the configuration's method and rho repeat the
        // run's own (whose rho is empty for methods without a budget, as it should be)
        std::erase_if(diff, [](const ConfigDifference& d) {
            return d.key == "seed" || d.key == "method" || d.key == "rho";
        });
        std::stable_sort(diff.begin(), diff.end(), [](const auto& a, const auto& b) {
            return settingRank(a.key) < settingRank(b.key);
        });
        for (const auto& d : diff)
            if (static_cast<int>(axes.size()) < maxSettings) axes.push_back(settingAxis(d));
    }
    std::vector<RunOutcome> outcomes;
    for (int64_t id : ids)
        outcomes.push_back(runOutcome(store, id));
    for (const OutcomeField& f : outcomeFields()) {
        ParallelAxis a;
        a.key = f.key;
        a.label = f.axis;
        a.outcome = true;
        for (const RunOutcome& o : outcomes)
            a.values.push_back(o.*f.value);
        if (std::any_of(a.values.begin(), a.values.end(), [](auto& v) { return v.has_value(); }))
            axes.push_back(std::move(a));
    }
    return axes;
}

} // namespace gt::store
