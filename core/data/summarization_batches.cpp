#include "core/data/summarization_batches.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace gt::data {

EncodedExample encodeForTraining(const text::Tokenizer& tok, const Example& e,
                                 const PromptOptions& o) {
    std::vector<int64_t> head;
    if (tok.special().addBos && tok.bosId() >= 0) head.push_back(tok.bosId());
    auto src = tok.encode(e.source, false);
    const auto sep = tok.encode(o.separator, false);
    auto tgt = tok.encode(" " + e.targets.at(0), false);
    if (o.appendEos && tok.eosId() >= 0) tgt.push_back(tok.eosId());
    const auto fixed = static_cast<int64_t>(head.size() + sep.size());
    // the summary keeps at most half the length; the source gets what is left
    const int64_t tgtRoom = std::max<int64_t>(
        1, std::min<int64_t>(static_cast<int64_t>(tgt.size()), (o.maxLength - fixed) / 2));
    if (static_cast<int64_t>(tgt.size()) > tgtRoom &&
        static_cast<int64_t>(tgt.size()) + fixed + 1 > o.maxLength)
        tgt.resize(static_cast<size_t>(tgtRoom));
    const int64_t srcRoom =
        std::max<int64_t>(0, o.maxLength - fixed - static_cast<int64_t>(tgt.size()));
    if (static_cast<int64_t>(src.size()) > srcRoom) src.resize(static_cast<size_t>(srcRoom));
    EncodedExample x;
    x.ids = head;
    x.ids.insert(x.ids.end(), src.begin(), src.end());
    x.ids.insert(x.ids.end(), sep.begin(), sep.end());
    x.promptLength = x.ids.size();
    x.ids.insert(x.ids.end(), tgt.begin(), tgt.end());
    x.labels.assign(x.promptLength, -100);
    x.labels.insert(x.labels.end(), tgt.begin(), tgt.end());
    return x;
}

Seq2SeqExample encodeForSeq2Seq(const text::Tokenizer& tok, const Example& e,
                                int64_t maxSourceLength, int64_t maxTargetLength,
                                const std::string& prefix) {
    // Cut before the EOS so that a long source still ends with it, as HF truncation does.
    const int64_t eos = tok.eosId();
    auto cut = [eos](std::vector<int64_t> ids, int64_t limit) {
        const bool hadEos = eos >= 0 && !ids.empty() && ids.back() == eos;
        if (hadEos) ids.pop_back();
        const int64_t room = std::max<int64_t>(0, limit - (eos >= 0 ? 1 : 0));
        if (static_cast<int64_t>(ids.size()) > room) ids.resize(static_cast<size_t>(room));
        if (eos >= 0) ids.push_back(eos);
        return ids;
    };
    Seq2SeqExample x;
    x.inputIds = cut(tok.encode(prefix + e.source, false), maxSourceLength);
    x.labels = cut(tok.encode(e.targets.at(0), false), maxTargetLength);
    return x;
}

std::vector<int64_t> encodePrompt(const text::Tokenizer& tok, const std::string& source,
                                  const PromptOptions& o, int64_t maxNewTokens) {
    std::vector<int64_t> ids;
    if (tok.special().addBos && tok.bosId() >= 0) ids.push_back(tok.bosId());
    auto src = tok.encode(source, false);
    const auto sep = tok.encode(o.separator, false);
    const int64_t room = std::max<int64_t>(1, o.maxLength - maxNewTokens -
                                                  static_cast<int64_t>(ids.size() + sep.size()));
    if (static_cast<int64_t>(src.size()) > room) src.resize(static_cast<size_t>(room));
    ids.insert(ids.end(), src.begin(), src.end());
    ids.insert(ids.end(), sep.begin(), sep.end());
    return ids;
}

SummarizationBatches::SummarizationBatches(std::vector<EncodedExample> examples, int64_t batchSize,
                                           int64_t padId, uint64_t seed, bool shuffle,
                                           const PromptOptions& options)
    : m_examples(std::move(examples))
    , m_batch(batchSize)
    , m_pad(padId)
    , m_seed(seed)
    , m_shuffle(shuffle)
    , m_options(options) {
    if (m_examples.empty()) throw DataError("no examples to train on");
    if (batchSize <= 0) throw DataError("batch size must be positive");
}

size_t SummarizationBatches::size() const {
    return (m_examples.size() + static_cast<size_t>(m_batch) - 1) / static_cast<size_t>(m_batch);
}

int64_t SummarizationBatches::paddedLength() const {
    if (m_options.padToMaxLength) return m_options.maxLength;
    size_t longest = 0;
    for (const auto& e : m_examples)
        longest = std::max(longest, e.ids.size());
    return static_cast<int64_t>(longest);
}

Batch SummarizationBatches::batch(size_t epoch, size_t index) const {
    std::vector<size_t> order(m_examples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (m_shuffle) {
        std::mt19937_64 rng(m_seed * 1000003ULL + epoch);
        std::shuffle(order.begin(), order.end(), rng);
    }
    const size_t begin = index * static_cast<size_t>(m_batch);
    const size_t end = std::min(order.size(), begin + static_cast<size_t>(m_batch));
    size_t len = 0;
    for (size_t i = begin; i < end; ++i)
        len = std::max(len, m_examples[order[i]].ids.size());
    if (m_options.padToMaxLength) len = static_cast<size_t>(m_options.maxLength);
    const auto rows = static_cast<int64_t>(end - begin), cols = static_cast<int64_t>(len);
    auto ids = torch::full({rows, cols}, m_pad, torch::kLong);
    auto mask = torch::zeros({rows, cols}, torch::kLong);
    auto labels = torch::full({rows, cols}, -100, torch::kLong);
    for (int64_t r = 0; r < rows; ++r) {
        const auto& e = m_examples[order[begin + static_cast<size_t>(r)]];
        const auto n = static_cast<int64_t>(e.ids.size());
        ids[r].slice(0, 0, n).copy_(torch::tensor(e.ids, torch::kLong));
        labels[r].slice(0, 0, n).copy_(torch::tensor(e.labels, torch::kLong));
        mask[r].slice(0, 0, n).fill_(1);
    }
    return {ids, mask, labels};
}

} // namespace gt::data
