// Loading a checkpoint that does not fit its config is an error that names the file and lists
// the tensors: missing, unexpected, wrong shape, wrong dtype; F16/BF16 weights convert.
#include "core/io/weight_store.h"
#include "core/model/causal_lm.h"
#include "tests/support/shared_data.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt;
namespace fs = std::filesystem;

class TestModelLoading : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missingUnexpectedAndMisshapedAreListed();
    void halfPrecisionWeightsConvert();
    void unsupportedModelTypeIsNamed();
    void integerWeightsAreRejected();

private:
    /// A copy of gpt2_tiny in `dir`, with its weights passed through `edit`.
    void writeVariant(const QString& dir,
                      const std::function<void(std::vector<io::TensorData>&,
                                               std::vector<std::vector<uint8_t>>&)>& edit);
};

void TestModelLoading::writeVariant(
    const QString& dir,
    const std::function<void(std::vector<io::TensorData>&, std::vector<std::vector<uint8_t>>&)>&
        edit) {
    const QString src = gt::test::sharedDir() + "/fixtures/hf/gpt2_tiny";
    fs::copy_file((src + "/config.json").toStdString(), (dir + "/config.json").toStdString(),
                  fs::copy_options::overwrite_existing);
    const auto f = io::SafetensorsFile::open((src + "/model.safetensors").toStdString());
    std::vector<io::TensorData> tensors;
    std::vector<std::vector<uint8_t>> storage;
    for (const auto& t : f.tensors()) {
        storage.emplace_back(t.data, t.data + t.bytes);
        tensors.push_back({t.name, t.dtype, t.shape, nullptr, t.bytes});
    }
    edit(tensors, storage);
    for (size_t i = 0; i < tensors.size(); ++i)
        tensors[i].data = storage[i].data();
    io::writeSafetensors((dir + "/model.safetensors").toStdString(), tensors);
}

void TestModelLoading::missingUnexpectedAndMisshapedAreListed() {
    GT_REQUIRE_SHARED(src, "fixtures/hf/gpt2_tiny");
    QTemporaryDir dir;
    writeVariant(dir.path(), [](auto& t, auto& s) {
        // drop ln_f.weight, rename wpe, and cut a row off c_fc.bias
        for (size_t i = 0; i < t.size(); ++i) {
            if (t[i].name == "transformer.ln_f.weight") {
                t.erase(t.begin() + long(i));
                s.erase(s.begin() + long(i));
                --i;
            } else if (t[i].name == "transformer.wpe.weight") {
                t[i].name = "transformer.wpe_old.weight";
            } else if (t[i].name == "transformer.h.0.mlp.c_fc.bias") {
                t[i].shape = {t[i].shape[0] - 1};
                t[i].bytes -= 4;
                s[i].resize(t[i].bytes);
            }
        }
    });
    try {
        model::loadCausalLM(dir.path().toStdString());
        QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
        const QString m = e.what();
        QVERIFY2(m.contains("model.safetensors: weights do not match the model"), e.what());
        QVERIFY2(m.contains("missing tensors: transformer.wpe.weight, transformer.ln_f.weight"),
                 e.what());
        QVERIFY2(m.contains("unexpected tensors: transformer.wpe_old.weight"), e.what());
        QVERIFY2(m.contains("transformer.h.0.mlp.c_fc.bias [255] (config expects [256])"),
                 e.what());
    }
}

void TestModelLoading::halfPrecisionWeightsConvert() {
    GT_REQUIRE_SHARED(src, "fixtures/hf/gpt2_tiny");
    QTemporaryDir dir;
    writeVariant(dir.path(), [](auto& t, auto& s) {
        for (size_t i = 0; i < t.size(); ++i) { // store everything as BF16
            auto f32 = torch::from_blob(s[i].data(), {static_cast<int64_t>(s[i].size() / 4)},
                                        torch::kFloat);
            auto bf = f32.to(torch::kBFloat16).contiguous();
            s[i].assign(reinterpret_cast<uint8_t*>(bf.data_ptr()),
                        reinterpret_cast<uint8_t*>(bf.data_ptr()) + bf.numel() * 2);
            t[i].dtype = io::DType::BF16;
            t[i].bytes = s[i].size();
        }
    });
    const auto half = model::loadCausalLM(dir.path().toStdString());
    const auto full = model::loadCausalLM(src.toStdString());
    const auto p = half->named_parameters()["transformer.h.1.attn.c_attn.weight"];
    QCOMPARE(p.scalar_type(), torch::kFloat);
    const auto ref = full->named_parameters()["transformer.h.1.attn.c_attn.weight"];
    QVERIFY(torch::allclose(p, ref, 1e-2, 1e-3)); // bf16 keeps ~3 significant digits
    QVERIFY(!torch::equal(p, ref));
}

void TestModelLoading::unsupportedModelTypeIsNamed() {
    QTemporaryDir dir;
    std::ofstream(dir.filePath("config.json").toStdString())
        << R"({"model_type": "t5", "vocab_size": 10})";
    try {
        model::loadCausalLM(dir.path().toStdString());
        QFAIL("expected an error");
    } catch (const io::ConfigError& e) {
        QVERIFY2(QString(e.what()).contains(
                     "config.json: field 'model_type' is 't5', which is not supported"),
                 e.what());
    }
}

void TestModelLoading::integerWeightsAreRejected() {
    GT_REQUIRE_SHARED(src, "fixtures/hf/gpt2_tiny");
    QTemporaryDir dir;
    writeVariant(dir.path(), [](auto& t, auto&) {
        for (auto& x : t)
            if (x.name == "transformer.ln_f.bias") x.dtype = io::DType::I32; // same byte count
    });
    try {
        model::loadCausalLM(dir.path().toStdString());
        QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains(
                     "'transformer.ln_f.bias' has integer dtype I32, expected a float type"),
                 e.what());
    }
}

QTEST_GUILESS_MAIN(TestModelLoading)
#include "tst_model_loading.moc"
