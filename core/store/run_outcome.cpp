#include "core/store/run_outcome.h"

#include "core/store/run_queries.h"
#include "core/store/sqlite_db.h"

namespace gt::store {

const std::vector<OutcomeField>& outcomeFields() {
    static const std::vector<OutcomeField> fields{
        {"train_loss", "train loss (last)", "train loss", 4, &RunOutcome::trainLoss},
        {"rouge1", "ROUGE-1", "ROUGE-1", 2, &RunOutcome::rouge1},
        {"rouge2", "ROUGE-2", "ROUGE-2", 2, &RunOutcome::rouge2},
        {"rougeL", "ROUGE-L", "ROUGE-L", 2, &RunOutcome::rougeL},
        {"val_loss", "validation loss", "val loss", 4, &RunOutcome::valLoss},
        {"mac_share", "MAC share of full FT", "MAC share", 3, &RunOutcome::macShare},
        {"wall_seconds", "wall time (s)", "time (s)", 1, &RunOutcome::wallSeconds},
        {"energy_joules", "energy (J)", "energy (J)", 0, &RunOutcome::energyJoules},
        {"co2_grams", "CO2 (g)", "CO2 (g)", 3, &RunOutcome::co2Grams},
        {"peak_mib", "peak memory (MiB)", "peak MiB", 0, &RunOutcome::peakMib},
    };
    return fields;
}

RunOutcome runOutcome(const RunQueries& store, int64_t runId) {
    const auto r = store.run(runId);
    if (!r) throw StoreError(store.file().string() + ": no run with id " + std::to_string(runId));
    RunOutcome o;
    for (const auto& m : store.lastMetrics(runId)) {
        if (m.name == "train/loss") o.trainLoss = m.value;
        if (m.name == "peak_rss_mib") o.peakMib = m.value;
    }
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
