#include "core/train/grid_intensity.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace gt::train {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// A CSV line split at commas, with "quoted, fields" kept whole.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (char c : line) {
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted)
            out.emplace_back();
        else if (c != '\r')
            out.back() += c;
    }
    return out;
}

double number(const std::string& text, const std::string& where) {
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(v) || v < 0)
        throw std::runtime_error(where + ": '" + text + "' is not a non-negative number");
    return v;
}

int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

int64_t parseIsoTime(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    if (in.fail()) throw std::invalid_argument("'" + text + "' is not an ISO 8601 time");
    std::string zone;
    in >> zone;
    int64_t offset = 0;
    if (!zone.empty() && zone != "Z") {
        int h = 0, m = 0;
        char sign = zone[0], colon = 0;
        std::istringstream z(zone.substr(1));
        if ((sign != '+' && sign != '-') || !(z >> h >> colon >> m) || colon != ':' || h > 14 ||
            m > 59)
            throw std::invalid_argument("'" + text + "': the zone must be Z or +HH:MM");
        offset = (sign == '+' ? 1 : -1) * (h * 3600 + m * 60);
    }
    return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::string formatIsoTime(int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::ostringstream out;
    out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    return out.str();
}

GridIntensity GridIntensity::constant(double g) {
    if (!std::isfinite(g) || g < 0)
        throw std::invalid_argument("the grid intensity must be a non-negative number of g/kWh");
    GridIntensity gi;
    gi.m_values = {g};
    gi.m_wall = nowSeconds();
    std::ostringstream s;
    s << "constant " << g << " g/kWh";
    gi.m_source = s.str();
    return gi;
}

GridIntensity GridIntensity::country(const std::string& code, const std::filesystem::path& table) {
    std::ifstream in(table);
    if (!in) throw std::runtime_error(table.string() + ": cannot read the country table");
    std::string line;
    std::getline(in, line);
    if (line.rfind("iso3,country,g_per_kwh,year", 0) != 0)
        throw std::runtime_error(table.string() +
                                 ": expected the header iso3,country,g_per_kwh,year");
    const std::string want = lower(code);
    std::vector<std::string> near;
    for (int n = 2; std::getline(in, line); ++n) {
        const auto f = cells(line);
        if (f.size() < 4) continue;
        if (lower(f[0]) == want || lower(f[1]) == want) {
            GridIntensity gi = constant(number(f[2], table.string() + ":" + std::to_string(n)));
            gi.m_source = "country " + f[0] + " (" + f[1] + ") " + f[3] + ": " + f[2] + " g/kWh, " +
                          table.filename().string();
            return gi;
        }
        if (!want.empty() && (lower(f[0])[0] == want[0]) && near.size() < 6)
            near.push_back(f[0] + " " + f[1]);
    }
    std::string hint;
    for (const auto& s : near)
        hint += (hint.empty() ? "" : ", ") + s;
    throw std::runtime_error("unknown country or region '" + code + "' in " + table.string() +
                             " (ISO 3166 alpha-3 codes or names" +
                             (hint.empty() ? "" : "; e.g. " + hint) + ")");
}

GridIntensity GridIntensity::trace(const std::filesystem::path& csv, TraceClock clock) {
    std::ifstream in(csv);
    if (!in) throw std::runtime_error(csv.string() + ": cannot read the grid trace");
    std::string line;
    std::getline(in, line);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    const auto header = cells(line);
    const auto col = [&](const char* name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
            throw std::runtime_error(csv.string() + ": no '" + name +
                                     "' column (expected time,g_per_kwh)");
        return static_cast<size_t>(it - header.begin());
    };
    const size_t tc = col("time"), gc = col("g_per_kwh");
    GridIntensity gi;
    for (int n = 2; std::getline(in, line); ++n) {
        if (line.empty() || line == "\r") continue;
        const std::string where = csv.string() + ":" + std::to_string(n);
        const auto f = cells(line);
        if (f.size() <= std::max(tc, gc)) throw std::runtime_error(where + ": too few fields");
        int64_t t = 0;
        try {
            t = parseIsoTime(f[tc]);
        } catch (const std::exception& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
        if (!gi.m_times.empty() && t <= gi.m_times.back())
            throw std::runtime_error(where + ": times must increase (" + f[tc] + ")");
        gi.m_times.push_back(t);
        gi.m_values.push_back(number(f[gc], where));
    }
    if (gi.m_times.size() < 2)
        throw std::runtime_error(csv.string() + ": a trace needs at least two points");
    if (!(clock.speed > 0)) throw std::invalid_argument("the trace speed must be positive");
    gi.m_speed = clock.speed;
    gi.m_wall = clock.wallStart ? clock.wallStart : nowSeconds();
    const int64_t first = gi.m_times.front(), last = gi.m_times.back();
    if (clock.traceStart)
        gi.m_start = *clock.traceStart;
    else if (gi.m_wall >= first && gi.m_wall <= last)
        gi.m_start = gi.m_wall;
    else // the same UTC time of day on the first day
        gi.m_start = first + ((gi.m_wall % 86400) - (first % 86400) + 86400) % 86400;
    std::ostringstream s;
    s << "trace " << csv.filename().string() << " (" << gi.m_times.size() << " points, "
      << formatIsoTime(first) << " to " << formatIsoTime(last) << "), run starts at "
      << formatIsoTime(gi.m_start);
    if (gi.m_speed != 1.0) s << ", x" << gi.m_speed << " speed";
    gi.m_source = s.str();
    return gi;
}

int64_t GridIntensity::timeAt(double runSeconds) const {
    if (!isTrace()) return m_wall + static_cast<int64_t>(runSeconds);
    const int64_t first = m_times.front(), span = m_times.back() - first;
    const auto t = m_start + static_cast<int64_t>(std::llround(runSeconds * m_speed));
    return first + ((t - first) % (span + 1) + (span + 1)) % (span + 1); // wraps
}

double GridIntensity::at(double runSeconds) const {
    if (!isTrace()) return m_values.front();
    const int64_t t = timeAt(runSeconds);
    const auto hi = std::lower_bound(m_times.begin(), m_times.end(), t);
    if (hi == m_times.begin()) return m_values.front();
    if (hi == m_times.end()) return m_values.back();
    const size_t k = static_cast<size_t>(hi - m_times.begin());
    const double w =
        static_cast<double>(t - m_times[k - 1]) / static_cast<double>(m_times[k] - m_times[k - 1]);
    return m_values[k - 1] + w * (m_values[k] - m_values[k - 1]);
}

} // namespace gt::train
