// Pretraining batches: a corpus tokenized into one stream (documents separated by EOS), cut
// into blocks of `seqLen` tokens with no padding, shuffled per epoch from a seed.
#pragma once

#include "core/data/batch_source.h"

#include <cstdint>
#include <mutex>
#include <vector>

namespace gt::data {

class PackedCorpus : public BatchSource {
public:
    /// Throws std::invalid_argument when `tokens` holds less than one batch of blocks.
    PackedCorpus(const std::vector<int64_t>& tokens, int64_t seqLen, int64_t batchSize,
                 uint64_t seed);
    size_t size() const override;
    Batch batch(size_t epoch, size_t index) const override;
    int64_t blocks() const { return m_blocks.size(0); }
    /// Blocks [first, first + count) in stream order (for evaluation), as one batch.
    Batch blockRange(int64_t first, int64_t count) const;

private:
    torch::Tensor m_blocks; ///< (blocks, seqLen) int64
    // The epoch's permutation, made once per epoch rather than once per batch.
    mutable std::mutex m_orderMutex;
    mutable size_t m_orderEpoch = static_cast<size_t>(-1);
    mutable torch::Tensor m_order;
    int64_t m_batchSize;
    uint64_t m_seed;
};

} // namespace gt::data
