// Every decoder architecture against the Hugging Face reference (../shared/fixtures/hf):
// logits, hidden states, loss, every parameter gradient, and greedy generation with and
// without the KV cache, single and batched with left padding. Tolerances from
// ../shared/README.md.
#include "core/eval/generator.h"
#include "core/io/weight_store.h"
#include "core/model/causal_lm.h"
#include "core/model/tensor_catalogue.h"
#include "core/model/threads.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <fstream>

using namespace gt;

class TestCausalLmGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void forwardLossAndGradients_data();
    void forwardLossAndGradients();
    void greedyGeneration_data();
    void greedyGeneration();
    void parametersFollowTheCatalogue_data();
    void parametersFollowTheCatalogue();

private:
    void addFixtures();
};

namespace {

struct Fixture {
    std::shared_ptr<model::CausalLMImpl> model;
    io::SafetensorsFile expected;
    nlohmann::json info;
    torch::Tensor get(const std::string& name) const {
        const io::TensorView* v = expected.find(name);
        if (!v) throw std::runtime_error("expected.safetensors lacks " + name);
        return model::tensorFromView(*v).clone();
    }
};

Fixture load(const QString& dir) {
    std::ifstream in((dir + "/expected.json").toStdString());
    return {model::loadCausalLM(dir.toStdString()),
            io::SafetensorsFile::open((dir + "/expected.safetensors").toStdString()),
            nlohmann::json::parse(in)};
}

double maxExcess(const torch::Tensor& got, const torch::Tensor& want, double atol, double rtol) {
    return (torch::abs(got - want) - (atol + rtol * torch::abs(want))).max().item<double>();
}

} // namespace

void TestCausalLmGolden::initTestCase() {
    model::configureTorchThreads(1);
}

void TestCausalLmGolden::addFixtures() {
    QTest::addColumn<QString>("fixture");
    for (const char* f : {"opt_tiny", "opt_postln_proj", "bloom_tiny", "bloom_6head_postres",
                          "llama_tiny", "llama_gqa_theta", "gpt2_tiny"})
        QTest::newRow(f) << f;
}

void TestCausalLmGolden::forwardLossAndGradients_data() {
    addFixtures();
}

void TestCausalLmGolden::forwardLossAndGradients() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    Fixture f = load(dir);
    model::LmInput in;
    in.inputIds = f.get("input_ids");
    in.attentionMask = f.get("attention_mask");
    in.labels = f.get("labels");
    in.outputHiddenStates = true;
    f.model->zero_grad();
    const auto out = f.model->forward(in);
    const auto valid = f.get("logits_valid_mask").to(torch::kBool);
    const auto want = f.get("logits");
    QCOMPARE(out.logits.sizes(), want.sizes());
    // Issue #10 item 7: 2e-5 absolute, no relative part (../shared's 1e-4 + 1e-4 leaves room
    // for bugs of that size); the measured float32 noise is a few 1e-6.
    const double logitExcess = maxExcess(out.logits.index({valid}), want.index({valid}), 2e-5, 0);
    qInfo("logits: max |difference| %.3g",
          (out.logits.index({valid}) - want.index({valid})).abs().max().item<double>());
    QVERIFY2(logitExcess <= 0,
             qPrintable(QString("logits off by %1 beyond 2e-5").arg(logitExcess)));
    QCOMPARE(out.hiddenStates.size(), static_cast<size_t>(f.model->config().numLayers + 1));
    for (size_t i = 0; i < out.hiddenStates.size(); ++i) {
        const auto h = f.get("hidden_states." + std::to_string(i));
        const double e =
            maxExcess(out.hiddenStates[i].index({valid}), h.index({valid}), 1e-4, 1e-4);
        QVERIFY2(e <= 0, qPrintable(QString("hidden_states.%1 off by %2").arg(i).arg(e)));
    }
    const double loss = out.loss.item<double>();
    QVERIFY2(std::abs(loss - f.info["loss"].get<double>()) < 1e-5,
             qPrintable(QString("loss %1 vs %2").arg(loss).arg(f.info["loss"].get<double>())));
    out.loss.backward();
    int checked = 0;
    for (const auto& p : f.model->named_parameters()) {
        const auto& g = f.info["grads"].at(p.key());
        const auto grad = p.value().grad().flatten();
        const double l2 = grad.norm().item<double>(), want2 = g["l2"].get<double>();
        QVERIFY2(
            std::abs(l2 - want2) <= 1e-6 + 1e-4 * want2,
            qPrintable(QString("%1: grad l2 %2 vs %3").arg(p.key().c_str()).arg(l2).arg(want2)));
        const auto first8 = g["first8"].get<std::vector<double>>();
        for (size_t i = 0; i < first8.size(); ++i)
            QVERIFY2(std::abs(grad[i].item<double>() - first8[i]) <= 1e-5, p.key().c_str());
        const auto idx = g["strided_idx"].get<std::vector<int64_t>>();
        const auto vals = g["strided"].get<std::vector<double>>();
        for (size_t i = 0; i < idx.size(); ++i)
            QVERIFY2(std::abs(grad[idx[i]].item<double>() - vals[i]) <= 1e-5, p.key().c_str());
        ++checked;
    }
    QCOMPARE(checked, static_cast<int>(f.info["grads"].size()));
}

void TestCausalLmGolden::greedyGeneration_data() {
    addFixtures();
}

void TestCausalLmGolden::greedyGeneration() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    Fixture f = load(dir);
    const auto& gc = f.info["generation_config"];
    for (const char* which : {"single", "batch"}) {
        const std::string p = std::string("gen_") + which + "_";
        const auto& g = f.info["generation"][which];
        eval::GenerateOptions o;
        o.maxNewTokens = g["num_steps"].get<int64_t>();
        o.eosTokenId = gc["eos_token_id"].is_null() ? -1 : gc["eos_token_id"].get<int64_t>();
        o.padTokenId = gc["pad_token_id"].is_null() ? -1 : gc["pad_token_id"].get<int64_t>();
        o.keepScores = true;
        const auto wantIds = f.get(p + "output_ids");
        const auto wantScores = f.get(p + "scores");
        for (bool cache : {true, false}) {
            o.useCache = cache;
            const auto r = eval::generateGreedy(*f.model, f.get(p + "prompt_ids"),
                                                f.get(p + "prompt_attention_mask"), o);
            QVERIFY2(torch::equal(r.sequences, wantIds),
                     qPrintable(QString("%1 cache=%2 ids differ").arg(which).arg(cache)));
            QCOMPARE(static_cast<int64_t>(r.scores.size()), wantScores.size(0));
            for (size_t s = 0; s < r.scores.size(); ++s) {
                const double e = maxExcess(r.scores[s], wantScores[s], 1e-4, 0);
                QVERIFY2(
                    e <= 0,
                    qPrintable(QString("%1 step %2 scores off by %3").arg(which).arg(s).arg(e)));
            }
        }
    }
}

void TestCausalLmGolden::parametersFollowTheCatalogue_data() {
    addFixtures();
}

void TestCausalLmGolden::parametersFollowTheCatalogue() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    const auto cfg = io::loadModelConfig(dir.toStdString());
    const auto model = model::createCausalLM(cfg);
    const auto cat = model::TensorCatalogue::fromConfig(cfg);
    const auto params = model->named_parameters();
    QCOMPARE(params.size(), cat.size());
    for (size_t i = 0; i < cat.size(); ++i) {
        QCOMPARE(QString::fromStdString(params[i].key()), QString::fromStdString(cat[i].name));
        QCOMPARE(params[i].value().sizes().vec(), cat[i].shape);
    }
}

QTEST_GUILESS_MAIN(TestCausalLmGolden)
#include "tst_causal_lm_golden.moc"
