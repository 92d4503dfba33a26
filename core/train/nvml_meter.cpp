#include "core/train/nvml_meter.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>

namespace gt::train {

// The few NVML entry points used, declared as the library's header (nvml.h, not in Debian's
// build dependencies) declares them: every call returns 0 (NVML_SUCCESS) or an error code.
struct NvmlMeter::Api {
    using Init = int (*)();
    using Count = int (*)(unsigned int*);
    using Handle = int (*)(unsigned int, void**);
    using Energy = int (*)(void*, unsigned long long*);
    using Name = int (*)(void*, char*, unsigned int);
    using Error = const char* (*)(int);
    Init init = nullptr, shutdown = nullptr;
    Count count = nullptr;
    Handle handle = nullptr;
    Energy energy = nullptr;
    Name name = nullptr;
    Error error = nullptr;
};

namespace {

template <typename F> bool resolve(void* library, const char* symbol, F& f) {
    f = reinterpret_cast<F>(dlsym(library, symbol));
    return f != nullptr;
}

} // namespace

NvmlMeter::NvmlMeter() {
    const char* env = std::getenv("GT_NVML_LIBRARY");
    const std::string file = env && *env ? env : "libnvidia-ml.so.1";
    m_library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!m_library) {
        const char* e = dlerror();
        m_why = "no NVIDIA driver library (" + (e ? std::string(e) : file) + ")";
        return;
    }
    m_api = new Api;
    Api& a = *m_api;
    if (!resolve(m_library, "nvmlInit_v2", a.init) ||
        !resolve(m_library, "nvmlShutdown", a.shutdown) ||
        !resolve(m_library, "nvmlDeviceGetCount_v2", a.count) ||
        !resolve(m_library, "nvmlDeviceGetHandleByIndex_v2", a.handle) ||
        !resolve(m_library, "nvmlDeviceGetTotalEnergyConsumption", a.energy) ||
        !resolve(m_library, "nvmlDeviceGetName", a.name)) {
        m_why = file + " lacks an NVML entry point this meter needs (driver too old?)";
        return;
    }
    resolve(m_library, "nvmlErrorString", a.error);
    const auto failed = [&](const char* what, int code) {
        m_why = std::string(what) + " failed: " +
                (a.error ? std::string(a.error(code)) : "NVML error " + std::to_string(code));
    };
    if (const int rc = a.init(); rc != 0) {
        failed("nvmlInit", rc);
        a.shutdown = nullptr; // nothing to shut down
        return;
    }
    unsigned int n = 0;
    if (const int rc = a.count(&n); rc != 0) {
        failed("nvmlDeviceGetCount", rc);
        return;
    }
    for (unsigned int i = 0; i < n; ++i) {
        Device d;
        if (a.handle(i, &d.handle) != 0) continue;
        char name[96] = {};
        if (a.name(d.handle, name, sizeof name) == 0) d.name = name;
        // GPUs before Volta have no energy counter: they are left out, and said so if none has
        if (read(d)) m_devices.push_back(d);
    }
    if (m_devices.empty())
        m_why = n == 0 ? "NVML sees no GPU" : "no GPU has an energy counter (Volta or newer)";
    restart();
}

NvmlMeter::~NvmlMeter() {
    if (m_api && m_api->shutdown) m_api->shutdown();
    delete m_api;
    if (m_library) dlclose(m_library);
}

bool NvmlMeter::read(Device& d) const {
    unsigned long long mj = 0;
    if (m_api->energy(d.handle, &mj) != 0) return false;
    d.last = mj;
    return true;
}

std::string NvmlMeter::source() const {
    // "nvml: 2 x NVIDIA H100 80GB HBM3, 1 x NVIDIA A100-SXM4-40GB"
    std::map<std::string, int> byName;
    for (const auto& d : m_devices)
        ++byName[d.name.empty() ? "GPU" : d.name];
    std::string s = "nvml:";
    for (const auto& [name, count] : byName)
        s += (s.size() > 5 ? ", " : " ") + std::to_string(count) + " x " + name;
    return s;
}

double NvmlMeter::joules() {
    double mj = 0;
    for (auto& d : m_devices) {
        read(d); // a failed read keeps the last value: the interval counts nothing
        mj += static_cast<double>(d.last - d.start);
    }
    return mj / 1000.0;
}

void NvmlMeter::restart() {
    for (auto& d : m_devices) {
        read(d);
        d.start = d.last;
    }
}

} // namespace gt::train
