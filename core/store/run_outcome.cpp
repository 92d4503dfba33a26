#include "core/store/run_outcome.h"

#include "core/store/run_queries.h"
#include "core/store/sqlite_db.h"

namespace gt::store {

const std::vector<OutcomeField>& outcomeFields() {
    static const std::vector<OutcomeField> fields{
        {"train_loss", "train loss (last)", "train loss", &RunOutcome::trainLoss},
        {"rouge1", "ROUGE-1", "ROUGE-1", &RunOutcome::rouge1},
        {"rouge2", "ROUGE-2", "ROUGE-2", &RunOutcome::rouge2},
        {"rougeL", "ROUGE-L", "ROUGE-L", &RunOutcome::rougeL},
        {"val_loss", "validation loss", "val loss", &RunOutcome::valLoss},
        {"mac_share", "MAC share of full FT", "MAC share", &RunOutcome::macShare},
        {"wall_seconds", "wall time (s)", "time (s)", &RunOutcome::wallSeconds},
        {"energy_joules", "energy (J)", "energy (J)", &RunOutcome::energyJoules},
        {"co2_grams", "CO2 (g)", "CO2 (g)", &RunOutcome::co2Grams},
    };
    return fields;
}

RunOutcome runOutcome(const RunQueries& store, int64_t runId) {
    const auto r = store.run(runId);
    if (!r) throw StoreError(store.file().string() + ": no run with id " + std::to_string(runId));
    RunOutcome o;
    for (const auto& m : store.lastMetrics(runId))
        if (m.name == "train/loss") o.trainLoss = m.value;
    if (const auto evals = store.evaluations(runId); !evals.empty()) {
        const Evaluation& e = evals.back();
        o.rouge1 = e.rouge1, o.rouge2 = e.rouge2, o.rougeL = e.rougeL, o.valLoss = e.valLoss;
        o.evalSplit = e.split;
    }
    if (r->plannedMacs && r->fullMacs && *r->fullMacs > 0)
        o.macShare = *r->plannedMacs / *r->fullMacs;
    o.wallSeconds = r->wallSeconds, o.energyJoules = r->energyJoules, o.co2Grams = r->co2Grams;
    return o;
}

} // namespace gt::store
