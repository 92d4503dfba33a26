#include "core/store/run_curves.h"

#include "core/store/run_queries.h"
#include "core/store/seed_groups.h"
#include "core/store/sqlite_db.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

namespace gt::store {
namespace {

/// step -> the value of `name` at that step, or its running sum (planned MACs per step).
std::map<int64_t, double> byStep(const RunQueries& store, int64_t runId, const std::string& name,
                                 bool cumulative) {
    std::map<int64_t, double> out;
    double sum = 0.0;
    for (const SeriesPoint& p : store.series(runId, name)) {
        sum += p.value;
        out[p.step] = cumulative ? sum : p.value;
    }
    return out;
}

/// Linear interpolation of a curve with non-decreasing x at `x` inside its span.
double interpolate(const Curve& c, double x) {
    const auto hi = std::lower_bound(c.x.begin(), c.x.end(), x);
    if (hi == c.x.begin()) return c.y.front();
    if (hi == c.x.end()) return c.y.back();
    const size_t j = static_cast<size_t>(hi - c.x.begin()), i = j - 1;
    const double dx = c.x[j] - c.x[i];
    return dx > 0 ? c.y[i] + (c.y[j] - c.y[i]) * (x - c.x[i]) / dx : c.y[j];
}

} // namespace

std::string curveAxisLabel(CurveAxis axis) {
    switch (axis) {
    case CurveAxis::Step:
        return "step";
    case CurveAxis::Epoch:
        return "epoch";
    case CurveAxis::WallSeconds:
        return "wall time (s)";
    case CurveAxis::CumulativeFlops:
        return "cumulative FLOPs";
    case CurveAxis::Energy:
        return "energy (J)";
    }
    return "step";
}

Curve runCurve(const RunQueries& store, int64_t runId, CurveAxis axis, const std::string& series) {
    if (!store.run(runId))
        throw StoreError(store.file().string() + ": no run with id " + std::to_string(runId));
    std::map<int64_t, double> xs;
    if (axis == CurveAxis::CumulativeFlops) xs = byStep(store, runId, "planned_macs", true);
    if (axis == CurveAxis::Energy) xs = byStep(store, runId, "energy_j", false);
    Curve c;
    for (const SeriesPoint& p : store.series(runId, series)) {
        std::optional<double> x;
        switch (axis) {
        case CurveAxis::Step:
            x = static_cast<double>(p.step);
            break;
        case CurveAxis::Epoch:
            x = p.epoch;
            break;
        case CurveAxis::WallSeconds:
            x = p.wallSeconds;
            break;
        case CurveAxis::CumulativeFlops:
        case CurveAxis::Energy:
            if (const auto it = xs.find(p.step); it != xs.end())
                x = axis == CurveAxis::CumulativeFlops ? 2.0 * it->second : it->second;
            break;
        }
        if (!x) continue;
        c.x.push_back(*x);
        c.y.push_back(p.value);
    }
    return c;
}

std::vector<double> emaSmooth(const std::vector<double>& y, double weight) {
    if (!(weight >= 0.0 && weight < 1.0))
        throw std::invalid_argument("smoothing weight must be in [0, 1), got " +
                                    std::to_string(weight));
    std::vector<double> out(y.size());
    double s = 0.0, decay = 1.0;
    for (size_t t = 0; t < y.size(); ++t) {
        s = weight * s + (1.0 - weight) * y[t];
        decay *= weight;
        out[t] = s / (1.0 - decay);
    }
    return out;
}

BandCurve meanBand(const std::vector<Curve>& curves, int points) {
    BandCurve band;
    if (curves.empty() || points < 1) return band;
    double lo = -INFINITY, hi = INFINITY;
    for (const Curve& c : curves) {
        if (c.x.empty()) return band;
        lo = std::max(lo, c.x.front());
        hi = std::min(hi, c.x.back());
    }
    if (lo > hi) return band;
    const int n = lo == hi ? 1 : points;
    for (int k = 0; k < n; ++k) {
        const double x = n == 1 ? lo : lo + (hi - lo) * k / (n - 1);
        std::vector<double> ys;
        for (const Curve& c : curves)
            ys.push_back(interpolate(c, x));
        const auto m = meanInterval(ys);
        band.x.push_back(x);
        band.mean.push_back(m->mean);
        band.low.push_back(m->mean - m->halfWidth.value_or(0.0));
        band.high.push_back(m->mean + m->halfWidth.value_or(0.0));
        band.n.push_back(m->n);
    }
    return band;
}

} // namespace gt::store
