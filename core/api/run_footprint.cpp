#include "core/api/run_footprint.h"

#include "core/api/builtin_resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace gt::api {
namespace {

train::EnergyOptions energyOptions(const FootprintOptions& o) {
    train::EnergyOptions e;
    if (o.powerWatts > 0) e.userWatts = o.powerWatts;
    e.cpuTable = resourcesDir() / "power" / "cpu-tdp.csv";
    return e;
}

std::optional<train::GridIntensity> gridFor(const FootprintOptions& o) {
    const int given = (o.gridIntensity >= 0) + !o.gridCountry.empty() + !o.gridTrace.empty();
    if (given > 1)
        throw std::invalid_argument(
            "give one grid intensity: --grid-intensity, --grid-country or --grid-trace");
    if (o.gridIntensity >= 0) return train::GridIntensity::constant(o.gridIntensity);
    if (!o.gridCountry.empty())
        return train::GridIntensity::country(o.gridCountry,
                                             resourcesDir() / "grid" / "country-intensity.csv");
    if (!o.gridTrace.empty()) {
        train::TraceClock clock;
        clock.speed = o.traceSpeed;
        if (!o.traceStart.empty()) clock.traceStart = train::parseIsoTime(o.traceStart);
        return train::GridIntensity::trace(o.gridTrace, clock);
    }
    return std::nullopt;
}

} // namespace

RunFootprint::RunFootprint(const FootprintOptions& o)
    : m_energy(energyOptions(o))
    , m_grid(gridFor(o)) {
    if (o.rhoSchedule == "carbon") {
        if (!m_grid || !m_grid->isTrace())
            throw std::invalid_argument(
                "--rho-schedule carbon needs a grid trace (--grid-trace FILE): a constant "
                "intensity would give every round the same rho");
        m_rule.emplace(m_grid->values(), o.rhoLow, o.rhoHigh);
    } else if (o.rhoSchedule == "budget") {
        if (!(o.energyBudgetKwh > 0) && !(o.carbonBudgetGrams > 0) && !(o.deadlineHours > 0))
            throw std::invalid_argument("--rho-schedule budget needs --energy-budget KWH, "
                                        "--carbon-budget G or --deadline HOURS");
        if (o.carbonBudgetGrams > 0 && !m_grid)
            throw std::invalid_argument("--carbon-budget needs a grid intensity (--grid-intensity, "
                                        "--grid-country or --grid-trace)");
        if ((o.energyBudgetKwh > 0 || o.carbonBudgetGrams > 0) && !m_energy.available())
            throw std::invalid_argument("an energy or carbon budget needs an energy figure: " +
                                        m_energy.why());
        if (!(o.rhoLow > 0) || !(o.rhoLow < o.rhoHigh) || !(o.rhoHigh <= 1))
            throw std::invalid_argument("the rho range must be LOW:HIGH with 0 < LOW < HIGH <= 1");
        m_budget = true;
        m_low = o.rhoLow;
        m_high = o.rhoHigh;
        m_energyBudgetJ = o.energyBudgetKwh * 3.6e6;
        m_carbonBudget = o.carbonBudgetGrams;
        m_deadline = o.deadlineHours * 3600;
    } else if (o.rhoSchedule != "fixed") {
        throw std::invalid_argument("--rho-schedule '" + o.rhoSchedule +
                                    "': expected fixed, carbon or budget");
    }
}

nlohmann::json footprintStateJson(const FootprintState& s) {
    nlohmann::json j{
        {"seconds", s.seconds},        {"joules", s.joules},          {"co2_g", s.co2},
        {"share_steps", s.shareSteps}, {"open_joules", s.openJoules}, {"open_co2_g", s.openCo2}};
    if (s.open) {
        const auto& r = *s.open;
        auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nullptr; };
        j["open_round"] = {{"round", r.round},
                           {"step", r.step},
                           {"rho", opt(r.rho)},
                           {"planned_share", r.plannedShare},
                           {"grid_g_per_kwh", opt(r.gridGPerKwh)},
                           {"planned_j", opt(r.plannedJoules)}};
    }
    return j;
}

FootprintState footprintStateFromJson(const nlohmann::json& j) {
    FootprintState s;
    if (!j.is_object()) return s;
    s.seconds = j.value("seconds", 0.0);
    s.joules = j.value("joules", 0.0);
    s.co2 = j.value("co2_g", 0.0);
    s.shareSteps = j.value("share_steps", 0.0);
    s.openJoules = j.value("open_joules", 0.0);
    s.openCo2 = j.value("open_co2_g", 0.0);
    if (const auto r = j.find("open_round"); r != j.end() && r->is_object()) {
        auto opt = [&](const char* key) {
            const auto v = r->find(key);
            return v != r->end() && v->is_number() ? std::optional<double>(v->get<double>())
                                                   : std::nullopt;
        };
        store::RoundRecord round;
        round.round = r->value("round", 0);
        round.step = r->value("step", int64_t{0});
        round.rho = opt("rho");
        round.plannedShare = r->value("planned_share", 0.0);
        round.gridGPerKwh = opt("grid_g_per_kwh");
        round.plannedJoules = opt("planned_j");
        s.open = round;
    }
    return s;
}

void RunFootprint::restart(const FootprintState& from) {
    m_energy.restart();
    m_baseJoules = m_joules = from.joules;
    m_co2 = from.co2;
    m_lastSeconds = from.seconds;
    m_shareSteps = from.shareSteps;
    m_open = from.open;
    m_openJoules = from.openJoules;
    m_openCo2 = from.openCo2;
    m_closed.reset();
    // A resumed round goes on: the next round's start closes it, as in one session.
    m_started = from.open.has_value();
}

FootprintState RunFootprint::state(double runSeconds) {
    sample(runSeconds);
    return {runSeconds, m_joules, m_co2, m_shareSteps, m_open, m_openJoules, m_openCo2};
}

void RunFootprint::sample(double runSeconds) {
    if (!m_energy.available()) {
        m_lastSeconds = runSeconds;
        return;
    }
    const double now = m_baseJoules + m_energy.joules();
    if (m_grid) {
        // The energy since the last sample at the intensity of the interval's midpoint.
        const double mid = (m_lastSeconds + runSeconds) / 2;
        m_co2 += (now - m_joules) / 3.6e6 * m_grid->at(mid);
    }
    m_joules = now;
    m_lastSeconds = runSeconds;
}

std::optional<double> RunFootprint::co2Grams() const {
    if (!m_grid || !m_energy.available()) return std::nullopt;
    return m_co2;
}

std::optional<double> RunFootprint::intensityAt(double runSeconds) const {
    if (!m_grid) return std::nullopt;
    return m_grid->at(runSeconds);
}

double RunFootprint::budgetRho(double runSeconds, int64_t stepsLeft) const {
    if (m_shareSteps <= 0 || stepsLeft <= 0) return m_low; // nothing measured yet
    const double perShareStep = m_joules / m_shareSteps;   // J per step per unit of share
    double rho = m_high;
    if (m_deadline > 0) {
        // Seconds per step per unit of share, probes and validation passes included: what
        // the rest of the run will also pay for.
        const double secondsPerShareStep = runSeconds / m_shareSteps;
        rho = std::min(rho, (m_deadline - runSeconds) /
                                (secondsPerShareStep * static_cast<double>(stepsLeft)));
    }
    if (m_energyBudgetJ > 0)
        rho = std::min(rho, (m_energyBudgetJ - m_joules) /
                                (perShareStep * static_cast<double>(stepsLeft)));
    if (m_carbonBudget > 0) {
        const double gPerJ = m_grid->at(runSeconds) / 3.6e6;
        if (gPerJ > 0)
            rho = std::min(rho, (m_carbonBudget - m_co2) /
                                    (gPerJ * perShareStep * static_cast<double>(stepsLeft)));
    }
    return std::clamp(rho, m_low, m_high); // below the range the budget cannot be kept
}

double RunFootprint::rhoAt(double runSeconds) const {
    if (!m_rule) throw std::logic_error("rhoAt without a carbon schedule");
    return m_rule->rho(m_grid->at(runSeconds));
}

void RunFootprint::roundStarts(double runSeconds) {
    sample(runSeconds);
    m_closed = endRound(runSeconds);
    if (m_started) {
        m_openJoules = m_joules;
        m_openCo2 = m_co2;
    }
    m_started = true; // the first round counts from the session's start (marks at 0)
}

std::vector<store::RoundRecord> RunFootprint::beginRound(store::RoundRecord round,
                                                         double runSeconds, int64_t plannedSteps) {
    if (!m_started) roundStarts(runSeconds);
    std::vector<store::RoundRecord> rows;
    if (m_closed) rows.push_back(*std::exchange(m_closed, std::nullopt));
    if (!round.gridGPerKwh) round.gridGPerKwh = intensityAt(runSeconds);
    // Calibrated from this run's own steps: joules per step per unit of planned share.
    if (m_energy.available() && m_shareSteps > 0 && plannedSteps > 0)
        round.plannedJoules =
            m_joules / m_shareSteps * round.plannedShare * static_cast<double>(plannedSteps);
    m_open = round;
    rows.push_back(round);
    return rows;
}

std::optional<store::RoundRecord> RunFootprint::endRound(double runSeconds) {
    if (!m_open) return std::nullopt;
    sample(runSeconds);
    store::RoundRecord r = *m_open;
    if (m_energy.available()) r.spentJoules = m_joules - m_openJoules;
    if (auto co2 = co2Grams()) r.co2Grams = *co2 - m_openCo2;
    m_open.reset();
    return r;
}

} // namespace gt::api
