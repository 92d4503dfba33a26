// Carbon-aware rho: each selection round's FLOPs objective from the grid intensity at that
// moment. Intensity at or below the trace's 10th percentile gets the high end of the range,
// at or above its 90th percentile the low end, linear in between: clean power buys a
// larger share of the backward pass, dirty power a smaller one. Torch-free.
#pragma once

#include <string>
#include <vector>

namespace gt::green {

class CarbonRhoRule {
public:
    /// `intensities`: every value of the trace (g/kWh); rhoLow < rhoHigh in (0, 1].
    /// Throws std::invalid_argument for an empty trace or a bad range.
    CarbonRhoRule(const std::vector<double>& intensities, double rhoLow, double rhoHigh);

    double rho(double gPerKwh) const;
    double cleanBound() const { return m_clean; } ///< the 10th percentile
    double dirtyBound() const { return m_dirty; } ///< the 90th percentile
    double rhoLow() const { return m_low; }
    double rhoHigh() const { return m_high; }
    /// The rule in words, for --help, logs and the stored configuration.
    std::string describe() const;

    static constexpr double kCleanQuantile = 0.10, kDirtyQuantile = 0.90;

private:
    double m_low, m_high, m_clean, m_dirty;
};

/// The q-quantile (0..1) of `values`, linear between order statistics (numpy's default).
double quantile(std::vector<double> values, double q);

/// "0.5:0.9" -> {0.5, 0.9}; throws std::invalid_argument naming what is wrong.
std::pair<double, double> parseRhoRange(const std::string& text);

} // namespace gt::green
