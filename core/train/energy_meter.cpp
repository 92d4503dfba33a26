#include "core/train/energy_meter.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace gt::train {

namespace fs = std::filesystem;

EnergyMeter::EnergyMeter(fs::path root) {
    if (root.empty()) {
        const char* env = std::getenv("GT_POWERCAP_ROOT");
        root = env && *env ? fs::path(env) : fs::path("/sys/class/powercap");
    }
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(root, ec))
        dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) {
        // Package zones are "<driver>:<n>"; their sub-zones ("intel-rapl:0:0", core or
        // dram) are already part of the package and would be counted twice.
        const std::string n = d.filename().string();
        if (std::count(n.begin(), n.end(), ':') != 1) continue;
        Zone z;
        z.counter = d / "energy_uj";
        if (!read(z.counter, z.last)) continue;
        if (!read(d / "max_energy_range_uj", z.range)) z.range = 0;
        std::ifstream nameFile(d / "name");
        std::getline(nameFile, z.name);
        z.name = n + (z.name.empty() ? "" : " (" + z.name + ")");
        m_zones.push_back(z);
    }
}

bool EnergyMeter::read(const fs::path& file, uint64_t& value) {
    std::ifstream f(file);
    unsigned long long v = 0;
    if (!(f >> v)) return false;
    value = v;
    return true;
}

std::string EnergyMeter::source() const {
    std::string s = "rapl:";
    for (const auto& z : m_zones)
        s += " " + z.name;
    return s;
}

double EnergyMeter::joules() {
    double total = 0;
    for (auto& z : m_zones) {
        uint64_t now = 0;
        if (read(z.counter, now)) {
            // A counter below its last reading has wrapped at max_energy_range_uj.
            const uint64_t delta = now >= z.last ? now - z.last : z.range - z.last + now;
            z.total += static_cast<double>(delta);
            z.last = now;
        }
        total += z.total;
    }
    return total / 1e6;
}

void EnergyMeter::restart() {
    for (auto& z : m_zones) {
        read(z.counter, z.last);
        z.total = 0;
    }
}

} // namespace gt::train
