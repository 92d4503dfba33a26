// config.json parsing: the paper's real configs, the fixtures, and every kind of bad input.
#include "core/io/model_config.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using gt::io::Architecture;
using gt::io::ConfigError;
using gt::io::loadModelConfig;
using gt::io::parseModelConfig;

class TestModelConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realConfigs();
    void fixtureVariants();
    void errors_data();
    void errors();
    void missingFileAndMalformedJson();
};

void TestModelConfig::realConfigs() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs");
    const auto opt = loadModelConfig((dir + "/opt-2.7b/config.json").toStdString());
    QCOMPARE(opt.architecture, Architecture::Opt);
    QCOMPARE(opt.hiddenSize, 2560);
    QCOMPARE(opt.numLayers, 32);
    QCOMPARE(opt.ffnDim, 10240);
    QCOMPARE(opt.vocabSize, 50272);
    QVERIFY(opt.doLayerNormBefore && opt.finalLayerNorm);
    const auto opt350 = loadModelConfig((dir + "/opt-350m").toStdString()); // a directory
    QCOMPARE(opt350.wordEmbedProjDim, 512);
    QVERIFY(!opt350.doLayerNormBefore);
    QVERIFY(!opt350.finalLayerNorm);
    const auto bloom = loadModelConfig((dir + "/bloomz-3b").toStdString());
    QCOMPARE(bloom.architecture, Architecture::Bloom);
    QCOMPARE(bloom.hiddenSize, 2560); // from n_embed
    QCOMPARE(bloom.numLayers, 30);
    QCOMPARE(bloom.ffnDim, 4 * 2560); // n_inner: null
    const auto llama = loadModelConfig((dir + "/Llama-2-7b-hf").toStdString());
    QCOMPARE(llama.architecture, Architecture::Llama);
    QCOMPARE(llama.numKeyValueHeads, 32);
    QCOMPARE(llama.ffnDim, 11008);
    QVERIFY(!llama.tieWordEmbeddings);
    const auto gpt2 = loadModelConfig((dir + "/gpt2").toStdString());
    QCOMPARE(gpt2.architecture, Architecture::Gpt2);
    QCOMPARE(gpt2.ffnDim, 3072);
    QCOMPARE(gpt2.maxPositions, 1024);
}

void TestModelConfig::fixtureVariants() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf");
    const auto gqa = loadModelConfig((dir + "/llama_gqa_theta").toStdString());
    QCOMPARE(gqa.numHeads, 8);
    QCOMPARE(gqa.numKeyValueHeads, 2);
    QCOMPARE(gqa.ropeTheta, 5e5);
    QVERIFY(gqa.tieWordEmbeddings);
    const auto bloom = loadModelConfig((dir + "/bloom_6head_postres").toStdString());
    QCOMPARE(bloom.numHeads, 6);
    QVERIFY(bloom.residualPostLayerNorm);
    const auto opt = loadModelConfig((dir + "/opt_postln_proj").toStdString());
    QCOMPARE(opt.activation, std::string("gelu"));
    QCOMPARE(opt.wordEmbedProjDim, 32);
}

void TestModelConfig::errors_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an object") << "[1,2]"
                                   << "expected a JSON object";
    QTest::newRow("no model_type") << R"({"vocab_size": 10})"
                                   << "field 'model_type' is missing";
    QTest::newRow("unsupported") << R"({"model_type": "mamba", "vocab_size": 10})"
                                 << "'mamba', which is not supported";
    QTest::newRow("missing hidden") << R"({"model_type": "opt", "vocab_size": 10})"
                                    << "field 'hidden_size' is missing";
    QTest::newRow("wrong type") << R"({"model_type": "opt", "vocab_size": "many"})"
                                << "field 'vocab_size' must be an integer";
    QTest::newRow("negative") << R"({"model_type": "gpt2", "vocab_size": -3})"
                              << "field 'vocab_size' must be at least 1";
    QTest::newRow("heads do not divide")
        << R"({"model_type": "gpt2", "vocab_size": 10, "n_embd": 10, "n_layer": 1, "n_head": 3, "n_positions": 8})"
        << "not divisible by the number of attention heads";
    QTest::newRow("gqa mismatch")
        << R"({"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 3, "intermediate_size": 16})"
        << "num_key_value_heads";
    QTest::newRow("rope scaling") // refused, not silently computed as plain RoPE
        << R"({"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "intermediate_size": 16, "rope_scaling": {"type": "linear", "factor": 2.0}})"
        << "field 'rope_scaling' is not supported (plain RoPE only)";
    QTest::newRow("bool as string")
        << R"({"model_type": "opt", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "ffn_dim": 16, "max_position_embeddings": 8, "do_layer_norm_before": "yes"})"
        << "field 'do_layer_norm_before' must be true or false";
}

void TestModelConfig::errors() {
    QFETCH(QString, json);
    QFETCH(QString, message);
    try {
        parseModelConfig(nlohmann::json::parse(json.toStdString()), "dir/config.json");
        QFAIL("expected ConfigError");
    } catch (const ConfigError& e) {
        QVERIFY2(QString(e.what()).startsWith("dir/config.json: "), e.what());
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestModelConfig::missingFileAndMalformedJson() {
    QTemporaryDir tmp;
    QVERIFY_THROWS_EXCEPTION(ConfigError, loadModelConfig((tmp.path() + "/nope").toStdString()));
    const std::string bad = (tmp.path() + "/config.json").toStdString();
    std::ofstream(bad) << "{\"model_type\": \"opt\",";
    try {
        loadModelConfig(tmp.path().toStdString());
        QFAIL("expected ConfigError");
    } catch (const ConfigError& e) {
        QVERIFY2(QString(e.what()).contains("config.json: malformed JSON"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestModelConfig)
#include "tst_model_config.moc"
