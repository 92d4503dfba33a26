// Deterministic random token batches for trainer tests: a batch per (epoch, index) drawn from
// its own seed (so epochs reshuffle), or one batch over and over; the last row's final three
// tokens are padding (mask 0, label -100).
#pragma once

#include "core/data/batch_source.h"

#include <torch/torch.h>

namespace gt::test {

class RandomBatches : public data::BatchSource {
public:
    RandomBatches(int64_t vocab, size_t count, int64_t batch, int64_t len, bool fixed = false)
        : m_vocab(vocab)
        , m_count(count)
        , m_batch(batch)
        , m_len(len)
        , m_fixed(fixed) {}
    size_t size() const override { return m_count; }
    data::Batch batch(size_t epoch, size_t index) const override {
        torch::manual_seed(static_cast<uint64_t>(m_fixed ? 7 : 1000 * epoch + index));
        data::Batch b;
        b.inputIds = torch::randint(3, m_vocab, {m_batch, m_len}, torch::kLong);
        b.attentionMask = torch::ones_like(b.inputIds);
        b.attentionMask.index_put_({-1, torch::indexing::Slice(m_len - 3)}, 0);
        b.labels = b.inputIds.masked_fill(b.attentionMask == 0, -100);
        return b;
    }

private:
    int64_t m_vocab;
    size_t m_count;
    int64_t m_batch, m_len;
    bool m_fixed;
};

} // namespace gt::test
