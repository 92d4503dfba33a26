// A stored run's curve for comparison charts: the training loss against a chosen x-axis (step,
// epoch, wall time, cumulative FLOPs or energy, so that runs of different lengths or speeds line
// up), smoothed with a bias-corrected EMA, and the mean of a seed group's curves with a 95%
// t-interval band. Torch- and Qt-free; the Runs page draws what these return.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gt::store {

class RunQueries;

enum class CurveAxis { Step, Epoch, WallSeconds, CumulativeFlops, Energy };
std::string curveAxisLabel(CurveAxis axis); ///< "step", "epoch", "wall time (s)", ...

struct Curve {
    std::vector<double> x, y; ///< x non-decreasing
};

/// `series` of the run (default the training loss) against `axis`. Points without the axis'
/// value (an epoch or wall time not stored, steps before the first energy reading) are left
/// out. Cumulative FLOPs: 2 x the running sum of the stored planned MACs per step; energy: the
/// run's cumulative joules. Throws StoreError for an unknown run.
Curve runCurve(const RunQueries& store, int64_t runId, CurveAxis axis,
               const std::string& series = "train/loss");

/// Exponential moving average with bias correction (s_t = w s_{t-1} + (1 - w) y_t, reported as
/// s_t / (1 - w^t)), so the start is not pulled towards 0. weight in [0, 1); 0 returns y.
std::vector<double> emaSmooth(const std::vector<double>& y, double weight);

struct BandCurve {
    std::vector<double> x, mean, low, high; ///< low = high = mean where only one curve covers x
    std::vector<int> n;                     ///< curves covering each x
};

/// The curves' mean on `points` x values spread over the span every curve covers (linear
/// interpolation), with a 95% Student-t interval of the mean. Empty when they share no span.
BandCurve meanBand(const std::vector<Curve>& curves, int points = 200);

} // namespace gt::store
