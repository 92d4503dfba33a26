// The cost model against the paper's published full fine-tuning PFLOPs (MAC units; batch 4,
// padded length 512, 5 epochs), and the exact accounting against hand-derived charges.
#include "core/green/budget.h"
#include "core/green/cost_model.h"
#include "tests/support/shared_data.h"

#include <QTest>

using namespace gt::green;
using gt::model::TensorCatalogue;

class TestCostModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void paperFullFineTuningPflops_data();
    void paperFullFineTuningPflops();
    void paperForwardIsHalfTheBackward();
    void paperChargesAttentionAndHeadLikeTheCode();
    void exactChargesEachInputGradientBelowItsOp();
    void exactFullPlanCostsTheFullStep();
    void exactAndPaperAgreeOnTheMatmulBulk();
    void badShapeIsRejected();

private:
    static TensorCatalogue catalogue(const gt::io::ModelConfig& c) {
        return TensorCatalogue::fromConfig(c);
    }
};

void TestCostModel::paperFullFineTuningPflops_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("stepsPerEpoch");
    QTest::addColumn<double>("paperPflops");
    // paper-results.md, Tables 2 and 5 (SciTLDR 498 steps/epoch, DialogSum 3,115).
    QTest::newRow("OPT-350M SciTLDR") << "opt-350m" << 498 << 5.4;
    QTest::newRow("OPT-350M DialogSum") << "opt-350m" << 3115 << 33.8;
    QTest::newRow("OPT-1.3B SciTLDR") << "opt-1.3b" << 498 << 20.8;
    QTest::newRow("OPT-1.3B DialogSum") << "opt-1.3b" << 3115 << 130.8;
    QTest::newRow("OPT-2.7B SciTLDR") << "opt-2.7b" << 498 << 41.8;
    QTest::newRow("OPT-2.7B DialogSum") << "opt-2.7b" << 3115 << 262.0;
    QTest::newRow("OPT-6.7B SciTLDR") << "opt-6.7b" << 498 << 103.9;
    QTest::newRow("OPT-6.7B DialogSum") << "opt-6.7b" << 3115 << 649.9;
    QTest::newRow("BLOOMZ-3B SciTLDR") << "bloomz-3b" << 498 << 47.2;
    QTest::newRow("BLOOMZ-3B DialogSum") << "bloomz-3b" << 3115 << 294.8;
}

void TestCostModel::paperFullFineTuningPflops() {
    QFETCH(QString, model);
    QFETCH(int, stepsPerEpoch);
    QFETCH(double, paperPflops);
    GT_REQUIRE_SHARED(dir, "fixtures/configs/" + model);
    const auto cfg = gt::io::loadModelConfig(dir.toStdString());
    const auto table = computeCosts(catalogue(cfg), cfg, {4, 512}, Accounting::Paper);
    const double pflops = table.fullStep() * stepsPerEpoch * 5 / 1e15;
    QVERIFY2(std::abs(pflops / paperPflops - 1.0) < 0.005,
             qPrintable(QString("%1 PF vs paper %2 PF").arg(pflops).arg(paperPflops)));
}

void TestCostModel::paperForwardIsHalfTheBackward() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs");
    for (const char* m : {"opt-2.7b", "bloomz-3b"}) {
        const auto cfg = gt::io::loadModelConfig((dir + "/" + m).toStdString());
        const auto t = computeCosts(catalogue(cfg), cfg, {4, 512}, Accounting::Paper);
        // method.md §2.2: T_fp = T_bp / 2 exactly (up to the code's tiny position term).
        QVERIFY2(std::abs(t.forwardTotal / t.backwardTotal() - 0.5) < 1e-4, m);
    }
    // OPT-2.7B per step (method.md §2.2): forward 5,592 G, backward 11,181 G.
    const auto cfg = gt::io::loadModelConfig((dir + "/opt-2.7b").toStdString());
    const auto t = computeCosts(catalogue(cfg), cfg, {4, 512}, Accounting::Paper);
    QCOMPARE(std::round(t.forwardTotal / 1e9), 5592.0);
    QCOMPARE(std::round(t.backwardTotal() / 1e9), 11181.0);
}

void TestCostModel::paperChargesAttentionAndHeadLikeTheCode() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs/opt-2.7b");
    const auto cfg = gt::io::loadModelConfig(dir.toStdString());
    const auto cat = catalogue(cfg);
    const auto t = computeCosts(cat, cfg, {4, 512}, Accounting::Paper);
    const double B = 4, N = 512, D = 2560, V = 50272;
    const auto& vb = t.costs[cat.find("model.decoder.layers.5.self_attn.v_proj.bias")];
    QCOMPARE(vb.dy, 4 * B * N * N * D);
    QCOMPARE(vb.dw, B * N * D);
    const auto& qb = t.costs[cat.find("model.decoder.layers.5.self_attn.q_proj.bias")];
    QCOMPARE(qb.dy, 0.0);
    const auto& last = t.costs.back(); // layers.31.final_layer_norm.bias
    QCOMPARE(cat.tensors().back().name,
             std::string("model.decoder.layers.31.final_layer_norm.bias"));
    QCOMPARE(last.dy, B * N * V * D);
    const auto& emb = t.costs[0];
    QCOMPARE(emb.dw, B * N * V * D + V * D);
    QCOMPARE(emb.dy, 0.0);
    const auto& fc1 = t.costs[cat.find("model.decoder.layers.0.fc1.weight")];
    QCOMPARE(fc1.dw, B * N * D * 4 * D);
    QCOMPARE(fc1.dy, B * N * D * 4 * D);
}

// A one-block OPT with numbers small enough to check by hand.
void TestCostModel::exactChargesEachInputGradientBelowItsOp() {
    gt::io::ModelConfig c;
    c.architecture = gt::io::Architecture::Opt;
    c.vocabSize = 10;
    c.hiddenSize = 4;
    c.numLayers = 1;
    c.numHeads = 2;
    c.numKeyValueHeads = 2;
    c.ffnDim = 8;
    c.maxPositions = 6;
    c.wordEmbedProjDim = 4;
    const auto cat = catalogue(c);
    const auto t = computeCosts(cat, c, {2, 3}, Accounting::Exact); // T = 6 tokens
    auto cost = [&](const char* n) { return t.costs[cat.find(std::string("model.decoder.") + n)]; };
    const double T = 6, D = 4, F = 8, V = 10, B = 2, N = 3;
    // Output side: head input grad T*V*D reaches the final LayerNorm's shift first.
    QCOMPARE(cost("final_layer_norm.bias").dy, T * V * D);
    QCOMPARE(cost("final_layer_norm.weight").dy, 0.0);
    // fc2's bias pays the final norm's input gradient (2*T*D), fc1's bias pays fc2's (T*D*F).
    QCOMPARE(cost("layers.0.fc2.bias").dy, 2 * T * D);
    QCOMPARE(cost("layers.0.fc1.bias").dy, T * D * F);
    QCOMPARE(cost("layers.0.final_layer_norm.bias").dy, T * F * D);
    QCOMPARE(cost("layers.0.self_attn.out_proj.bias").dy, 2 * T * D);
    // q/k/v share one op: the first of them from the output side (v's bias) pays out_proj's
    // input gradient plus the attention maps' backward; k and q pay nothing more.
    QCOMPARE(cost("layers.0.self_attn.v_proj.bias").dy, T * D * D + 4 * B * N * N * D);
    QCOMPARE(cost("layers.0.self_attn.k_proj.bias").dy, 0.0);
    QCOMPARE(cost("layers.0.self_attn.q_proj.weight").dy, 0.0);
    QCOMPARE(cost("layers.0.self_attn_layer_norm.bias").dy, 3 * T * D * D);
    QCOMPARE(cost("embed_positions.weight").dy, 2 * T * D);
    QCOMPARE(cost("embed_tokens.weight").dy, 0.0);
    // The tied table's gradient: the head's T*V*D plus the lookup's scatter T*D.
    QCOMPARE(cost("embed_tokens.weight").dw, T * V * D + T * D);
    QCOMPARE(cost("layers.0.fc1.weight").dw, T * F * D);
    const double matmuls = T * (4 * D * D + 2 * D * F + V * D);
    const double others = T * (4 * D + F + D) /*biases*/ + T * 6 * D /*norms*/ +
                          T * 2 * D /*lookups*/ + 2 * B * N * N * D /*maps*/;
    QCOMPARE(t.forwardTotal, matmuls + others);
}

void TestCostModel::exactFullPlanCostsTheFullStep() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs");
    for (const char* m : {"opt-350m", "opt-2.7b", "bloomz-3b", "Llama-2-7b-hf", "gpt2"}) {
        const auto cfg = gt::io::loadModelConfig((dir + "/" + m).toStdString());
        const auto cat = catalogue(cfg);
        const auto t = computeCosts(cat, cfg, {4, 512}, Accounting::Exact);
        const std::vector<uint8_t> all(cat.size(), 1);
        for (auto order : {TensorOrder::Execution, TensorOrder::Registration}) {
            const double planned = plannedStepMacs(t, outputFirstOrder(cat, order), all);
            QVERIFY2(std::abs(planned / t.fullStep() - 1.0) < 1e-12, m);
        }
        // Backward does two matmuls per forward matmul, and more for attention maps.
        const double ratio = t.backwardTotal() / t.forwardTotal;
        QVERIFY2(ratio > 1.9 && ratio < 2.1, qPrintable(QString("%1: %2").arg(m).arg(ratio)));
    }
}

void TestCostModel::exactAndPaperAgreeOnTheMatmulBulk() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs/opt-2.7b");
    const auto cfg = gt::io::loadModelConfig(dir.toStdString());
    const auto cat = catalogue(cfg);
    const auto p = computeCosts(cat, cfg, {4, 512}, Accounting::Paper);
    const auto e = computeCosts(cat, cfg, {4, 512}, Accounting::Exact);
    // Same matmuls, different bookkeeping of the small terms: within 1% of each other.
    QVERIFY(std::abs(e.fullStep() / p.fullStep() - 1.0) < 0.01);
}

void TestCostModel::badShapeIsRejected() {
    gt::io::ModelConfig c;
    c.vocabSize = 10;
    c.hiddenSize = 4;
    c.numLayers = 1;
    c.numHeads = 1;
    c.numKeyValueHeads = 1;
    c.ffnDim = 8;
    c.maxPositions = 6;
    c.wordEmbedProjDim = 4;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             computeCosts(catalogue(c), c, {0, 3}, Accounting::Exact));
}

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_cost_model.moc"
