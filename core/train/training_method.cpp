#include "core/train/training_method.h"

#include "core/green/budget.h"
#include "core/train/methods/badam_method.h"
#include "core/train/methods/freeze_out_method.h"
#include "core/train/methods/full_method.h"
#include "core/train/methods/green_trainer_method.h"
#include "core/train/methods/lisa_method.h"
#include "core/train/methods/lora_method.h"
#include "core/train/methods/prefix_method.h"
#include "core/train/methods/top_blocks_method.h"

#include <array>
#include <numeric>
#include <stdexcept>

namespace gt::train {
namespace {

template <typename M> std::unique_ptr<TrainingMethod> make(const MethodSetup& s) {
    return std::make_unique<M>(s);
}

struct MethodRow {
    Method method;
    std::unique_ptr<TrainingMethod> (*make)(const MethodSetup&);
    bool takesPins; ///< --include / --exclude mean something to it
};

// The registry: one row per method.
constexpr std::array<MethodRow, 8> kMethods{{
    {Method::Full, make<FullMethod>, false},
    {Method::GreenTrainer, make<GreenTrainerMethod>, true},
    {Method::TopBlocks, make<TopBlocksMethod>, false},
    {Method::Lora, make<LoraMethod>, false},
    {Method::Prefix, make<PrefixMethod>, false},
    {Method::Lisa, make<LisaMethod>, false},
    {Method::Badam, make<BadamMethod>, false},
    {Method::FreezeOut, make<FreezeOutMethod>, false},
}};

/// splitmix64: a full-period mix, so that nearby (seed, stream) pairs draw unrelated values.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

green::Plan TrainingMethod::restorePlan(green::Plan restored, const std::vector<double>&,
                                        int) const {
    return restored; // the trainer fills in the costs of a selection it restores
}

std::unique_ptr<TrainingMethod> makeTrainingMethod(const MethodSetup& setup) {
    const TrainOptions& o = setup.options;
    for (const MethodRow& row : kMethods) {
        if (row.method != o.method) continue;
        if (!row.takesPins && (!o.include.empty() || !o.exclude.empty()))
            throw std::invalid_argument(
                "pinned tensors (--include, --exclude) are for GreenTrainer, not " +
                methodName(o.method));
        return row.make(setup);
    }
    throw std::invalid_argument("training: method " + methodName(o.method) +
                                " has no implementation");
}

std::vector<int> seededSample(uint64_t seed, uint64_t stream, int n, int k) {
    std::vector<int> pool(static_cast<size_t>(n));
    std::iota(pool.begin(), pool.end(), 0);
    uint64_t state = mix(seed ^ mix(stream + 0x632be59bd9b4e019ULL));
    // Partial Fisher-Yates: position i takes a uniform draw from the n - i values left.
    for (int i = 0; i < k && i < n; ++i) {
        state = mix(state);
        const auto j = i + static_cast<int>(state % static_cast<uint64_t>(n - i));
        std::swap(pool[static_cast<size_t>(i)], pool[static_cast<size_t>(j)]);
    }
    pool.resize(static_cast<size_t>(std::min(n, std::max(k, 0))));
    return pool;
}

std::vector<uint8_t> blockSelection(const model::TensorCatalogue& catalogue,
                                    const std::vector<uint8_t>& blocks) {
    std::vector<uint8_t> selected(catalogue.size(), 0);
    for (size_t i = 0; i < catalogue.size(); ++i) {
        const int b = catalogue[i].block;
        selected[i] = b >= 0 && static_cast<size_t>(b) < blocks.size() && blocks[b];
    }
    return selected;
}

} // namespace gt::train
