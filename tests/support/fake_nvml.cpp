// A stand-in for NVIDIA's libnvidia-ml.so.1 with the entry points NvmlMeter uses, so that the
// meter's loading, device enumeration and counting run for real on a machine without a GPU.
// The GPUs are the lines of the file $GT_FAKE_NVML_STATE: a name, a tab, and the energy
// counter in millijoules ("-" for a GPU without one, as before Volta). The file is re-read
// on every call, so a test moves the counters by rewriting it. Without the file nvmlInit
// fails, as it does without a loaded driver.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct Gpu {
    std::string name, energy;
};

std::vector<Gpu> gpus() {
    std::vector<Gpu> all;
    const char* file = std::getenv("GT_FAKE_NVML_STATE");
    if (!file) return all;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos) all.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return all;
}

constexpr int kSuccess = 0, kUninitialized = 1, kInvalid = 2, kNotSupported = 3;
constexpr int kDriverNotLoaded = 9;
bool g_initialised = false;

} // namespace

extern "C" {

__attribute__((visibility("default"))) int nvmlInit_v2() {
    const char* file = std::getenv("GT_FAKE_NVML_STATE");
    if (!file || !std::ifstream(file)) return kDriverNotLoaded;
    g_initialised = true;
    return kSuccess;
}

__attribute__((visibility("default"))) int nvmlShutdown() {
    g_initialised = false;
    return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetCount_v2(unsigned int* count) {
    if (!g_initialised) return kUninitialized;
    *count = static_cast<unsigned int>(gpus().size());
    return kSuccess;
}

// A device handle is its index + 1 (never null).
__attribute__((visibility("default"))) int nvmlDeviceGetHandleByIndex_v2(unsigned int index,
                                                                         void** device) {
    if (!g_initialised) return kUninitialized;
    if (index >= gpus().size()) return kInvalid;
    *device = reinterpret_cast<void*>(static_cast<uintptr_t>(index) + 1);
    return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetName(void* device, char* name,
                                                             unsigned int length) {
    const auto all = gpus();
    const auto i = reinterpret_cast<uintptr_t>(device) - 1;
    if (i >= all.size() || length == 0) return kInvalid;
    std::strncpy(name, all[i].name.c_str(), length - 1);
    name[length - 1] = '\0';
    return kSuccess;
}

__attribute__((visibility("default"))) int
nvmlDeviceGetTotalEnergyConsumption(void* device, unsigned long long* millijoules) {
    const auto all = gpus();
    const auto i = reinterpret_cast<uintptr_t>(device) - 1;
    if (i >= all.size()) return kInvalid;
    if (all[i].energy == "-") return kNotSupported;
    *millijoules = std::strtoull(all[i].energy.c_str(), nullptr, 10);
    return kSuccess;
}

__attribute__((visibility("default"))) const char* nvmlErrorString(int code) {
    switch (code) {
    case kDriverNotLoaded:
        return "Driver Not Loaded";
    case kNotSupported:
        return "Not Supported";
    default:
        return "Unknown Error";
    }
}
}
