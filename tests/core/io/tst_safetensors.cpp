// safetensors reading and writing: round trip, zero-copy mapping, sharded checkpoints, and
// every malformed file the reader must reject with the file and the problem named.
#include "core/io/safetensors_file.h"
#include "core/io/weight_store.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>

using namespace gt::io;
namespace fs = std::filesystem;

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void roundTripWithMetadata();
    void writesAreCopyOnWriteNotToTheFile();
    void shardedCheckpointResolvesNames();
    void malformedFiles_data();
    void malformedFiles();
    void writerRejectsWrongByteCounts();

private:
    fs::path file(const std::string& name) const {
        return fs::path(m_dir->path().toStdString()) / name;
    }
    /// A file from a raw header and `dataBytes` zero bytes of data.
    fs::path raw(const std::string& name, const std::string& header, size_t dataBytes,
                 int64_t declared = -1) {
        const fs::path p = file(name);
        std::ofstream out(p, std::ios::binary);
        const uint64_t n = declared >= 0 ? static_cast<uint64_t>(declared) : header.size();
        out.write(reinterpret_cast<const char*>(&n), 8);
        out << header << std::string(dataBytes, '\0');
        return p;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSafetensors::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestSafetensors::roundTripWithMetadata() {
    const std::vector<float> a{1.5f, -2.0f, 3.25f, 4.0f, 5.0f, 6.0f};
    const std::vector<int64_t> b{7, -8};
    const uint16_t h[2] = {0x3c00, 0xc000}; // F16: 1.0, -2.0
    writeSafetensors(file("t.safetensors"),
                     {{"a", DType::F32, {2, 3}, a.data(), a.size() * 4},
                      {"b", DType::I64, {2}, b.data(), 16},
                      {"h", DType::F16, {2}, h, 4}},
                     {{"format", "pt"}});
    const auto f = SafetensorsFile::open(file("t.safetensors"));
    QCOMPARE(f.tensors().size(), size_t{3});
    QCOMPARE(f.metadata().at("format"), std::string("pt"));
    const TensorView* va = f.find("a");
    QVERIFY(va);
    QCOMPARE(va->shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(va->dtype, DType::F32);
    QCOMPARE(std::memcmp(va->data, a.data(), 24), 0);
    QCOMPARE(reinterpret_cast<uintptr_t>(va->data) % 8, uintptr_t{0}); // 8-aligned data section
    QCOMPARE(reinterpret_cast<const int64_t*>(f.find("b")->data)[1], int64_t{-8});
    QVERIFY(!f.find("zzz"));
    QVERIFY(!fs::exists(file("t.safetensors").string() + ".tmp"));
}

void TestSafetensors::writesAreCopyOnWriteNotToTheFile() {
    const std::vector<float> a{1, 2, 3, 4};
    writeSafetensors(file("w.safetensors"), {{"a", DType::F32, {4}, a.data(), 16}});
    {
        const auto f = SafetensorsFile::open(file("w.safetensors"));
        reinterpret_cast<float*>(f.find("a")->data)[0] = 99.0f; // e.g. training in place
        QCOMPARE(reinterpret_cast<float*>(f.find("a")->data)[0], 99.0f);
    }
    const auto again = SafetensorsFile::open(file("w.safetensors"));
    QCOMPARE(reinterpret_cast<float*>(again.find("a")->data)[0], 1.0f);
}

void TestSafetensors::shardedCheckpointResolvesNames() {
    const std::vector<float> a{1, 2}, b{3, 4, 5};
    writeSafetensors(file("model-00001-of-00002.safetensors"),
                     {{"x.weight", DType::F32, {2}, a.data(), 8}});
    writeSafetensors(file("model-00002-of-00002.safetensors"),
                     {{"y.weight", DType::F32, {3}, b.data(), 12}});
    std::ofstream(file("model.safetensors.index.json"))
        << R"({"metadata": {"total_size": 20}, "weight_map": {"x.weight": "model-00001-of-00002.safetensors", "y.weight": "model-00002-of-00002.safetensors"}})";
    const auto w = WeightStore::open(m_dir->path().toStdString());
    QCOMPARE(w.shardCount(), size_t{2});
    QCOMPARE(w.names(), (std::vector<std::string>{"x.weight", "y.weight"}));
    QCOMPARE(reinterpret_cast<const float*>(w.find("y.weight")->data)[2], 5.0f);
    QVERIFY(WeightStore::hasWeights(m_dir->path().toStdString()));
    fs::remove(file("model-00002-of-00002.safetensors"));
    try {
        WeightStore::open(m_dir->path().toStdString());
        QFAIL("a missing shard must be an error");
    } catch (const SafetensorsError& e) {
        QVERIFY2(QString(e.what()).contains("model-00002-of-00002.safetensors: cannot open"),
                 e.what());
    }
}

void TestSafetensors::malformedFiles_data() {
    QTest::addColumn<QString>("header");
    QTest::addColumn<int>("dataBytes");
    QTest::addColumn<int>("declared");
    QTest::addColumn<QString>("message");
    QTest::newRow("header past the end")
        << R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})" << 4 << 100000
        << "header length 100000 runs past the end";
    QTest::newRow("malformed json") << R"({"a": {"dtype": )" << 0 << -1 << "malformed JSON header";
    QTest::newRow("not an object") << "[1, 2]" << 0 << -1 << "not a JSON object";
    QTest::newRow("unknown dtype")
        << R"({"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})" << 1 << -1
        << "tensor 'a': unknown dtype 'F8_E4M3'";
    QTest::newRow("offsets out of range")
        << R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})" << 8 << -1
        << "tensor 'a': data_offsets [0, 16] lie outside the 8-byte data section";
    QTest::newRow("size disagrees with shape")
        << R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})" << 8 << -1
        << "tensor 'a': 8 bytes for shape [3] of F32, expected 12";
    QTest::newRow("overlap")
        << R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})"
        << 12 << -1 << "tensors overlap";
    QTest::newRow("negative shape")
        << R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})" << 0 << -1 << "bad shape";
    QTest::newRow("missing fields")
        << R"({"a":{"dtype":"F32"}})" << 0 << -1 << "needs dtype, shape and data_offsets";
}

void TestSafetensors::malformedFiles() {
    QFETCH(QString, header);
    QFETCH(int, dataBytes);
    QFETCH(int, declared);
    QFETCH(QString, message);
    const fs::path p =
        raw("bad.safetensors", header.toStdString(), static_cast<size_t>(dataBytes), declared);
    try {
        SafetensorsFile::open(p);
        QFAIL("expected SafetensorsError");
    } catch (const SafetensorsError& e) {
        QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(p.string())), e.what());
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestSafetensors::writerRejectsWrongByteCounts() {
    const float x[3] = {1, 2, 3};
    QVERIFY_THROWS_EXCEPTION(
        SafetensorsError, writeSafetensors(file("x.safetensors"), {{"x", DType::F32, {4}, x, 12}}));
    QVERIFY(!fs::exists(file("x.safetensors")));
    // truncated file: shorter than the 8-byte length prefix
    std::ofstream(file("short.safetensors")) << "abc";
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, SafetensorsFile::open(file("short.safetensors")));
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, SafetensorsFile::open(file("missing.safetensors")));
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
