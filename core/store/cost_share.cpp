#include "core/store/cost_share.h"

namespace gt::store {
namespace {

std::optional<double> measured(const RunRecord& r, CostAxis axis) {
    return axis == CostAxis::TrainingTime ? r.wallSeconds : r.energyJoules;
}

/// The newest finished full-FT run of the same model and data with this measurement.
const RunRecord* reference(const RunRecord& run, const std::vector<RunRecord>& all, CostAxis axis) {
    const RunRecord* ref = nullptr;
    for (const RunRecord& f : all)
        if (f.method == "full" && f.status == RunStatus::Finished && f.modelPath == run.modelPath &&
            f.dataset == run.dataset && measured(f, axis) && (!ref || f.id > ref->id) &&
            (axis != CostAxis::MeasuredEnergy || f.energyMethod == run.energyMethod))
            ref = &f;
    return ref;
}

} // namespace

std::optional<double> costShare(const RunRecord& run, const std::vector<RunRecord>& all,
                                CostAxis axis) {
    if (run.status != RunStatus::Finished) return std::nullopt;
    if (axis == CostAxis::PlannedFlops) {
        if (!run.plannedMacs || !run.fullMacs || *run.fullMacs <= 0) return std::nullopt;
        return *run.plannedMacs / *run.fullMacs;
    }
    if (axis == CostAxis::EnergyKj)
        return run.energyJoules ? std::optional<double>(*run.energyJoules / 1000) : std::nullopt;
    if (axis == CostAxis::Co2Grams) return run.co2Grams;
    const RunRecord* ref = reference(run, all, axis);
    const auto own = measured(run, axis);
    if (!ref || !own || *measured(*ref, axis) <= 0) return std::nullopt;
    return *own / *measured(*ref, axis);
}

} // namespace gt::store
