// `gt forward` and `gt generate` end to end on the HF fixtures.
#include "core/io/safetensors_file.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>

using namespace gt::io;

class TestCliModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forwardWritesLogitsAndLossMatchingTheReference();
    void forwardRejectsBadInputs();
    void generateContinuesAPromptWithAndWithoutCache();

private:
    using Result = gt::test::CliResult;
    static Result gt(const QStringList& args) { return gt::test::runGt(args); }
};

void TestCliModel::forwardWritesLogitsAndLossMatchingTheReference() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/llama_gqa_theta");
    QTemporaryDir tmp;
    const QString out = tmp.filePath("out.safetensors");
    // expected.safetensors carries input_ids, attention_mask and labels (plus the answers)
    const Result r = gt({"forward", "--model", dir, "--inputs", dir + "/expected.safetensors",
                         "--out", out, "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("logits [3, 12, 512]"));
    const auto got = SafetensorsFile::open(out.toStdString());
    const auto want = SafetensorsFile::open((dir + "/expected.safetensors").toStdString());
    const float* g = reinterpret_cast<const float*>(got.find("logits")->data);
    const float* w = reinterpret_cast<const float*>(want.find("logits")->data);
    const uint8_t* valid = want.find("logits_valid_mask")->data;
    for (int pos = 0; pos < 36; ++pos) {
        if (!valid[pos]) continue;
        for (int v = 0; v < 512; ++v) {
            const float a = g[pos * 512 + v], b = w[pos * 512 + v];
            QVERIFY2(std::abs(a - b) <= 1e-4 + 1e-4 * std::abs(b),
                     qPrintable(QString("pos %1 vocab %2").arg(pos).arg(v)));
        }
    }
    std::ifstream in((dir + "/expected.json").toStdString());
    const double loss = nlohmann::json::parse(in)["loss"];
    QVERIFY(std::abs(*reinterpret_cast<const float*>(got.find("loss")->data) - loss) < 1e-5);
}

void TestCliModel::forwardRejectsBadInputs() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    QTemporaryDir tmp;
    const float f[2] = {1, 2};
    writeSafetensors(tmp.filePath("bad.safetensors").toStdString(),
                     {{"input_ids", DType::F32, {1, 2}, f, 8}});
    const Result r = gt({"forward", "--model", dir, "--inputs", tmp.filePath("bad.safetensors"),
                         "--out", tmp.filePath("o.safetensors")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("'input_ids' must be a 2-D integer tensor"), qPrintable(r.err));
    // CUDA is an option of a CUDA LibTorch build; on this CPU build it must say so clearly.
    const Result cuda = gt({"forward", "--model", dir, "--inputs", tmp.filePath("bad.safetensors"),
                            "--out", tmp.filePath("o.safetensors"), "--device", "cuda"});
    QCOMPARE(cuda.code, 1);
    QVERIFY2(cuda.err.contains("no CUDA") || cuda.err.contains("bad.safetensors"),
             qPrintable(cuda.err));
    const Result tpu = gt({"forward", "--model", dir, "--inputs", tmp.filePath("bad.safetensors"),
                           "--out", tmp.filePath("o.safetensors"), "--device", "tpu"});
    QCOMPARE(tpu.code, 1);
    QVERIFY2(tpu.err.contains("unknown device 'tpu'"), qPrintable(tpu.err));
    const int64_t big[2] = {5, 100000};
    writeSafetensors(tmp.filePath("oov.safetensors").toStdString(),
                     {{"input_ids", DType::I64, {1, 2}, big, 16}});
    const Result o = gt({"forward", "--model", dir, "--inputs", tmp.filePath("oov.safetensors"),
                         "--out", tmp.filePath("o.safetensors")});
    QCOMPARE(o.code, 1);
    QVERIFY2(o.err.contains("outside the vocabulary"), qPrintable(o.err));
}

void TestCliModel::generateContinuesAPromptWithAndWithoutCache() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    // The fixture has weights but no tokenizer: give it one with its 300 ids.
    QTemporaryDir tmp;
    QVERIFY(gt::test::makeTinyGpt2(dir, tmp.path()));
    const Result cached = gt({"generate", "--model", tmp.path(), "--prompt", "the rain in",
                              "--max-new-tokens", "6", "--ids"});
    QVERIFY2(cached.code == 0, qPrintable(cached.err));
    QVERIFY(cached.out.startsWith("the rain in"));
    QVERIFY(cached.out.contains("new ids:"));
    QVERIFY(cached.err.contains("tokens/s"));
    const Result plain = gt({"generate", "--model", tmp.path(), "--prompt", "the rain in",
                             "--max-new-tokens", "6", "--ids", "--no-cache"});
    QCOMPARE(plain.out, cached.out); // the KV cache changes speed, not tokens
    // n = 1 bans every token already generated: the new ids are all different
    const Result unique = gt({"generate", "--model", tmp.path(), "--prompt", "the rain in",
                              "--max-new-tokens", "20", "--ids", "--no-repeat-ngram", "1"});
    QVERIFY2(unique.code == 0, qPrintable(unique.err));
    auto ids = unique.out.section("new ids:", 1).trimmed().split(' ', Qt::SkipEmptyParts);
    const auto generated = ids.size(); // 20 unless EOS came first
    QVERIFY(generated > 1);
    ids.removeDuplicates();
    QCOMPARE(ids.size(), generated);
    const Result missing = gt({"generate", "--model", dir, "--prompt", "x"}); // no tokenizer
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("no tokenizer found"), qPrintable(missing.err));
}

QTEST_GUILESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
