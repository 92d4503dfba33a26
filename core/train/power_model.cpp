#include "core/train/power_model.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace gt::train {
namespace {

struct Row {
    std::string name, family;
    double tdp = 0;
    int threads = 0;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz" -> "intel xeon platinum 8380"
std::string normalised(std::string s) {
    s = lower(s);
    if (auto at = s.find('@'); at != std::string::npos) s.erase(at);
    for (const char* noise : {"(r)", "(tm)", " cpu", " processor"})
        for (size_t p; (p = s.find(noise)) != std::string::npos;)
            s.erase(p, std::string(noise).size());
    std::string out; // single spaces, trimmed
    for (char c : s)
        if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::vector<Row> readTable(const std::filesystem::path& table) {
    std::ifstream in(table);
    if (!in) throw std::runtime_error(table.string() + ": cannot read the CPU power table");
    std::vector<Row> rows;
    std::string line;
    std::getline(in, line); // header
    if (line.rfind("name,family,tdp_watts,cores,threads", 0) != 0)
        throw std::runtime_error(table.string() +
                                 ": expected the header name,family,tdp_watts,cores,threads");
    for (int n = 2; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');)
            f.push_back(cell);
        Row r;
        try {
            if (f.size() != 5) throw std::invalid_argument("5 fields");
            r = {f[0], f[1], std::stod(f[2]), std::stoi(f[4])};
        } catch (const std::exception&) {
            throw std::runtime_error(table.string() + ":" + std::to_string(n) +
                                     ": expected name,family,tdp_watts,cores,threads");
        }
        if (r.tdp <= 0 || r.threads <= 0)
            throw std::runtime_error(table.string() + ":" + std::to_string(n) +
                                     ": TDP and threads must be positive");
        rows.push_back(r);
    }
    return rows;
}

std::string fixed(double v, int digits) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

PowerModel fromWattsPerThread(double perThread, int visible, std::string detail) {
    PowerModel m;
    m.method = "estimated:cpu-model";
    m.busyWatts = perThread * visible;
    m.idleWatts = m.busyWatts * kIdleShare;
    m.detail = std::move(detail) + ", " + std::to_string(visible) +
               " thread(s) visible: " + fixed(m.idleWatts, 1) + "-" + fixed(m.busyWatts, 1) + " W";
    return m;
}

} // namespace

double PowerModel::watts(double utilisation) const {
    const double u = std::clamp(utilisation, 0.0, 1.0);
    return idleWatts + (busyWatts - idleWatts) * u;
}

std::string cpuModelName(const std::filesystem::path& cpuinfo) {
    std::ifstream in(cpuinfo);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0)
            if (auto colon = line.find(':'); colon != std::string::npos) {
                std::string v = line.substr(colon + 1);
                v.erase(0, v.find_first_not_of(" \t"));
                return v;
            }
    return {};
}

PowerModel cpuPowerModel(const std::string& modelName, int visibleThreads,
                         const std::filesystem::path& table) {
    const std::vector<Row> rows = readTable(table);
    const std::string name = normalised(modelName);
    const int visible = std::max(1, visibleThreads);
    const Row* best = nullptr;
    for (const Row& r : rows)
        if (name.find(lower(r.name)) != std::string::npos &&
            (!best || r.name.size() > best->name.size()))
            best = &r;
    if (best)
        return fromWattsPerThread(best->tdp / best->threads, visible,
                                  best->name + " (TDP " + fixed(best->tdp, 0) + " W, " +
                                      std::to_string(best->threads) + " threads)");
    std::vector<double> perThread;
    std::string family;
    for (const Row& r : rows)
        if (name.rfind(lower(r.family), 0) == 0) {
            perThread.push_back(r.tdp / r.threads);
            family = r.family;
        }
    if (perThread.empty())
        throw std::runtime_error(
            table.string() + ": no entry for the CPU '" + modelName +
            "' (neither its model nor its family); give the power with --power-watts W");
    std::sort(perThread.begin(), perThread.end());
    const size_t n = perThread.size();
    const double median = n % 2 ? perThread[n / 2] : (perThread[n / 2 - 1] + perThread[n / 2]) / 2;
    return fromWattsPerThread(median, visible,
                              "'" + modelName + "': no exact model, the median of " +
                                  std::to_string(n) + " " + family + " rows (" + fixed(median, 2) +
                                  " W per thread at TDP)");
}

PowerModel userPowerModel(double watts) {
    if (!(watts > 0)) throw std::invalid_argument("the power must be a positive number of watts");
    PowerModel m;
    m.method = "estimated:user-watts";
    m.busyWatts = m.idleWatts = watts;
    m.detail = fixed(watts, 1) + " W as given (constant)";
    return m;
}

} // namespace gt::train
