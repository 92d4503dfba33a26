// What `gt doctor` and the About box report about the machine and the libraries in use.
// Torch-free header: the GUI and the CLI include it; only system_report.cpp sees LibTorch.
#pragma once

#include <string>
#include <vector>

namespace gt::api {

/// Which BLAS library LibTorch ended up calling through the system's libblas.so.3.
enum class BlasKind { OpenBlasOpenMp, OpenBlasPthread, Reference, Other, Unknown };

struct BlasInfo {
    BlasKind kind = BlasKind::Unknown;
    std::string library; ///< resolved path of the loaded libblas, empty when none was found
    std::string label;   ///< human-readable name, e.g. "OpenBLAS (OpenMP)"
    std::string warning; ///< non-empty when the choice costs speed (reference BLAS, pthread)
};

struct EnergyCounterInfo {
    bool readable = false;
    std::string source;           ///< e.g. "/sys/class/powercap/intel-rapl:0/energy_uj"
    std::string detail;           ///< why not readable (and how to make it so), or the domain name
    bool unreadableZones = false; ///< RAPL exists but only root may read it
};

struct SystemReport {
    std::string torchVersion;
    std::vector<std::string> torchBuildOptions; ///< selected lines of at::show_config()
    BlasInfo blas;
    double matmulGflops = 0.0; ///< float32 1024x1024 matmul at `threads`, median of runs
    int threads = 0;           ///< intra-op threads LibTorch uses
    int hardwareThreads = 0;
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    std::string sqliteVersion;
    std::string storePath;
    std::string storeStatus;
    EnergyCounterInfo energy;
    std::string energyMethod;       ///< what a run records: measured:rapl, estimated:cpu-model...
    std::string energyMethodDetail; ///< what the figure rests on, or why there is none
    bool nvmlAvailable = false;     ///< NVIDIA GPUs whose energy a GPU run would measure
    std::string nvml;               ///< their names, or why NVML cannot measure here
    std::string resourcesDir;       ///< where the starter model and the built-in task are looked up
    std::string resourcesStatus;    ///< what is there, or what is missing
    bool resourcesComplete = false;
};

struct SystemReportOptions {
    bool measureMatmul = true; ///< the GEMM probe takes ~0.1 s (OpenBLAS) to ~3 s (reference)
    int threads = 0;           ///< 0 = all hardware threads
};

/// Gathers the report. Never throws for a missing optional facility; it says so instead.
SystemReport collectSystemReport(const SystemReportOptions& options = {});

/// The float32 1024^3 matmul rate in GFLOP/s at `threads` intra-op threads (0 = all), median of
/// seven after a warm-up: what a pre-flight estimate of step time starts from.
double measureMatmulGflops(int threads = 0);

/// Resolves which BLAS is loaded in this process (LibTorch must already be loaded).
BlasInfo detectBlas();

/// Looks for a readable package-energy counter (Linux powercap / RAPL).
EnergyCounterInfo detectEnergyCounter();

} // namespace gt::api
