// The evaluator on a real tiny model: batched left-padded generation equals one-by-one
// generation, scores are rouge_score's (max over references), the loss is the model's,
// progress is reported and the stop flag ends the pass early.
#include "core/eval/evaluator.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

using namespace gt;

class TestEvaluator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void batchedEqualsOneByOne();
    void beamPresetAndStop();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<model::CausalLMImpl> m_model;
    std::unique_ptr<text::Tokenizer> m_tok;
    std::vector<data::Example> m_examples;
};

void TestEvaluator::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_dir.path()));
    model::configureTorchThreads(1);
    m_model = model::loadCausalLM(m_dir.path().toStdString());
    m_tok = text::Tokenizer::load(m_dir.path().toStdString());
    const char* sources[] = {"the cat sat on the mat and looked at the door",
                             "a tool to convert files",
                             "this library reads and writes archives of many kinds quickly",
                             "hello", "an editor for text with syntax colours and plugins"};
    for (int i = 0; i < 5; ++i)
        m_examples.push_back({sources[i], {"a short summary", "the cat sat"}});
}

void TestEvaluator::batchedEqualsOneByOne() {
    eval::EvalOptions o;
    o.prompt.maxLength = 64;
    o.maxNewTokens = 6;
    o.bootstrap = 0;
    o.batchSize = 4; // one full batch of 4 with left padding, then a batch of 1
    std::vector<std::pair<size_t, size_t>> progress;
    const auto batched =
        eval::Evaluator(*m_model, *m_tok, o).run(m_examples, [&](size_t d, size_t t) {
            progress.emplace_back(d, t);
        });
    QCOMPARE(progress.size(), size_t(2));
    QCOMPARE(progress.back(), (std::pair<size_t, size_t>{5, 5}));
    o.batchSize = 1;
    const auto single = eval::Evaluator(*m_model, *m_tok, o).run(m_examples);
    QCOMPARE(batched.examples.size(), size_t(5));
    double mean1 = 0;
    for (size_t i = 0; i < 5; ++i) {
        QCOMPARE(batched.examples[i].prediction, single.examples[i].prediction);
        const auto want =
            eval::rougeScoreMulti(batched.examples[i].prediction, m_examples[i].targets, false);
        QCOMPARE(batched.examples[i].scores.rouge1.fmeasure, want.rouge1.fmeasure);
        mean1 += want.rouge1.fmeasure / 5;
        QVERIFY(std::isfinite(batched.examples[i].loss) && batched.examples[i].loss > 0);
        QVERIFY(std::abs(batched.examples[i].loss - single.examples[i].loss) < 1e-5);
    }
    QVERIFY(std::abs(batched.rouge.mean.rouge1.fmeasure - mean1) < 1e-12);
    QVERIFY(batched.generatedTokens > 0);
}

void TestEvaluator::beamPresetAndStop() {
    auto o = eval::paperGenerationPreset();
    QCOMPARE(o.numBeams, int64_t(4));
    QCOMPARE(o.repetitionPenalty, 2.5);
    o.prompt.maxLength = 64;
    o.maxNewTokens = 4;
    o.batchSize = 2;
    o.bootstrap = 0;
    std::atomic<bool> stop{false};
    const auto r = eval::Evaluator(*m_model, *m_tok, o)
                       .run(
                           m_examples, [&](size_t, size_t) { stop = true; }, &stop);
    QVERIFY(r.stopped);
    QCOMPARE(r.examples.size(), size_t(2)); // the first batch, then the flag
}

QTEST_GUILESS_MAIN(TestEvaluator)
#include "tst_evaluator.moc"
