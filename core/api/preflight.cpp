#include "core/api/preflight.h"

#include "core/api/builtin_resources.h"
#include "core/train/power_model.h"
#include "core/train/run_energy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gt::api {
namespace {

/// Blocks whose activations the backward pass keeps: from the deepest trained tensor's block
/// to the last. A trained embedding or position table reaches every block; a trained final
/// norm or LM head none.
int blocksReached(const model::TensorCatalogue& catalogue, const green::Plan& plan, int layers) {
    if (plan.deepest < 0) return 0;
    const auto& t = catalogue[static_cast<size_t>(plan.deepest)];
    if (t.block >= 0) return layers - t.block;
    using R = model::TensorRole;
    const bool below = t.role == R::Embed || t.role == R::Position || t.role == R::EmbedNorm ||
                       t.role == R::ProjectIn;
    return below ? layers : 0;
}

std::string mib(double bytes) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(0);
    s << bytes / (1024.0 * 1024.0) << " MiB";
    return s.str();
}

std::string fixed(double v, int digits) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(digits);
    s << v;
    return s.str();
}

/// Three significant digits: a short run's CO2 is a few milligrams.
std::string grams(double g) {
    std::ostringstream s;
    s.precision(3);
    s << g;
    return s.str();
}

std::string duration(double seconds) {
    const auto s = static_cast<int64_t>(std::llround(seconds));
    std::ostringstream o;
    if (s >= 3600)
        o << s / 3600 << " h " << (s % 3600) / 60 << " min";
    else if (s >= 60)
        o << s / 60 << " min " << s % 60 << " s";
    else
        o << fixed(seconds, seconds < 10 ? 2 : 1) << " s";
    return o.str();
}

/// The grid's mean intensity over the first `seconds` of the run (64 samples on a trace).
std::optional<double> meanIntensity(const RunFootprint& f, double seconds) {
    if (!f.hasGrid()) return std::nullopt;
    constexpr int n = 64;
    double sum = 0;
    for (int i = 0; i < n; ++i)
        sum += *f.intensityAt(seconds * (i + 0.5) / n);
    return sum / n;
}

/// The power figure a prediction uses: the user's, else the CPU model at full utilisation
/// (a counter cannot predict; the run's measurement replaces this after its first steps).
std::optional<train::PowerModel> powerFor(const PreflightInput& in, std::string& why) {
    if (in.footprint.powerWatts > 0) return train::userPowerModel(in.footprint.powerWatts);
    try {
        return train::cpuPowerModel(train::cpuModelName(),
                                    in.threads > 0 ? in.threads : train::visibleThreads(),
                                    resourcesDir() / "power" / "cpu-tdp.csv");
    } catch (const std::exception& e) {
        why = e.what();
        return std::nullopt;
    }
}

} // namespace

MemoryEstimate estimateTrainingMemory(const io::ModelConfig& c,
                                      const model::TensorCatalogue& catalogue,
                                      const green::CostShape& shape, const green::Plan& plan) {
    MemoryEstimate m;
    int64_t trained = 0;
    for (size_t i = 0; i < catalogue.size(); ++i) {
        m.weights += 4 * catalogue[i].numel();
        if (i < plan.selected.size() && plan.selected[i]) trained += catalogue[i].numel();
    }
    m.gradients = 4 * trained;
    m.optimizer = 8 * trained; // AdamW's two moments, created for trained tensors only
    m.blocksReached = blocksReached(catalogue, plan, static_cast<int>(c.numLayers));
    // Saved per token and block, in floats: the norms' inputs and outputs, q, k, v, the
    // attention output (about 8 D), the FFN's two F-wide activations, and softmax's output
    // and dropout mask (2 H N): the usual transformer activation count (Korthikanti et al.,
    // 2022) in float32.
    const int64_t tokens = shape.batch * shape.seqLen;
    const int64_t perToken = 8 * c.hiddenSize + 2 * c.ffnDim + 2 * c.numHeads * shape.seqLen;
    m.activations = 4 * perToken * tokens * m.blocksReached;
    // The logits, their log-softmax and its gradient exist whatever trains.
    m.logits = 3 * 4 * tokens * c.vocabSize;
    return m;
}

PreflightCard preflight(const PreflightInput& in) {
    PreflightCard card;
    const double rate = in.gemmGflops * 1e9 * kTrainingGemmEfficiency;
    card.secondsPerStep = rate > 0 ? 2 * in.plan.plannedMacs / rate : 0;
    card.totalSeconds = card.secondsPerStep * static_cast<double>(in.steps);
    card.timeBasis = "estimated: 2 x " + fixed(in.plan.plannedMacs / 1e9, 1) +
                     " GMAC planned per step at " + fixed(100 * kTrainingGemmEfficiency, 0) +
                     "% of the measured GEMM rate (" + fixed(in.gemmGflops, 1) + " GFLOP/s)";
    const MemoryEstimate m = estimateTrainingMemory(in.config, in.catalogue, in.shape, in.plan);
    card.peakBytes = in.runtimeBytes + m.total();
    card.memoryBasis =
        "estimated: runtime " + mib(static_cast<double>(in.runtimeBytes)) + " + weights " +
        mib(static_cast<double>(m.weights)) + " + gradients and AdamW state " +
        mib(static_cast<double>(m.gradients + m.optimizer)) + " + activations of " +
        std::to_string(m.blocksReached) + " blocks " + mib(static_cast<double>(m.activations)) +
        " + logits " + mib(static_cast<double>(m.logits));
    std::string why;
    if (const auto power = powerFor(in, why)) {
        card.joules = power->watts(1.0) * card.totalSeconds;
        card.energyMethod = power->method;
        card.energyBasis = fixed(power->watts(1.0), 1) + " W busy: " + power->detail;
    } else {
        card.energyBasis = why;
    }
    FootprintOptions grid = in.footprint;
    grid.rhoSchedule = "fixed"; // the card predicts one plan; the grid is all it needs here
    const RunFootprint footprint(grid);
    card.gridGPerKwh = meanIntensity(footprint, card.totalSeconds);
    if (footprint.grid()) card.gridSource = footprint.grid()->source();
    if (card.joules && card.gridGPerKwh) card.co2Grams = *card.joules / 3.6e6 * *card.gridGPerKwh;
    return card;
}

PreflightCard recalibrate(PreflightCard card, int64_t stepsMeasured, double secondsPerStep,
                          std::optional<double> joulesPerStep, const std::string& energyMethod,
                          int64_t stepsTotal, int64_t peakBytes) {
    PreflightCard::Measured m;
    m.steps = stepsMeasured;
    m.secondsPerStep = secondsPerStep;
    m.totalSeconds = secondsPerStep * static_cast<double>(stepsTotal);
    m.joulesPerStep = joulesPerStep;
    if (joulesPerStep) m.joules = *joulesPerStep * static_cast<double>(stepsTotal);
    if (m.joules && card.gridGPerKwh) m.co2Grams = *m.joules / 3.6e6 * *card.gridGPerKwh;
    m.energyMethod = energyMethod;
    m.peakBytes = peakBytes;
    card.measured = m;
    return card;
}

std::string preflightText(const PreflightCard& c) {
    std::ostringstream o;
    const auto row = [&](const std::string& key, const std::string& value) {
        o << "  " << key << std::string(key.size() < 14 ? 14 - key.size() : 1, ' ') << value
          << "\n";
    };
    row("time", duration(c.secondsPerStep) + " per step, " + duration(c.totalSeconds) +
                    " in all (" + c.timeBasis + ")");
    row("peak memory", mib(static_cast<double>(c.peakBytes)) + " (" + c.memoryBasis + ")");
    row("energy", c.joules ? fixed(*c.joules / 1000, 2) + " kJ, " + c.energyMethod + " (" +
                                 c.energyBasis + ")"
                           : "none: " + c.energyBasis);
    row("CO2", c.co2Grams ? grams(*c.co2Grams) + " gCO2e at " + fixed(*c.gridGPerKwh, 0) +
                                " g/kWh (" + c.gridSource + ")"
               : c.gridSource.empty() ? "no grid intensity given (--grid-intensity, "
                                        "--grid-country or --grid-trace)"
                                      : "no energy figure");
    if (c.measured) {
        const auto& m = *c.measured;
        row("measured", "over " + std::to_string(m.steps) +
                            " steps: " + duration(m.secondsPerStep) + " per step (predicted " +
                            duration(c.secondsPerStep) + "), " + duration(m.totalSeconds) +
                            " in all");
        if (m.joules)
            row("", fixed(*m.joulesPerStep, 1) + " J per step, " + fixed(*m.joules / 1000, 2) +
                        " kJ in all, " + m.energyMethod +
                        (m.co2Grams ? ", " + grams(*m.co2Grams) + " gCO2e" : ""));
        row("", "peak memory so far " + mib(static_cast<double>(m.peakBytes)));
    }
    return o.str();
}

nlohmann::json preflightJson(const PreflightCard& c) {
    auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nullptr; };
    nlohmann::json j{{"seconds_per_step", c.secondsPerStep},
                     {"total_seconds", c.totalSeconds},
                     {"time_basis", c.timeBasis},
                     {"peak_bytes", c.peakBytes},
                     {"memory_basis", c.memoryBasis},
                     {"energy_joules", opt(c.joules)},
                     {"energy_method", c.energyMethod},
                     {"energy_basis", c.energyBasis},
                     {"co2_grams", opt(c.co2Grams)},
                     {"grid_g_per_kwh", opt(c.gridGPerKwh)},
                     {"grid_source", c.gridSource}};
    if (c.measured) {
        const auto& m = *c.measured;
        j["measured"] = {{"steps", m.steps},
                         {"seconds_per_step", m.secondsPerStep},
                         {"total_seconds", m.totalSeconds},
                         {"joules_per_step", opt(m.joulesPerStep)},
                         {"energy_joules", opt(m.joules)},
                         {"energy_method", m.energyMethod},
                         {"co2_grams", opt(m.co2Grams)},
                         {"peak_bytes", m.peakBytes}};
    }
    return j;
}

} // namespace gt::api
