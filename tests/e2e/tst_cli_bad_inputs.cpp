// Malformed inputs through the CLI, as a user meets them (#10 item 10): every case exits 1
// (2 for a bad command line), prints one message naming the file and what is wrong, never
// crashes, and leaves nothing half-written: no output file, no run in the store, a foreign
// or locked database byte for byte as it was, a stored run still resumable.
#include "core/io/gzip_file.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>

namespace {

using Result = gt::test::CliResult;
Result run(const QStringList& args) {
    return gt::test::runGt(args);
}

/// A safetensors file with a hand-written header (the writer refuses to make bad ones).
void writeRaw(const QString& file, const std::string& header, size_t dataBytes) {
    std::ofstream out(file.toStdString(), std::ios::binary);
    const uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header << std::string(dataBytes, '\0');
}

QByteArray digest(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

/// Copies a fixture model and applies `edit` to its config.json.
QString editedModel(const QString& fixture, const QString& dir,
                    const std::function<void(nlohmann::json&)>& edit) {
    QDir().mkpath(dir);
    QFile::copy(fixture + "/model.safetensors", dir + "/model.safetensors");
    std::ifstream in((fixture + "/config.json").toStdString());
    auto c = nlohmann::json::parse(in);
    edit(c);
    std::ofstream((dir + "/config.json").toStdString()) << c.dump();
    return dir;
}

void expectError(const Result& r, const QStringList& parts, int code = 1) {
    QVERIFY2(r.code == code, qPrintable(QString("exit %1: %2").arg(r.code).arg(r.err)));
    for (const auto& p : parts)
        QVERIFY2(r.err.contains(p), qPrintable("'" + p + "' not in: " + r.err));
    QVERIFY2(!r.err.contains("frame #"), "a LibTorch backtrace reached the user");
}

} // namespace

class TestCliBadInputs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void malformedSafetensors_data();
    void malformedSafetensors();
    void badShardedIndex_data();
    void badShardedIndex();
    void badConfig_data();
    void badConfig();
    void tokenizerNotFittingTheModel();
    void delimitedAndCompressedData();
    void foreignAndLockedDatabases();
    void badSizesAndLengths();
    void resumeFromBrokenCheckpoints();
};

void TestCliBadInputs::malformedSafetensors_data() {
    QTest::addColumn<QString>("header");
    QTest::addColumn<int>("data");
    QTest::addColumn<QString>("message");
    auto t = [](const char* name, int b, int e) {
        return QString("\"%1\":{\"dtype\":\"F32\",\"shape\":[%2],\"data_offsets\":[%3,%4]}")
            .arg(name)
            .arg(std::abs(e - b) / 4)
            .arg(b)
            .arg(e);
    };
    QTest::newRow("reversed") << "{" + t("a", 8, 0) + "}" << 8 << "are reversed";
    QTest::newRow("overlap") << "{" + t("a", 0, 8) + "," + t("b", 4, 12) + "}" << 12
                             << "tensors overlap";
    QTest::newRow("gap") << "{" + t("a", 0, 8) + "," + t("b", 12, 20) + "}" << 20
                         << "bytes 8 to 12 of the data section belong to no tensor";
    QTest::newRow("trailing") << "{" + t("a", 0, 8) + "}" << 12 << "trailing bytes";
    QTest::newRow("duplicate") << "{" + t("a", 0, 8) + "," + t("a", 8, 16) + "}" << 16
                               << "tensor 'a' appears twice";
    QTest::newRow("overflow") << "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],"
                                 "\"data_offsets\":[0,8]}}"
                              << 8 << "needs more bytes than 64 bits can count";
}

void TestCliBadInputs::malformedSafetensors() {
    QFETCH(QString, header);
    QFETCH(int, data);
    QFETCH(QString, message);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    QTemporaryDir tmp;
    const QString bad = tmp.filePath("bad.safetensors"), out = tmp.filePath("out.safetensors");
    writeRaw(bad, header.toStdString(), static_cast<size_t>(data));
    expectError(run({"forward", "--model", dir, "--inputs", bad, "--out", out}),
                {"bad.safetensors", message});
    QVERIFY(!QFile::exists(out));
}

void TestCliBadInputs::badShardedIndex_data() {
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("message");
    const QString at = "m/model.safetensors.index.json: ";
    QTest::newRow("missing shard") << R"({"weight_map":{"x":"model-00002.safetensors"}})"
                                   << "m/model-00002.safetensors: cannot open";
    QTest::newRow("tensor not in shard")
        << R"({"weight_map":{"lm_head.bias":"model.safetensors"}})"
        << at + "weight_map puts 'lm_head.bias' in model.safetensors, which does not hold it";
    QTest::newRow("outside the model") << R"({"weight_map":{"x":"../model.safetensors"}})"
                                       << at + "weight_map['x'] is '../model.safetensors'";
    QTest::newRow("empty") << R"({"weight_map":{}})" << at + "weight_map lists no tensors";
    QTest::newRow("no map") << R"({"metadata":{}})" << at + "field 'weight_map' is missing";
    QTest::newRow("not json") << "{oops" << at + "malformed JSON";
}

void TestCliBadInputs::badShardedIndex() {
    QFETCH(QString, index);
    QFETCH(QString, message);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    QTemporaryDir tmp;
    const QString model = editedModel(dir, tmp.filePath("m"), [](nlohmann::json&) {});
    std::ofstream(QDir(model).filePath("model.safetensors.index.json").toStdString())
        << index.toStdString();
    const QString out = tmp.filePath("out.safetensors");
    expectError(
        run({"forward", "--model", model, "--inputs", dir + "/expected.safetensors", "--out", out}),
        {message});
    QVERIFY(!QFile::exists(out));
}

void TestCliBadInputs::badConfig_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero layers") << "opt_tiny"
                                 << "num_hidden_layers"
                                 << "0"
                                 << "'num_hidden_layers' must be at least 1, got 0";
    QTest::newRow("float for int") << "opt_tiny"
                                   << "hidden_size"
                                   << "64.5"
                                   << "'hidden_size' must be an integer, got 64.5";
    QTest::newRow("activation") << "opt_tiny"
                                << "activation_function"
                                << "\"swishy\""
                                << "'activation_function' is 'swishy', which is not supported";
    QTest::newRow("rope scaling") << "llama_tiny"
                                  << "rope_scaling"
                                  << R"({"type":"linear","factor":2.0})"
                                  << "'rope_scaling' is not supported";
}

void TestCliBadInputs::badConfig() {
    QFETCH(QString, fixture);
    QFETCH(QString, key);
    QFETCH(QString, json);
    QFETCH(QString, message);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    QTemporaryDir tmp;
    const QString model = editedModel(dir, tmp.filePath("m"), [&](nlohmann::json& c) {
        c[key.toStdString()] = nlohmann::json::parse(json.toStdString());
    });
    const QString out = tmp.filePath("out.safetensors");
    expectError(
        run({"forward", "--model", model, "--inputs", dir + "/expected.safetensors", "--out", out}),
        {"m/config.json", message});
    QVERIFY(!QFile::exists(out));
}

void TestCliBadInputs::tokenizerNotFittingTheModel() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    QTemporaryDir tmp;
    auto tiny = [&](const QString& name) {
        const QString d = tmp.filePath(name);
        QDir().mkpath(d);
        if (!gt::test::makeTinyGpt2(dir, d)) qFatal("cannot copy %s", qPrintable(dir));
        return d;
    };
    // five more ids than the model's 300 embedding rows
    const QString big = tiny("big");
    std::ifstream in((big + "/vocab.json").toStdString());
    auto vocab = nlohmann::json::parse(in);
    for (int i = 0; i < 5; ++i)
        vocab["extra" + std::to_string(i)] = 300 + i;
    std::ofstream((big + "/vocab.json").toStdString()) << vocab.dump();
    expectError(run({"generate", "--model", big, "--prompt", "the rain"}),
                {"big: the tokenizer has 305 ids but config.json's vocab_size is 300"});
    // a merge naming a symbol the vocabulary lacks
    const QString merge = tiny("merge");
    std::ofstream((merge + "/merges.txt").toStdString(), std::ios::app) << "zz qq\n";
    expectError(run({"tokenizer", "encode", "--tokenizer", merge, "--text", "x"}),
                {"merges.txt:", "merge 'zz qq' needs 'zz', which is not in the vocabulary"});
    // a tokenizer.model that is not a SentencePiece model
    const QString spm = tmp.filePath("spm");
    QDir().mkpath(spm);
    std::ofstream((spm + "/tokenizer.model").toStdString()) << "\x0a\x05hello\xff\xff garbage";
    expectError(run({"tokenizer", "encode", "--tokenizer", spm, "--text", "x"}),
                {"spm/tokenizer.model: cannot load the SentencePiece model"});
}

void TestCliBadInputs::delimitedAndCompressedData() {
    QTemporaryDir tmp;
    auto write = [&](const char* name, const std::string& bytes) {
        std::ofstream(tmp.filePath(name).toStdString(), std::ios::binary) << bytes;
        return tmp.filePath(name);
    };
    expectError(run({"data", "preview", "--data",
                     write("open.csv", "source,target\nfine,ok\n\"never closed,x\nmore,y\n")}),
                {"open.csv:3: a quoted field opens here and never closes"});
    // a BOM and CRLF line ends are read, not kept in the field names or values
    const Result bom = run({"data", "preview", "--data",
                            write("bom.csv", "\xEF\xBB\xBFsource,target\r\n\"two\r\nlines\",hi\r\n"
                                             "rain falls,wet\r\n")});
    QVERIFY2(bom.code == 0, qPrintable(bom.err));
    QVERIFY(bom.out.contains("records") && bom.out.contains("-> wet"));
    QVERIFY2(!bom.out.contains('\r'), "a carriage return survived");
    QVERIFY(bom.out.contains("two\nlines") || bom.out.contains("two lines"));
    // a .jsonl.gz cut short: its first half decompresses, then the stream just ends
    std::string jsonl;
    for (int i = 0; i < 300; ++i)
        jsonl += "{\"source\":\"example " + std::to_string(i * 7919) + "\",\"target\":\"t\"}\n";
    gt::io::writeGzip(tmp.filePath("full.jsonl.gz").toStdString(), jsonl);
    QFile gz(tmp.filePath("full.jsonl.gz"));
    QVERIFY(gz.open(QIODevice::ReadOnly));
    const QByteArray bytes = gz.readAll();
    const QString cut = write("cut.jsonl.gz", bytes.left(bytes.size() / 2).toStdString());
    expectError(run({"data", "preview", "--data", cut}), {"cut.jsonl.gz: truncated gzip data"});
}

void TestCliBadInputs::foreignAndLockedDatabases() {
    QTemporaryDir tmp;
    const QString other = tmp.filePath("shop.sqlite");
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(other.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE customers(id INTEGER, name TEXT)", nullptr, nullptr,
                          nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    const QByteArray before = digest(other);
    expectError(run({"runs", "list", "--db", other}),
                {"shop.sqlite: an SQLite database of another application (tables: customers)"});
    expectError(run({"runs", "tag", "1", "x", "--db", other}), {"another application"});
    QCOMPARE(digest(other), before); // not even WAL mode was switched on
    QVERIFY(!QFile::exists(other + "-wal"));

    // a store another process holds in an exclusive transaction: a clear refusal after the
    // 5 s busy timeout, and the store unchanged
    const QString store = tmp.filePath("runs.sqlite");
    QCOMPARE(sqlite3_open(store.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(
        sqlite3_exec(db, "PRAGMA user_version = 1; BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
        SQLITE_OK);
    expectError(run({"runs", "list", "--db", store}),
                {"runs.sqlite: database is locked", "held the run store for more than 5 s"});
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

void TestCliBadInputs::badSizesAndLengths() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    QTemporaryDir tmp;
    const QString model = tmp.filePath("m");
    QDir().mkpath(model);
    QVERIFY(gt::test::makeTinyGpt2(dir, model));
    gt::test::writeRainPairs(tmp.filePath("d.jsonl"), tmp.filePath("v.jsonl"));
    const QString store = tmp.filePath("runs.sqlite");
    const QStringList base{"train", "--model", model,         "--train", tmp.filePath("d.jsonl"),
                           "--db",  store,     "--max-steps", "1"};
    for (const auto& [flag, value] :
         {std::pair{"--batch", "0"}, std::pair{"--batch", "-1"}, std::pair{"--lr", "nan"},
          std::pair{"--rho", "nan"}, std::pair{"--epochs", "0"}, std::pair{"--seq-len", "1e3"}})
        expectError(run(base + QStringList{flag, value}), {QString(flag) + " expects"}, 2);
    // sizes the parser accepts but the model cannot: refused before a run is stored
    expectError(
        run(base + QStringList{"--seq-len", "100"}),
        {"the sequence length (100 positions) exceeds the model's 64 positions", "n_positions"});
    expectError(run(base + QStringList{"--rho", "0.01"}),
                {"rho 0.01 is infeasible", "need rho >= "});
    QVERIFY2(!QFile::exists(store), "a refused job created a store");
    // the default sequence length adapts to the model's 64 positions
    const Result ok = run(base);
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
}

void TestCliBadInputs::resumeFromBrokenCheckpoints() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/gpt2_tiny");
    QTemporaryDir tmp;
    const QString model = tmp.filePath("m"), ck = tmp.filePath("ck");
    QDir().mkpath(model);
    QVERIFY(gt::test::makeTinyGpt2(dir, model));
    gt::test::writeRainPairs(tmp.filePath("d.jsonl"), tmp.filePath("v.jsonl"));
    const QString store = tmp.filePath("runs.sqlite");
    const Result trained =
        run({"train", "--model", model, "--train", tmp.filePath("d.jsonl"), "--db", store,
             "--max-steps", "2", "--checkpoint-dir", ck, "--checkpoint-every", "1"});
    QVERIFY2(trained.code == 0, qPrintable(trained.err));
    const QString step = ck + "/step-00000002";
    QVERIFY(QDir(ck + "/step-00000001").removeRecursively()); // only the damaged one is left
    auto damaged = [&](const char* file, const QByteArray& bytes, const QStringList& message) {
        QFile f(step + "/" + file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const QByteArray original = f.readAll();
        f.resize(0);
        f.write(bytes);
        f.close();
        expectError(run({"resume", "--checkpoint", ck, "--db", store}), message);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(original);
    };
    damaged("state.json", "{\"format\": \"greentrainer-chec",
            {"ck: no complete checkpoint: the state.json of step-00000002"});
    damaged("optimizer.pt", "PK\x03\x04 cut short",
            {"step-00000002/optimizer.pt: unreadable (truncated, or not written by gt)"});
    damaged("rng.pt", "junk", {"step-00000002/rng.pt: unreadable"});
    QFile other(dir + "/../opt_tiny/model.safetensors"); // another model's weights
    QVERIFY(other.open(QIODevice::ReadOnly));
    damaged("model.safetensors", other.readAll(),
            {"step-00000002/model.safetensors: tensor", "does not fit this model"});
    // none of the refusals touched the stored run: it still reads finished and resumes
    const Result list = run({"runs", "list", "--db", store});
    QVERIFY2(list.out.contains("finished") && !list.out.contains("failed"), qPrintable(list.out));
    const Result resumed = run({"resume", "--checkpoint", ck, "--db", store});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
}

QTEST_GUILESS_MAIN(TestCliBadInputs)
#include "tst_cli_bad_inputs.moc"
