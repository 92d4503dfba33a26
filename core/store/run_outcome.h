// What a stored run ended with, in one place: the figures `gt runs compare`, its seed groups
// and the Runs page put side by side (last train loss, the last evaluation's ROUGE and
// validation loss, planned MAC share of full fine-tuning, wall time, energy, CO2, peak memory).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gt::store {

class RunQueries;

struct RunOutcome {
    std::optional<double> trainLoss;              ///< the last "train/loss" point
    std::optional<double> rouge1, rouge2, rougeL; ///< the last evaluation's F1 x 100
    std::optional<double> valLoss;
    std::string evalSplit;          ///< the split of that evaluation ("" if none)
    std::optional<double> macShare; ///< planned MACs per step / full FT
    std::optional<double> wallSeconds, energyJoules, co2Grams;
    std::optional<double> peakMib; ///< the last "peak_rss_mib" point: resident high-water mark
};

/// One outcome figure by its stable key ("train_loss", "rouge1", ..., "co2_grams").
struct OutcomeField {
    const char* key;   ///< JSON key
    const char* label; ///< for tables
    const char* axis;  ///< short, for chart axes
    int decimals;      ///< printed with
    std::optional<double> RunOutcome::*value;
};

/// Every numeric field of RunOutcome, in display order.
const std::vector<OutcomeField>& outcomeFields();

/// Throws StoreError naming the store for an unknown id.
RunOutcome runOutcome(const RunQueries& store, int64_t runId);

} // namespace gt::store
