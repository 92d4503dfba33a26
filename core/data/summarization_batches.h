// Decoder-only summarisation examples as the paper builds them: "{source} TL;DR: {summary}",
// the source cut (in tokens) so that everything fits the length, an EOS after the summary by
// default (the paper left it out, so generation ran to the length limit; `appendEos = false`
// reproduces that), labels -100 on the prompt and the padding. Batches are right-padded for
// training and shuffled per epoch from a seed.
#pragma once

#include "core/data/batch_source.h"
#include "core/data/dataset.h"
#include "core/text/tokenizer.h"

namespace gt::data {

struct PromptOptions {
    int64_t maxLength = 512; ///< prompt + summary (+ EOS), in tokens
    bool appendEos = true;
    std::string separator = " TL;DR:"; ///< the summary follows as " {summary}"
    bool padToMaxLength = false; ///< pad every batch to maxLength (the paper) or to its longest
};

struct EncodedExample {
    std::vector<int64_t> ids;    ///< prompt then summary
    std::vector<int64_t> labels; ///< -100 on the prompt
    size_t promptLength = 0;
};

EncodedExample encodeForTraining(const text::Tokenizer& tok, const Example& e,
                                 const PromptOptions& o);
/// Encoder-decoder input (T5): encoder ids "summarize: {source}" cut to `maxSourceLength`
/// with the tokenizer's EOS, decoder labels "{summary}" + EOS cut to `maxTargetLength`.
struct Seq2SeqExample {
    std::vector<int64_t> inputIds, labels;
};
Seq2SeqExample encodeForSeq2Seq(const text::Tokenizer& tok, const Example& e,
                                int64_t maxSourceLength, int64_t maxTargetLength,
                                const std::string& prefix = "summarize: ");

/// The generation prompt: BOS (if the tokenizer adds one), source cut to fit, separator.
std::vector<int64_t> encodePrompt(const text::Tokenizer& tok, const std::string& source,
                                  const PromptOptions& o, int64_t maxNewTokens);

class SummarizationBatches : public BatchSource {
public:
    SummarizationBatches(std::vector<EncodedExample> examples, int64_t batchSize, int64_t padId,
                         uint64_t seed, bool shuffle, const PromptOptions& options);
    size_t size() const override;
    Batch batch(size_t epoch, size_t index) const override;
    int64_t paddedLength() const; ///< length a batch is padded to at most (cost shape)

private:
    std::vector<EncodedExample> m_examples;
    int64_t m_batch, m_pad;
    uint64_t m_seed;
    bool m_shuffle;
    PromptOptions m_options;
};

} // namespace gt::data
