// Collects `gt doctor`'s facts. The BLAS check matters most: Debian's LibTorch calls whatever
// libblas.so.3 the alternatives system selects, and reference BLAS is ~30x slower than OpenBLAS.
#include "core/api/system_report.h"

#include "core/api/builtin_resources.h"
#include "core/train/run_energy.h"

#include "core/model/threads.h"
#include "core/store/store_paths.h"

#include <torch/torch.h>

#include <link.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace gt::api {
namespace {

int collectBlasPath(dl_phdr_info* info, size_t, void* data) {
    const std::string name = info->dlpi_name ? info->dlpi_name : "";
    const std::string base = fs::path(name).filename().string();
    if (base.rfind("libblas.so", 0) == 0 || base.rfind("libopenblas", 0) == 0) {
        *static_cast<std::string*>(data) = name;
        return 1;
    }
    return 0;
}

BlasInfo classifyBlas(const std::string& resolved) {
    BlasInfo b;
    b.library = resolved;
    if (resolved.find("openblas-openmp") != std::string::npos) {
        b.kind = BlasKind::OpenBlasOpenMp;
        b.label = "OpenBLAS (OpenMP)";
    } else if (resolved.find("openblas-pthread") != std::string::npos) {
        b.kind = BlasKind::OpenBlasPthread;
        b.label = "OpenBLAS (pthread)";
        b.warning = "pthread OpenBLAS ignores the thread count and oversubscribes with LibTorch's "
                    "OpenMP pool; install libopenblas0-openmp and select it (installer/install.sh)";
    } else if (resolved.find("/blas/") != std::string::npos) {
        b.kind = BlasKind::Reference;
        b.label = "reference BLAS (netlib)";
        b.warning = "REFERENCE BLAS IN USE: matrix products run ~30x slower. Install "
                    "libopenblas0-openmp and select it: installer/install.sh --deps-only";
    } else {
        b.kind = BlasKind::Other;
        b.label = fs::path(resolved).parent_path().filename().string();
    }
    return b;
}

double medianMatmulGflops() {
    torch::NoGradGuard noGrad;
    constexpr int64_t n = 1024;
    auto a = torch::randn({n, n});
    auto b = torch::randn({n, n});
    for (int i = 0; i < 2; ++i)
        (void)torch::mm(a, b); // warm-up: thread pool, caches
    std::vector<double> seconds;
    for (int i = 0; i < 7; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto c = torch::mm(a, b);
        (void)c.data_ptr<float>();
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::nth_element(seconds.begin(), seconds.begin() + 3, seconds.end());
    return 2.0 * n * n * n / seconds[3] / 1e9;
}

// at::show_config() is a bullet list; "Build settings:" is one long comma-separated line.
std::vector<std::string> selectedBuildOptions() {
    std::vector<std::string> out;
    std::istringstream in(at::show_config());
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find_first_not_of(" -");
        if (first == std::string::npos) continue;
        const std::string body = line.substr(first);
        if (body.rfind("CPU capability", 0) == 0 || body.rfind("OpenMP", 0) == 0 ||
            body.rfind("Intel(R) MKL-DNN", 0) == 0 || body.rfind("CUDA Runtime", 0) == 0) {
            out.push_back(body);
            continue;
        }
        if (body.rfind("Build settings:", 0) != 0) continue;
        std::string settings;
        std::istringstream items(body.substr(15));
        for (std::string item; std::getline(items, item, ',');) {
            item.erase(0, item.find_first_not_of(' '));
            for (const char* key : {"BLAS_INFO=", "USE_CUDA=", "USE_MKLDNN=", "USE_OPENMP=",
                                    "USE_NCCL=", "BUILD_TYPE="})
                if (item.rfind(key, 0) == 0) settings += (settings.empty() ? "" : ", ") + item;
        }
        if (!settings.empty()) out.push_back(settings);
    }
    return out;
}

std::string describeStore(const fs::path& path) {
    std::error_code ec;
    if (fs::exists(path, ec))
        return "exists (" + std::to_string(fs::file_size(path, ec)) + " bytes)";
    fs::path dir = path.parent_path();
    while (!dir.empty() && !fs::exists(dir, ec))
        dir = dir.parent_path();
    if (dir.empty() || access(dir.c_str(), W_OK) != 0)
        return "not created yet, and " + dir.string() + " is not writable";
    return "not created yet (created on first run)";
}

} // namespace

BlasInfo detectBlas() {
    std::string loaded;
    dl_iterate_phdr(collectBlasPath, &loaded);
    if (loaded.empty()) {
        BlasInfo b;
        b.label = "none found in the process";
        b.warning = "no libblas loaded: LibTorch may use its own fallback kernels";
        return b;
    }
    std::error_code ec;
    const fs::path resolved = fs::canonical(loaded, ec);
    return classifyBlas(ec ? loaded : resolved.string());
}

EnergyCounterInfo detectEnergyCounter() {
    EnergyCounterInfo e;
    const char* env = std::getenv("GT_POWERCAP_ROOT");
    const fs::path root = env && *env ? fs::path(env) : fs::path("/sys/class/powercap");
    std::error_code ec;
    if (!fs::exists(root, ec)) {
        e.detail = "no powercap interface (/sys/class/powercap absent: VM or non-Intel/AMD "
                   "kernel driver); energy will be estimated from time and a power figure";
        return e;
    }
    std::vector<fs::path> zones;
    for (const auto& entry : fs::directory_iterator(root, ec))
        zones.push_back(entry.path());
    std::sort(zones.begin(), zones.end());
    for (const auto& z : zones) {
        const fs::path counter = z / "energy_uj";
        std::ifstream f(counter);
        unsigned long long uj = 0;
        if (f >> uj) {
            e.readable = true;
            e.source = counter.string();
            std::ifstream nameFile(z / "name");
            std::getline(nameFile, e.detail);
            return e;
        }
    }
    if (zones.empty()) {
        e.detail = "powercap has no zones (no RAPL driver loaded)";
        return e;
    }
    e.detail = "RAPL counters exist but are not readable (root-only since Linux 5.10); energy "
               "will be estimated. To measure: sudo chmod o+r " +
               (root / "*/energy_uj").string() +
               " (until reboot), or for good a udev rule in /etc/udev/rules.d/70-rapl.rules: "
               "ACTION==\"add\", SUBSYSTEM==\"powercap\", RUN+=\"/bin/chmod o+r "
               "/sys%p/energy_uj\" (readable counters allow the PLATYPUS power side channel, "
               "CVE-2020-8694: weigh that on shared machines)";
    e.unreadableZones = true;
    return e;
}

namespace {

/// The shipped files: an installed package or a build tree must have both, or gt demo and the
/// workbench's first window have nothing to show.
void describeResources(SystemReport& r) {
    r.resourcesDir = resourcesDir().string();
    std::error_code ec;
    const bool model = fs::is_regular_file(starterModelDir() / "config.json", ec);
    const bool task = fs::is_regular_file(builtinTaskDir() / "train.jsonl.gz", ec);
    r.resourcesComplete = model && task;
    if (r.resourcesComplete)
        r.resourcesStatus = "starter model and built-in task present";
    else
        r.resourcesStatus = std::string("missing:") + (model ? "" : " models/starter") +
                            (task ? "" : " data/debian") + " (set GT_RESOURCES_DIR)";
}

} // namespace

double measureMatmulGflops(int threads) {
    model::configureTorchThreads(threads);
    return medianMatmulGflops();
}

SystemReport collectSystemReport(const SystemReportOptions& options) {
    SystemReport r;
    r.torchVersion = TORCH_VERSION;
    r.hardwareThreads = model::hardwareThreads();
    r.threads = model::configureTorchThreads(options.threads);
    r.torchBuildOptions = selectedBuildOptions();
    r.blas = detectBlas();
    if (options.measureMatmul) r.matmulGflops = medianMatmulGflops();
    r.cudaAvailable = torch::cuda::is_available();
    r.cudaDeviceCount = r.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    r.sqliteVersion = sqlite3_libversion();
    try {
        const fs::path p = store::defaultStorePath();
        r.storePath = p.string();
        r.storeStatus = describeStore(p);
    } catch (const std::exception& e) {
        r.storeStatus = e.what();
    }
    r.energy = detectEnergyCounter();
    describeResources(r);
    // The method a run would use now, as the run store will label it.
    train::EnergyOptions eo;
    eo.cpuTable = resourcesDir() / "power" / "cpu-tdp.csv";
    const train::RunEnergy energy(eo);
    r.energyMethod = energy.available() ? energy.method() : "none";
    r.energyMethodDetail = energy.available() ? energy.detail() : energy.why();
    const train::NvmlMeter nvml;
    r.nvmlAvailable = nvml.available();
    r.nvml = nvml.available() ? nvml.source() : nvml.why();
    return r;
}

} // namespace gt::api
