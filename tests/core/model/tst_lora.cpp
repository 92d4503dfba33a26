// LoRA on real fixture models (OPT and GPT-2's Conv1D): a fresh adapter changes nothing,
// training moves only the adapters (base weights bit-identical), the adapter update equals the
// explicit (alpha/r) B A x, merging reproduces model + adapters, a checkpoint resumes to the
// same adapters, and the paper's accounting charges forward + every dY (about 2/3 of full).
#include "core/green/baseline_plans.h"
#include "core/io/model_config.h"
#include "core/model/causal_lm.h"
#include "core/model/lora.h"
#include "core/model/threads.h"
#include "core/train/trainer.h"
#include "tests/support/shared_data.h"

#include <QTemporaryDir>
#include <QTest>

using namespace gt;

namespace {

class FixedBatches : public data::BatchSource {
public:
    explicit FixedBatches(int64_t vocab, size_t count = 2)
        : m_vocab(vocab)
        , m_count(count) {}
    size_t size() const override { return m_count; }
    data::Batch batch(size_t, size_t index) const override {
        torch::manual_seed(static_cast<uint64_t>(11 + index));
        data::Batch b;
        b.inputIds = torch::randint(3, m_vocab, {2, 12}, torch::kLong);
        b.attentionMask = torch::ones_like(b.inputIds);
        b.labels = b.inputIds;
        return b;
    }

private:
    int64_t m_vocab;
    size_t m_count;
};

torch::Tensor logits(model::CausalLMImpl& m, const torch::Tensor& ids) {
    torch::NoGradGuard g;
    model::LmInput in;
    in.inputIds = ids;
    return m.forward(in).logits;
}

} // namespace

class TestLora : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void freshAdaptersChangeNothingAndTargetTheRightLayers();
    void updateEqualsTheExplicitLowRankProduct();
    void trainingMovesOnlyAdaptersAndMergeReproducesThem();
    void conv1dAdaptersOnGpt2();
    void checkpointRestoresAdapters();
    void paperAccountingIsForwardPlusAllDy();
    void unknownTargetsAreNamed();

private:
    std::shared_ptr<model::CausalLMImpl> opt() {
        auto m = model::loadCausalLM((m_shared + "/fixtures/hf/opt_tiny").toStdString());
        m->eval();
        return m;
    }
    QString m_shared;
};

void TestLora::initTestCase() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    m_shared = gt::test::sharedDir();
    model::configureTorchThreads(1);
}

void TestLora::freshAdaptersChangeNothingAndTargetTheRightLayers() {
    auto m = opt();
    const auto ids = torch::randint(3, 300, {2, 9}, torch::kLong);
    const auto before = logits(*m, ids);
    model::LoraAdapters lora(*m, {});
    const auto w = lora.adaptedWeights();
    QCOMPARE(w.size(), size_t(2 * m->config().numLayers)); // q_proj + v_proj per block
    for (const auto& n : w)
        QVERIFY2(n.find("q_proj.weight") != std::string::npos ||
                     n.find("v_proj.weight") != std::string::npos,
                 n.c_str());
    QVERIFY(torch::equal(logits(*m, ids), before)); // B = 0
}

void TestLora::updateEqualsTheExplicitLowRankProduct() {
    auto m = opt();
    const auto ids = torch::randint(3, 300, {1, 7}, torch::kLong);
    const auto base = logits(*m, ids);
    model::LoraOptions o;
    o.rank = 2;
    o.alpha = 6;
    o.targets = {"fc2"};
    model::LoraAdapters lora(*m, o);
    {
        torch::NoGradGuard g;
        for (auto& t : lora.parameters())
            t.normal_(0, 0.05);
    }
    const auto adapted = logits(*m, ids);
    QVERIFY(!torch::allclose(adapted, base));
    // The same model with W + (alpha/r) B A in place of W computes the same function.
    auto reference = opt();
    {
        torch::NoGradGuard g;
        const auto named = lora.namedParameters();
        auto params = reference->named_parameters();
        for (size_t k = 0; k < named.size(); k += 2) {
            const std::string module = named[k].first.substr(0, named[k].first.find(".lora_A"));
            auto* w = params.find(module + ".weight");
            QVERIFY(w);
            w->add_(torch::matmul(named[k + 1].second, named[k].second) * (6.0 / 2.0));
        }
    }
    QVERIFY(torch::allclose(logits(*reference, ids), adapted, 1e-5, 1e-5));
}

void TestLora::trainingMovesOnlyAdaptersAndMergeReproducesThem() {
    auto m = opt();
    FixedBatches data(m->config().vocabSize, 4);
    train::TrainOptions o;
    o.method = train::Method::Lora;
    o.loraDropout = 0.0;
    o.learningRate = 5e-3;
    o.epochs = 2;
    std::vector<torch::Tensor> before;
    for (const auto& p : m->parameters())
        before.push_back(p.detach().clone());
    train::Trainer t(m, {2, 12}, o, data);
    std::vector<double> losses;
    t.run({.onStep = [&](const train::StepMetrics& s) { losses.push_back(s.loss); }});
    QCOMPARE(losses.size(), size_t(8));
    QVERIFY(losses.back() < losses.front());
    QCOMPARE(t.plan().selectedCount(), 0);
    QVERIFY(t.plan().share() > 0.3 && t.plan().share() < 1.0);
    const auto after = m->parameters();
    for (size_t i = 0; i < after.size(); ++i)
        QVERIFY2(torch::equal(before[i], after[i]), t.catalogue()[i].name.c_str());
    bool moved = false;
    for (const auto& [name, b] : t.method().stateTensors())
        if (name.find("lora_B") != std::string::npos)
            moved = moved || b.abs().sum().item<double>() > 0;
    QVERIFY(moved);
    m->eval();
    const auto ids = torch::randint(3, 300, {2, 10}, torch::kLong);
    const auto withAdapters = logits(*m, ids);
    t.mergeAdapters();
    QVERIFY(t.method().stateTensors().empty());
    QVERIFY(torch::allclose(logits(*m, ids), withAdapters, 1e-5, 1e-5));
    bool changed = false;
    const auto merged = m->parameters();
    for (size_t i = 0; i < merged.size(); ++i)
        changed = changed || !torch::equal(before[i], merged[i]);
    QVERIFY(changed);
}

void TestLora::conv1dAdaptersOnGpt2() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    auto m = model::loadCausalLM(dir.toStdString());
    m->eval();
    model::LoraAdapters lora(*m, {});
    QCOMPARE(lora.adaptedWeights().size(), size_t(m->config().numLayers)); // c_attn
    {
        torch::NoGradGuard g;
        for (auto& t : lora.parameters())
            t.normal_(0, 0.05);
    }
    const auto ids = torch::randint(3, 300, {1, 6}, torch::kLong);
    const auto adapted = logits(*m, ids);
    lora.merge();
    QVERIFY(torch::allclose(logits(*m, ids), adapted, 1e-5, 1e-5));
}

void TestLora::checkpointRestoresAdapters() {
    QTemporaryDir dir;
    const std::filesystem::path ckpt = (dir.path() + "/ckpt").toStdString();
    train::TrainOptions o;
    o.method = train::Method::Lora;
    o.learningRate = 5e-3;
    o.epochs = 1;
    FixedBatches data(320, 2);
    auto a = opt();
    train::Trainer ta(a, {2, 12}, o, data);
    ta.run();
    ta.saveCheckpoint(ckpt);
    QVERIFY(std::filesystem::exists(ckpt / "adapters.safetensors"));
    auto b = opt();
    train::Trainer tb(b, {2, 12}, o, data);
    tb.loadCheckpoint(ckpt);
    const auto na = ta.method().stateTensors(), nb = tb.method().stateTensors();
    QCOMPARE(na.size(), nb.size());
    for (size_t i = 0; i < na.size(); ++i)
        QVERIFY2(torch::equal(na[i].second, nb[i].second), na[i].first.c_str());
    QCOMPARE(tb.plan().method, std::string("lora"));
    QCOMPARE(tb.plan().plannedMacs, ta.plan().plannedMacs);
}

void TestLora::paperAccountingIsForwardPlusAllDy() {
    // method.md 6.3: the paper's LoRA rows are exactly 2/3 of full FT (forward + all dY).
    GT_REQUIRE_SHARED(cfgDir, "fixtures/configs/opt-2.7b");
    const auto cfg = io::loadModelConfig(cfgDir.toStdString());
    const auto cat = model::TensorCatalogue::fromConfig(cfg);
    const auto paper = green::computeCosts(cat, cfg, {4, 512}, green::Accounting::Paper);
    std::vector<std::string> qv;
    for (size_t i = 0; i < cat.size(); ++i)
        if (cat[i].name.find("q_proj.weight") != std::string::npos ||
            cat[i].name.find("v_proj.weight") != std::string::npos)
            qv.push_back(cat[i].name);
    const auto p = green::loraPlan(cat, paper, qv, 0.0);
    double allDy = 0;
    for (const auto& c : paper.costs)
        allDy += c.dy;
    QCOMPARE(p.plannedMacs, paper.forwardTotal + allDy);
    // Our paper tables charge attention's backward to dY, so the share lands at 0.677 rather
    // than the paper's 0.667 (it counts dY = forward per tensor); see the issue note.
    QVERIFY2(p.share() > 2.0 / 3.0 && p.share() < 0.68, qPrintable(QString::number(p.share())));
    // Exact accounting stops at the first block's q_proj and charges the adapters.
    const auto exact = green::computeCosts(cat, cfg, {4, 512}, green::Accounting::Exact);
    const auto e0 = green::loraPlan(cat, exact, qv, 0.0);
    const auto e1 = green::loraPlan(cat, exact, qv, 1e12);
    QCOMPARE(e1.plannedMacs - e0.plannedMacs, 1e12);
    QVERIFY(e0.share() < 1.0 && e0.share() > 0.5);
}

void TestLora::unknownTargetsAreNamed() {
    auto m = opt();
    model::LoraOptions o;
    o.targets = {"query_key_value"};
    try {
        model::LoraAdapters lora(*m, o);
        QFAIL("accepted a target the model lacks");
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("query_key_value") != std::string::npos &&
                     msg.find("q_proj") != std::string::npos,
                 e.what());
    }
}

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
