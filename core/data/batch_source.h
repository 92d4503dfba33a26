// Where the trainer's batches come from: tokenized, padded, label-masked tensors. The dataset
// readers (core/data) implement it; tests use small synthetic sources.
#pragma once

#include <torch/torch.h>

#include <cstddef>

namespace gt::data {

/// The fields come in model::LmInput's order, so a batch feeds a forward pass as
/// {b.inputIds, b.attentionMask, b.labels}.
struct Batch {
    torch::Tensor inputIds;      ///< (B, N) int64
    torch::Tensor attentionMask; ///< (B, N) int64
    torch::Tensor labels;        ///< (B, N) int64, -100 where no loss
    int64_t tokens() const {
        return attentionMask.defined() ? attentionMask.sum().item<int64_t>() : inputIds.numel();
    }
};

class BatchSource {
public:
    virtual ~BatchSource() = default;
    /// Batches per epoch.
    virtual size_t size() const = 0;
    /// Batch `index` of epoch `epoch` (the source shuffles per epoch from its own seed).
    virtual Batch batch(size_t epoch, size_t index) const = 0;
};

} // namespace gt::data
