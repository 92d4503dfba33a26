#include "core/green/rho_schedule.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace gt::green {

double quantile(std::vector<double> values, double q) {
    if (values.empty()) throw std::invalid_argument("quantile of no values");
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
    const auto k = static_cast<size_t>(std::floor(pos));
    if (k + 1 >= values.size()) return values.back();
    return values[k] + (pos - static_cast<double>(k)) * (values[k + 1] - values[k]);
}

CarbonRhoRule::CarbonRhoRule(const std::vector<double>& intensities, double rhoLow, double rhoHigh)
    : m_low(rhoLow)
    , m_high(rhoHigh) {
    if (!(rhoLow > 0) || !(rhoHigh <= 1) || !(rhoLow < rhoHigh))
        throw std::invalid_argument("the rho range must be LOW:HIGH with 0 < LOW < HIGH <= 1");
    if (intensities.empty()) throw std::invalid_argument("a carbon-aware rho needs a grid trace");
    m_clean = quantile(intensities, kCleanQuantile);
    m_dirty = quantile(intensities, kDirtyQuantile);
}

double CarbonRhoRule::rho(double g) const {
    if (m_dirty <= m_clean) return g <= m_clean ? m_high : m_low; // a flat trace
    const double w = std::clamp((g - m_clean) / (m_dirty - m_clean), 0.0, 1.0);
    return m_high - w * (m_high - m_low);
}

std::string CarbonRhoRule::describe() const {
    std::ostringstream s;
    s << "rho " << m_high << " at <= " << m_clean << " g/kWh (10th percentile), " << m_low
      << " at >= " << m_dirty << " g/kWh (90th percentile), linear between";
    return s.str();
}

std::pair<double, double> parseRhoRange(const std::string& text) {
    const auto colon = text.find(':');
    const auto bad = [&] {
        return std::invalid_argument("rho range '" + text +
                                     "': expected LOW:HIGH with 0 < LOW < HIGH <= 1, e.g. 0.5:0.9");
    };
    if (colon == std::string::npos) throw bad();
    double lo = 0, hi = 0;
    try {
        size_t a = 0, b = 0;
        lo = std::stod(text.substr(0, colon), &a);
        hi = std::stod(text.substr(colon + 1), &b);
        if (a != colon || b != text.size() - colon - 1) throw bad();
    } catch (const std::invalid_argument&) {
        throw bad();
    } catch (const std::out_of_range&) {
        throw bad();
    }
    if (!(lo > 0) || !(hi <= 1) || !(lo < hi)) throw bad();
    return {lo, hi};
}

} // namespace gt::green
