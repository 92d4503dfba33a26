// The catalogue lists exactly the tensors HF registers, in HF's order, with HF's shapes:
// checked against the gradient lists the reference implementation wrote for each fixture.
#include "core/model/tensor_catalogue.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <fstream>
#include <set>

using gt::model::TensorCatalogue;
using gt::model::TensorRole;

class TestTensorCatalogue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesHfParameterOrder_data();
    void matchesHfParameterOrder();
    void paperModelsHaveThePapersTensorCounts();
    void executionOrderIsAPermutationFollowingTheForward();
    void rolesAndBlocks();
};

void TestTensorCatalogue::matchesHfParameterOrder_data() {
    QTest::addColumn<QString>("fixture");
    for (const char* f : {"opt_tiny", "opt_postln_proj", "bloom_tiny", "bloom_6head_postres",
                          "llama_tiny", "llama_gqa_theta", "gpt2_tiny"})
        QTest::newRow(f) << f;
}

void TestTensorCatalogue::matchesHfParameterOrder() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    const auto cfg = gt::io::loadModelConfig(dir.toStdString());
    const auto cat = TensorCatalogue::fromConfig(cfg);
    std::ifstream in((dir + "/expected.json").toStdString());
    const auto expected = nlohmann::ordered_json::parse(in);
    const auto& grads = expected.at("grads");
    QCOMPARE(cat.size(), grads.size());
    size_t i = 0;
    int64_t params = 0;
    for (const auto& [name, g] : grads.items()) {
        QCOMPARE(QString::fromStdString(cat[i].name), QString::fromStdString(name));
        QCOMPARE(cat[i].shape, g.at("shape").get<std::vector<int64_t>>());
        QCOMPARE(cat[i].registrationIndex, static_cast<int>(i));
        params += cat[i].numel();
        ++i;
    }
    QCOMPARE(cat.parameterCount(), params);
}

void TestTensorCatalogue::paperModelsHaveThePapersTensorCounts() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs");
    // method.md: OPT-2.7B has 516 tensors, BLOOMZ-3B 365.
    const auto opt =
        TensorCatalogue::fromConfig(gt::io::loadModelConfig((dir + "/opt-2.7b").toStdString()));
    QCOMPARE(opt.size(), size_t{516});
    QCOMPARE(opt.parameterCount(), int64_t{2651596800}); // HF: 2.65 B parameters
    const auto bloom =
        TensorCatalogue::fromConfig(gt::io::loadModelConfig((dir + "/bloomz-3b").toStdString()));
    QCOMPARE(bloom.size(), size_t{365});
    const auto llama = TensorCatalogue::fromConfig(
        gt::io::loadModelConfig((dir + "/Llama-2-7b-hf").toStdString()));
    QCOMPARE(llama.parameterCount(), int64_t{6738415616}); // Llama-2-7b: 6.74 B
    QCOMPARE(llama.size(), size_t{32 * 9 + 3});
    const auto gpt2 =
        TensorCatalogue::fromConfig(gt::io::loadModelConfig((dir + "/gpt2").toStdString()));
    QCOMPARE(gpt2.parameterCount(), int64_t{124439808}); // GPT-2 small: 124 M
}

void TestTensorCatalogue::executionOrderIsAPermutationFollowingTheForward() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    const auto cat = TensorCatalogue::fromConfig(gt::io::loadModelConfig(dir.toStdString()));
    const std::vector<int> exec = cat.executionOrder();
    QCOMPARE(std::set<int>(exec.begin(), exec.end()).size(), cat.size());
    auto pos = [&](const std::string& n) { return cat[cat.find(n)].executionIndex; };
    const std::string l0 = "model.decoder.layers.0.";
    // Pre-LN OPT: LayerNorm, then q, k, v, out_proj; registration has k, v, q, out_proj, LN.
    QVERIFY(pos(l0 + "self_attn_layer_norm.weight") < pos(l0 + "self_attn.q_proj.weight"));
    QVERIFY(pos(l0 + "self_attn.q_proj.weight") < pos(l0 + "self_attn.k_proj.weight"));
    QVERIFY(pos(l0 + "self_attn.out_proj.bias") < pos(l0 + "final_layer_norm.weight"));
    QVERIFY(pos(l0 + "fc2.bias") < pos("model.decoder.layers.1.self_attn_layer_norm.weight"));
    QCOMPARE(pos("model.decoder.embed_tokens.weight"), 0);
    QCOMPARE(pos("model.decoder.final_layer_norm.bias"), static_cast<int>(cat.size()) - 1);
    // Post-LN OPT runs the attention LayerNorm after out_proj.
    GT_REQUIRE_SHARED(post, "fixtures/hf/opt_postln_proj");
    const auto pc = TensorCatalogue::fromConfig(gt::io::loadModelConfig(post.toStdString()));
    auto ppos = [&](const std::string& n) { return pc[pc.find(n)].executionIndex; };
    QVERIFY(ppos(l0 + "self_attn.out_proj.bias") < ppos(l0 + "self_attn_layer_norm.weight"));
    QVERIFY(ppos("model.decoder.project_in.weight") < ppos("model.decoder.embed_positions.weight"));
    QCOMPARE(ppos("model.decoder.project_out.weight"), static_cast<int>(pc.size()) - 1);
}

void TestTensorCatalogue::rolesAndBlocks() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/llama_gqa_theta");
    const auto cat = TensorCatalogue::fromConfig(gt::io::loadModelConfig(dir.toStdString()));
    const auto& k = cat[cat.find("model.layers.1.self_attn.k_proj.weight")];
    QCOMPARE(k.role, TensorRole::K);
    QCOMPARE(k.block, 1);
    QCOMPARE(k.shape, (std::vector<int64_t>{16, 64})); // 2 KV heads x 8
    QCOMPARE(cat[cat.find("model.norm.weight")].block, -1);
    QCOMPARE(cat.find("lm_head.weight"), -1); // tied
    QCOMPARE(gt::model::roleName(TensorRole::Gate), std::string("gate"));
    QCOMPARE(cat.blockCount(), 2);
}

QTEST_GUILESS_MAIN(TestTensorCatalogue)
#include "tst_tensor_catalogue.moc"
