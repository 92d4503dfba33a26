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
    void generateFromIdsMatchesHuggingFaceBeams_data();
    void generateFromIdsMatchesHuggingFaceBeams();
    void generateFromIdsRejectsBadInputs();

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

namespace {

/// The fixture's batched prompts (row 1 left-padded) as `input_ids` and `attention_mask`.
QString writePrompts(const QString& fixture, const QTemporaryDir& tmp) {
    const auto e = SafetensorsFile::open((fixture + "/expected.safetensors").toStdString());
    std::vector<TensorData> t;
    for (const auto& [from, to] :
         {std::pair{"gen_batch_prompt_ids", "input_ids"},
          std::pair{"gen_batch_prompt_attention_mask", "attention_mask"}}) {
        const TensorView* v = e.find(from);
        t.push_back({to, v->dtype, v->shape, v->data, v->bytes});
    }
    const QString file = tmp.filePath("prompts.safetensors");
    writeSafetensors(file.toStdString(), t);
    return file;
}

} // namespace

void TestCliModel::generateFromIdsMatchesHuggingFaceBeams_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QStringList>("flags");
    // the paper's decoding through --paper, the plain search through explicit options
    QTest::newRow("opt_tiny/paper") << "opt_tiny"
                                    << "paper" << QStringList{"--paper", "--max-new-tokens", "12"};
    QTest::newRow("bloom_tiny/plain")
        << "bloom_tiny"
        << "plain"
        << QStringList{"--beams", "3", "--length-penalty", "0.6", "--max-new-tokens", "10"};
}

void TestCliModel::generateFromIdsMatchesHuggingFaceBeams() {
    QFETCH(QString, fixture);
    QFETCH(QString, setting);
    QFETCH(QStringList, flags);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    QTemporaryDir tmp;
    const QString out = tmp.filePath("out.safetensors");
    const Result r = gt(QStringList{"generate", "--model", dir, "--inputs", writePrompts(dir, tmp),
                                    "--out", out, "--threads", "1"} +
                        flags);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("and sequence_scores"), qPrintable(r.out));
    const auto got = SafetensorsFile::open(out.toStdString());
    const auto want = SafetensorsFile::open((dir + "/beam.safetensors").toStdString());
    const TensorView* ids = got.find("output_ids");
    const TensorView* wantIds = want.find(setting.toStdString() + "_output_ids");
    QVERIFY(ids && ids->dtype == DType::I64);
    QCOMPARE(ids->shape, wantIds->shape);
    QVERIFY(std::memcmp(ids->data, wantIds->data, wantIds->bytes) == 0);
    const auto* s = reinterpret_cast<const float*>(got.find("sequence_scores")->data);
    const auto* w =
        reinterpret_cast<const float*>(want.find(setting.toStdString() + "_sequence_scores")->data);
    for (int row = 0; row < 2; ++row)
        QVERIFY2(std::abs(s[row] - w[row]) <= 1e-4, qPrintable(QString::number(s[row] - w[row])));
}

void TestCliModel::generateFromIdsRejectsBadInputs() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    QTemporaryDir tmp;
    const QString out = tmp.filePath("out.safetensors");
    auto write = [&](const char* name, std::vector<int64_t> mask, std::vector<int64_t> shape) {
        const int64_t ids[4] = {2, 10, 11, 12};
        writeSafetensors(tmp.filePath(name).toStdString(),
                         {{"input_ids", DType::I64, {1, 4}, ids, 32},
                          {"attention_mask", DType::I64, shape, mask.data(), mask.size() * 8}});
        return tmp.filePath(name);
    };
    auto run = [&](const QString& inputs, QStringList extra = {}) {
        return gt(QStringList{"generate", "--model", dir, "--inputs", inputs, "--out", out,
                              "--beams", "2"} +
                  extra);
    };
    Result r = run(write("shape.safetensors", {1, 1, 1}, {1, 3}));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("shape.safetensors: 'attention_mask' must have the shape"),
             qPrintable(r.err));
    r = run(write("two.safetensors", {1, 2, 1, 1}, {1, 4}));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("two.safetensors: 'attention_mask' must hold only 0 and 1"),
             qPrintable(r.err));
    const QString good = write("good.safetensors", {1, 1, 1, 1}, {1, 4});
    r = run(good, {"--max-new-tokens", "5000"}); // OPT's learned positions end at 2048
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("good.safetensors: the prompts plus the new tokens (5004 positions) "
                            "exceeds the model's 64 positions"),
             qPrintable(r.err));
    r = gt({"generate", "--model", dir, "--inputs", good}); // nowhere to write
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--inputs needs --out"), qPrintable(r.err));
    r = gt({"generate", "--model", dir, "--inputs", good, "--out", out, "--prompt", "x"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("either --prompt TEXT or --inputs FILE"), qPrintable(r.err));
    r = gt({"generate", "--model", dir, "--inputs", good, "--out", out, "--repetition-penalty",
            "2"}); // greedy has no repetition penalty here
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("apply to beam search"), qPrintable(r.err));
    r = run(good, {"--beams", "0"});
    QCOMPARE(r.code, 2);
    QVERIFY(!QFile::exists(out)); // nothing written by any refusal
    // greedy from ids: the fixture's greedy batch output, no scores
    r = gt({"generate", "--model", dir, "--inputs", writePrompts(dir, tmp), "--out", out,
            "--max-new-tokens", "10", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto got = SafetensorsFile::open(out.toStdString());
    const auto want = SafetensorsFile::open((dir + "/expected.safetensors").toStdString());
    QVERIFY(got.find("sequence_scores") == nullptr);
    const TensorView* wantIds = want.find("gen_batch_output_ids");
    QCOMPARE(got.find("output_ids")->shape, wantIds->shape);
    QVERIFY(std::memcmp(got.find("output_ids")->data, wantIds->data, wantIds->bytes) == 0);
}

QTEST_GUILESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
