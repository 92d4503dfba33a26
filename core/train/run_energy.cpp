#include "core/train/run_energy.h"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>

namespace gt::train {

int visibleThreads() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    return std::max(1, CPU_COUNT(&set));
}

RunEnergy::RunEnergy(const EnergyOptions& o)
    : m_meter(o.powercapRoot)
    , m_threads(o.visibleThreads > 0 ? o.visibleThreads : visibleThreads()) {
    if (o.userWatts) {
        m_model = userPowerModel(*o.userWatts);
    } else if (o.gpu) {
        m_gpu = std::make_unique<NvmlMeter>();
        if (m_gpu->available()) {
            m_method = "measured:nvml";
            m_detail = m_gpu->source() + " (the GPUs only, not the host CPU)";
        } else {
            m_why = "a GPU run is measured by NVML, which is not available: " + m_gpu->why() +
                    "; give --power-watts for an estimate";
        }
    } else if (m_meter.available()) {
        m_method = "measured:rapl";
        m_detail = m_meter.source();
    } else {
        const std::string cpu = cpuModelName(o.cpuinfo);
        try {
            m_model = cpuPowerModel(cpu, m_threads, o.cpuTable);
        } catch (const std::exception& e) {
            m_why = e.what();
        }
    }
    if (m_model) {
        m_method = m_model->method;
        m_detail = m_model->detail;
    }
    restart();
}

double RunEnergy::processCpuSeconds() const {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

double RunEnergy::joules() {
    if (m_method == "measured:rapl") return m_meter.joules();
    if (m_method == "measured:nvml") return m_gpu->joules();
    if (!m_model) return 0;
    // The power model over the interval since the last reading, at the interval's utilisation.
    const auto now = Clock::now();
    const double wall = std::chrono::duration<double>(now - m_last).count();
    const double cpu = processCpuSeconds();
    if (wall > 0) {
        const double utilisation = (cpu - m_lastCpu) / (wall * m_threads);
        m_estimated += m_model->watts(utilisation) * wall;
    }
    m_last = now;
    m_lastCpu = cpu;
    return m_estimated;
}

void RunEnergy::restart() {
    m_meter.restart();
    if (m_gpu) m_gpu->restart();
    m_last = Clock::now();
    m_lastCpu = processCpuSeconds();
    m_estimated = 0;
}

} // namespace gt::train
