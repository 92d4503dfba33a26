// The carbon intensity of the electricity a run uses, in gCO2e per kWh: a constant, a
// country's annual average from a shipped table (resources/grid), or a time series read from a
// CSV (time in ISO 8601, g_per_kwh) and interpolated over the run's wall clock. Unknown
// country codes and malformed traces are errors, never a silent world average. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gt::train {

/// How a trace's time lines up with the run's wall clock.
struct TraceClock {
    int64_t wallStart = 0;             ///< Unix seconds at the run's start (0: now)
    std::optional<int64_t> traceStart; ///< the trace time at the run's start (Unix seconds)
    double speed = 1.0;                ///< trace seconds per wall second (demos: 3600)
};

class GridIntensity {
public:
    static GridIntensity constant(double gPerKwh);
    /// `code`: ISO 3166 alpha-3 ("DEU") or the country's name, case-insensitive.
    static GridIntensity country(const std::string& code, const std::filesystem::path& table);
    /// The run starts at `clock.traceStart`; without one, at the wall clock when the trace
    /// covers it, else at the same UTC time of day on the trace's first day. A run that
    /// outlasts the trace wraps to its beginning.
    static GridIntensity trace(const std::filesystem::path& csv, TraceClock clock = {});

    /// g/kWh `runSeconds` after the run started.
    double at(double runSeconds) const;
    /// The trace time (Unix seconds) `runSeconds` after the start; the wall clock otherwise.
    int64_t timeAt(double runSeconds) const;
    /// e.g. "trace us-ciso.csv (720 points, 2022-06-01T00:00:00Z ...), from ..., x3600".
    const std::string& source() const { return m_source; }
    /// Every value of the trace (one for a constant or a country): what quantiles are of.
    std::vector<double> values() const { return m_values; }
    bool isTrace() const { return m_times.size() > 1; }

private:
    std::string m_source;
    std::vector<int64_t> m_times; ///< Unix seconds, increasing (traces only)
    std::vector<double> m_values;
    int64_t m_start = 0; ///< the trace time at the run's start
    int64_t m_wall = 0;  ///< the wall clock at the run's start
    double m_speed = 1.0;
};

/// "2022-06-01T13:00:00Z" (also +HH:MM offsets; no zone: UTC) -> Unix seconds. Throws.
int64_t parseIsoTime(const std::string& text);
std::string formatIsoTime(int64_t unixSeconds);

} // namespace gt::train
