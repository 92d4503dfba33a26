#include "core/data/packed_corpus.h"

#include <stdexcept>

namespace gt::data {

PackedCorpus::PackedCorpus(const std::vector<int64_t>& tokens, int64_t seqLen, int64_t batchSize,
                           uint64_t seed)
    : m_batchSize(batchSize)
    , m_seed(seed) {
    if (seqLen < 2 || batchSize < 1)
        throw std::invalid_argument("packed corpus: sequence length >= 2 and batch >= 1");
    const auto n = static_cast<int64_t>(tokens.size()) / seqLen;
    if (n < batchSize)
        throw std::invalid_argument("packed corpus: " + std::to_string(tokens.size()) +
                                    " tokens make fewer than one batch of " +
                                    std::to_string(batchSize) + " x " + std::to_string(seqLen));
    m_blocks =
        torch::from_blob(const_cast<int64_t*>(tokens.data()), {n, seqLen}, torch::kInt64).clone();
}

size_t PackedCorpus::size() const {
    return static_cast<size_t>(blocks() / m_batchSize);
}

Batch PackedCorpus::batch(size_t epoch, size_t index) const {
    // A fresh permutation per epoch, reproducible from (seed, epoch) alone so that a resumed
    // run sees the same order.
    torch::Tensor order;
    {
        std::lock_guard lock(m_orderMutex);
        if (m_orderEpoch != epoch) {
            auto gen = at::detail::createCPUGenerator(m_seed * 1000003ULL + epoch);
            m_order = torch::randperm(blocks(), gen, torch::kInt64);
            m_orderEpoch = epoch;
        }
        order = m_order;
    }
    const auto idx = order.narrow(0, static_cast<int64_t>(index) * m_batchSize, m_batchSize);
    Batch b;
    b.inputIds = m_blocks.index_select(0, idx);
    b.attentionMask = torch::ones_like(b.inputIds);
    b.labels = b.inputIds;
    return b;
}

Batch PackedCorpus::blockRange(int64_t first, int64_t count) const {
    Batch b;
    b.inputIds = m_blocks.narrow(0, first, std::min(count, blocks() - first));
    b.attentionMask = torch::ones_like(b.inputIds);
    b.labels = b.inputIds;
    return b;
}

} // namespace gt::data
