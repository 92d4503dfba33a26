// Measured energy from the CPU packages' RAPL counters (Linux powercap): the sum over the
// top-level package zones (intel-rapl:N / amd-rapl equivalents) of energy_uj, with each
// counter's wrap-around (max_energy_range_uj) handled. Unavailable on VMs and, since Linux
// 5.10, to non-root users; then available() is false and nothing is recorded as measured.
// GT_POWERCAP_ROOT overrides /sys/class/powercap (tests). Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gt::train {

class EnergyMeter {
public:
    /// Opens every readable package zone under `root` (empty: $GT_POWERCAP_ROOT or
    /// /sys/class/powercap) and takes the starting reading.
    explicit EnergyMeter(std::filesystem::path root = {});

    bool available() const { return !m_zones.empty(); }
    /// "rapl: intel-rapl:0 (package-0)" — what the run store records as the source.
    std::string source() const;
    /// Joules used since construction (or the last restart()); call at least once per
    /// counter period (tens of minutes at full power) so a wrap is seen once at most.
    double joules();
    void restart();

private:
    struct Zone {
        std::filesystem::path counter;
        std::string name;
        uint64_t range = 0, last = 0;
        double total = 0; ///< microjoules accumulated
    };
    static bool read(const std::filesystem::path& file, uint64_t& value);
    std::vector<Zone> m_zones;
};

} // namespace gt::train
