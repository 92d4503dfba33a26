#include "core/eval/evaluator.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace gt::eval {

EvalOptions paperGenerationPreset() {
    EvalOptions o;
    o.numBeams = 4;
    o.repetitionPenalty = 2.5;
    return o;
}

Evaluator::Evaluator(model::CausalLMImpl& model, const text::Tokenizer& tokenizer,
                     EvalOptions options)
    : m_model(model)
    , m_tok(tokenizer)
    , m_options(std::move(options)) {
    if (m_options.batchSize < 1) m_options.batchSize = 1;
}

std::vector<std::string> Evaluator::generate(const std::vector<const data::Example*>& batch,
                                             double& newTokens) {
    // Left padding, as generation continues every row at the same position.
    std::vector<std::vector<int64_t>> prompts;
    size_t longest = 0;
    for (const auto* e : batch) {
        prompts.push_back(
            data::encodePrompt(m_tok, e->source, m_options.prompt, m_options.maxNewTokens));
        longest = std::max(longest, prompts.back().size());
    }
    const int64_t eos = m_tok.eosId();
    const int64_t pad = m_tok.padId() >= 0 ? m_tok.padId() : std::max<int64_t>(eos, 0);
    const auto b = static_cast<int64_t>(batch.size()), s = static_cast<int64_t>(longest);
    auto ids = torch::full({b, s}, pad, torch::kLong);
    auto mask = torch::zeros({b, s}, torch::kLong);
    for (int64_t r = 0; r < b; ++r) {
        const auto& p = prompts[static_cast<size_t>(r)];
        const auto off = s - static_cast<int64_t>(p.size());
        ids[r].narrow(0, off, static_cast<int64_t>(p.size())).copy_(torch::tensor(p, torch::kLong));
        mask[r].narrow(0, off, static_cast<int64_t>(p.size())).fill_(1);
    }
    BeamOptions bo;
    bo.numBeams = m_options.numBeams;
    bo.maxNewTokens = m_options.maxNewTokens;
    bo.repetitionPenalty = m_options.repetitionPenalty;
    bo.lengthPenalty = m_options.lengthPenalty;
    bo.lengthOfNewTokens = m_options.lengthOfNewTokens;
    bo.noRepeatNgram = m_options.noRepeatNgram;
    bo.eosTokenId = eos;
    bo.padTokenId = pad;
    const auto seqs = eval::generate(m_model, ids, mask, bo).sequences;
    std::vector<std::string> out;
    const auto rows = seqs.narrow(1, s, seqs.size(1) - s).contiguous();
    for (int64_t r = 0; r < b; ++r) {
        std::vector<int64_t> fresh;
        const auto* p = rows[r].data_ptr<int64_t>();
        for (int64_t k = 0; k < rows.size(1); ++k) {
            if (p[k] == eos) break; // what follows EOS is padding
            fresh.push_back(p[k]);
        }
        newTokens += static_cast<double>(fresh.size());
        out.push_back(m_tok.decode(fresh, true));
    }
    return out;
}

EvalResult Evaluator::run(const std::vector<data::Example>& examples,
                          const std::function<void(size_t, size_t)>& onProgress,
                          const std::atomic<bool>* stop) {
    const auto t0 = std::chrono::steady_clock::now();
    EvalResult r;
    const bool wasTraining = m_model.is_training();
    m_model.eval();
    torch::NoGradGuard noGrad;
    double lossSum = 0;
    for (size_t first = 0; first < examples.size();
         first += static_cast<size_t>(m_options.batchSize)) {
        if (stop && stop->load()) {
            r.stopped = true;
            break;
        }
        std::vector<const data::Example*> batch;
        for (size_t i = first;
             i < std::min(examples.size(), first + static_cast<size_t>(m_options.batchSize)); ++i)
            batch.push_back(&examples[i]);
        const auto preds = generate(batch, r.generatedTokens);
        for (size_t k = 0; k < batch.size(); ++k) {
            ExampleResult e;
            e.prediction = preds[k];
            e.scores = rougeScoreMulti(e.prediction, batch[k]->targets, m_options.stem);
            if (m_options.computeLoss) {
                const auto x = data::encodeForTraining(m_tok, *batch[k], m_options.prompt);
                model::LmInput in;
                in.inputIds = torch::tensor(x.ids, torch::kLong).unsqueeze(0);
                in.labels = torch::tensor(x.labels, torch::kLong).unsqueeze(0);
                e.loss = m_model.forward(in).loss.item<double>();
                lossSum += e.loss;
            }
            r.examples.push_back(std::move(e));
        }
        if (onProgress) onProgress(r.examples.size(), examples.size());
    }
    if (wasTraining) m_model.train();
    std::vector<RougeScores> scores;
    for (const auto& e : r.examples)
        scores.push_back(e.scores);
    if (!scores.empty())
        r.rouge = aggregateRouge(scores, static_cast<int>(m_options.bootstrap), m_options.seed);
    r.meanLoss = m_options.computeLoss && !r.examples.empty()
                     ? lossSum / static_cast<double>(r.examples.size())
                     : std::numeric_limits<double>::quiet_NaN();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

} // namespace gt::eval
