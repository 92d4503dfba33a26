// A run's energy and carbon, and the carbon-aware rho that follows from them: the energy
// method (measured:rapl, estimated:cpu-model, estimated:user-watts; never mixed), the grid
// intensity (a number, a country's annual average or a trace), the CO2 of every step, and
// per selection round the rho the grid asks for and the energy the round plans and spends.
// Torch-free: the training session drives it.
#pragma once

#include "core/green/rho_schedule.h"
#include "core/store/run_records.h"
#include "core/train/grid_intensity.h"
#include "core/train/run_energy.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace gt::api {

/// What a job says about energy and carbon (stored with the run's configuration).
struct FootprintOptions {
    double powerWatts = 0;     ///< > 0: estimated:user-watts instead of a counter or the table
    double gridIntensity = -1; ///< >= 0: a constant, g/kWh
    std::string gridCountry;   ///< ISO 3166 alpha-3 or name (resources/grid/country-intensity.csv)
    std::string gridTrace;     ///< CSV: time, g_per_kwh
    std::string traceStart;    ///< ISO 8601: the trace time at the run's start (empty: the rule)
    double traceSpeed = 1.0;   ///< trace seconds per wall second
    std::string rhoSchedule = "fixed";  ///< "fixed", "carbon" or "budget"
    double rhoLow = 0.5, rhoHigh = 0.9; ///< the carbon and budget schedules' range
    double energyBudgetKwh = 0;         ///< "budget": the run's energy may not exceed this
    double carbonBudgetGrams = 0;       ///< "budget": nor its CO2 this (needs a grid intensity)
    double deadlineHours = 0;           ///< "budget": nor its training time this
};

/// Where a run's footprint stood at a checkpoint, so that a resumed session continues the
/// run's clock (and with it the grid trace), its energy and CO2 totals, the budget and the
/// open selection round instead of starting them again. What a crashed session spent after
/// its last checkpoint is not known and not counted.
struct FootprintState {
    double seconds = 0;                     ///< the run's training time so far (all sessions)
    double joules = 0;                      ///< energy so far
    double co2 = 0;                         ///< gCO2e so far
    double shareSteps = 0;                  ///< sum over steps of their planned share
    std::optional<store::RoundRecord> open; ///< the round in force, with its starting marks
    double openJoules = 0, openCo2 = 0;
};

/// The state as a checkpoint's JSON keeps it, and back (missing keys: an older checkpoint,
/// read as a run that starts its footprint at the checkpoint).
nlohmann::json footprintStateJson(const FootprintState& state);
FootprintState footprintStateFromJson(const nlohmann::json& json);

class RunFootprint {
public:
    /// Throws naming the option for a bad combination (carbon without a trace, two grid
    /// sources) and naming the file for an unreadable table or trace.
    explicit RunFootprint(const FootprintOptions& options);

    const train::RunEnergy& energy() const { return m_energy; }
    bool hasGrid() const { return m_grid.has_value(); }
    const std::optional<train::GridIntensity>& grid() const { return m_grid; }
    bool carbonAware() const { return m_rule.has_value(); }
    bool budgeted() const { return m_budget; }
    /// The budget schedule's rho for a round that begins now with `stepsLeft` steps to go:
    /// the highest in the range whose predicted total stays within every budget, predicted
    /// from the joules and seconds per step per unit of planned share measured so far (and,
    /// for carbon, the intensity now). The first round, with nothing measured, runs at the
    /// low end. `runSeconds` counts from the run's start, across resumes.
    double budgetRho(double runSeconds, int64_t stepsLeft) const;
    const std::optional<green::CarbonRhoRule>& rule() const { return m_rule; }

    /// Starts counting now (the session's clock starts with it), from nothing or from where a
    /// checkpoint left the run.
    void restart(const FootprintState& from = {});
    /// What a checkpoint keeps, `runSeconds` into the run.
    FootprintState state(double runSeconds);
    /// After a step, `runSeconds` into the run: the energy and CO2 so far.
    void sample(double runSeconds);
    double joules() const { return m_joules; }
    std::optional<double> co2Grams() const;
    std::optional<double> intensityAt(double runSeconds) const;
    /// The carbon schedule's rho `runSeconds` into the run.
    double rhoAt(double runSeconds) const;

    /// A selection round begins (before its probe): closes the open round at this moment.
    /// The first round of a session also takes what came before it, so the rounds add up to
    /// the session's totals.
    void roundStarts(double runSeconds);
    /// The round's plan is made: its row, with the planned energy from the joules per unit of
    /// planned share measured so far. Its intensity is the one at `runSeconds` unless the row
    /// has one (the moment its rho was chosen). Returns the rows to store: the round closed
    /// by roundStarts (if any), then this one.
    std::vector<store::RoundRecord> beginRound(store::RoundRecord round, double runSeconds,
                                               int64_t plannedSteps);
    /// The run ends (or stops): the open round's cost, if any.
    std::optional<store::RoundRecord> endRound(double runSeconds);
    /// Per step, for the calibration: the step's planned share of full fine-tuning.
    void countStep(double plannedShare) { m_shareSteps += plannedShare; }

private:
    train::RunEnergy m_energy;
    std::optional<train::GridIntensity> m_grid;
    std::optional<green::CarbonRhoRule> m_rule;
    bool m_budget = false;
    double m_low = 0, m_high = 1, m_energyBudgetJ = 0, m_carbonBudget = 0, m_deadline = 0;
    double m_baseJoules = 0; ///< what earlier sessions spent (the meter counts this one)
    double m_joules = 0, m_co2 = 0, m_lastSeconds = 0;
    double m_shareSteps = 0; ///< sum over steps of their planned share
    std::optional<store::RoundRecord> m_open, m_closed;
    double m_openJoules = 0, m_openCo2 = 0;
    bool m_started = false; ///< a round has started in this session
};

} // namespace gt::api
