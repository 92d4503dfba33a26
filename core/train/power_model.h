// Estimated power where no energy counter can be read: the CPU's TDP from a shipped table
// (resources/power/cpu-tdp.csv, its README has the rule), scaled to the threads this process
// may use and to its utilisation, or a wattage the user gives. Torch-free.
#pragma once

#include <filesystem>
#include <string>

namespace gt::train {

struct PowerModel {
    std::string method;   ///< "estimated:cpu-model" or "estimated:user-watts"
    std::string detail;   ///< what the figure rests on, e.g. "AMD EPYC 7763 (TDP 280 W, ...)"
    double busyWatts = 0; ///< the visible share of the package at full utilisation
    double idleWatts = 0; ///< ... at rest
    /// Power at utilisation u (0..1, clamped).
    double watts(double utilisation) const;
};

/// The static share of package power assumed at rest (resources/power/README.md).
constexpr double kIdleShare = 0.3;

/// The model name in /proc/cpuinfo ("" when there is none).
std::string cpuModelName(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");

/// The model for `modelName` on `visibleThreads` threads from `table`: the longest table name
/// contained in the (normalised) model name, else the median watts per thread of its family.
/// Throws naming the table and the model when neither matches, or when the table is malformed.
PowerModel cpuPowerModel(const std::string& modelName, int visibleThreads,
                         const std::filesystem::path& table);

/// A constant figure the user gives (their wall-meter reading, a data-centre rating).
PowerModel userPowerModel(double watts);

} // namespace gt::train
