// Measured GPU energy from NVIDIA's management library (NVML): the sum over the visible GPUs
// of nvmlDeviceGetTotalEnergyConsumption (millijoules since the driver loaded; Volta and
// newer). The library is opened at run time (libnvidia-ml.so.1, which the driver installs),
// never linked, so the workbench builds and runs where there is no NVIDIA driver; then
// available() is false and why() says what was missing. GT_NVML_LIBRARY names another file
// (tests use a stand-in). Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gt::train {

class NvmlMeter {
public:
    /// Opens the library, initialises NVML and takes each GPU's starting reading.
    NvmlMeter();
    ~NvmlMeter();
    NvmlMeter(const NvmlMeter&) = delete;
    NvmlMeter& operator=(const NvmlMeter&) = delete;

    bool available() const { return !m_devices.empty(); }
    /// Why there is no measurement (the library, NVML's error or no GPU with a counter).
    const std::string& why() const { return m_why; }
    /// "nvml: 2 x NVIDIA H100 80GB HBM3" — what the run store records as the source.
    std::string source() const;
    /// Joules the GPUs used since construction (or the last restart()).
    double joules();
    void restart();

private:
    struct Api;
    struct Device {
        void* handle = nullptr;
        std::string name;
        unsigned long long start = 0, last = 0; ///< millijoules
    };
    bool read(Device& d) const;
    void* m_library = nullptr;
    Api* m_api = nullptr;
    std::vector<Device> m_devices;
    std::string m_why;
};

} // namespace gt::train
