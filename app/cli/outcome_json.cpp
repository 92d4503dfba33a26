#include "app/cli/outcome_json.h"

#include "core/api/training_job.h"

namespace gt::cli {

nlohmann::json outcomeJson(const api::TrainOutcome& o) {
    nlohmann::json j = {{"run_id", o.runId},
                        {"stopped", o.stopped},
                        {"steps", o.steps},
                        {"wall_seconds", o.wallSeconds},
                        {"last_loss", o.lastLoss},
                        {"planned_share", o.plannedShare},
                        {"planned_macs", o.plannedMacs},
                        {"full_macs_per_step", o.fullMacsPerStep},
                        {"peak_rss_bytes", o.peakRssBytes},
                        {"plan", o.message}};
    if (o.headroom) {
        j["min_rho"] = o.headroom->minRho;
        j["spare_backward_share"] = o.headroom->spareBackwardShare;
    }
    if (o.validationLoss)
        j["validation"] = {{"loss", *o.validationLoss},
                           {"rouge1", o.rouge1.value_or(0)},
                           {"rouge2", o.rouge2.value_or(0)},
                           {"rougeL", o.rougeL.value_or(0)}};
    if (o.energyJoules) {
        j["energy_joules"] = *o.energyJoules;
        j["energy_method"] = o.energyMethod;
        j["energy_source"] = o.energySource;
    }
    if (o.co2Grams) {
        j["co2_grams"] = *o.co2Grams;
        j["grid_source"] = o.gridSource;
    }
    if (o.preflight) j["preflight"] = api::preflightJson(*o.preflight);
    if (!o.checkpointDir.empty()) j["checkpoint_dir"] = o.checkpointDir;
    return j;
}

} // namespace gt::cli
