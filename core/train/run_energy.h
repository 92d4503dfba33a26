// A run's energy with its provenance, one method per run and never mixed: for a run on NVIDIA
// GPUs, measured by NVML (NvmlMeter: the GPUs' own counters); for a CPU run, measured from the
// RAPL package counters where they can be read (EnergyMeter), else estimated from the CPU
// power model (PowerModel: the shipped TDP table, or a wattage the user gives) integrated over
// this process's utilisation. Torch-free.
#pragma once

#include "core/train/energy_meter.h"
#include "core/train/nvml_meter.h"
#include "core/train/power_model.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace gt::train {

struct EnergyOptions {
    std::optional<double> userWatts;    ///< --power-watts: estimated:user-watts
    std::filesystem::path powercapRoot; ///< empty: $GT_POWERCAP_ROOT or /sys/class/powercap
    std::filesystem::path cpuTable;     ///< resources/power/cpu-tdp.csv
    std::filesystem::path cpuinfo = "/proc/cpuinfo";
    int visibleThreads = 0; ///< 0: the threads this process may run on
    /// The run trains on NVIDIA GPUs: their energy is what NVML measures, and a CPU figure
    /// would misstate it (Debian's LibTorch is CPU-only; a CUDA build sets this).
    bool gpu = false;
};

class RunEnergy {
public:
    /// Chooses the method: a user wattage wins; then, on GPUs, NVML (or nothing); on CPUs RAPL,
    /// then the CPU table. Where none applies (an unknown CPU and no counter, a GPU run
    /// without NVML), available() is false and why() says so.
    explicit RunEnergy(const EnergyOptions& options);

    bool available() const { return !m_method.empty(); }
    /// "measured:nvml", "measured:rapl", "estimated:cpu-model", "estimated:user-watts" ("" when
    /// none).
    const std::string& method() const { return m_method; }
    const std::string& detail() const { return m_detail; }
    const std::string& why() const { return m_why; }
    /// Joules since construction (or restart()); call at least every few minutes.
    double joules();
    void restart();

private:
    double processCpuSeconds() const;
    using Clock = std::chrono::steady_clock;
    std::string m_method, m_detail, m_why;
    EnergyMeter m_meter;
    std::unique_ptr<NvmlMeter> m_gpu; ///< opened for GPU runs only
    std::optional<PowerModel> m_model;
    int m_threads = 1;
    Clock::time_point m_last;
    double m_lastCpu = 0, m_estimated = 0;
};

/// Threads this process may run on (sched_getaffinity).
int visibleThreads();

} // namespace gt::train
