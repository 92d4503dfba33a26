// Byte-level BPE against the reference tokenizers (../shared/fixtures/tokenizers/{gpt2,opt}):
// 218 strings each -- ids with and without special tokens, token strings, and the three
// decodings -- from vocab.json + merges.txt and from an equivalent tokenizer.json.
#include "core/text/byte_level_bpe.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt::text;

class TestByteLevelBpe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void tokenizerJsonGivesTheSameIds_data();
    void tokenizerJsonGivesTheSameIds();
    void rejectsInvalidUtf8();
    void loadPicksFilesAndNamesProblems();

private:
    static SpecialTokens settingsFor(const QString& name);
    static void checkAll(const Tokenizer& tok, const QString& dir, bool decodeToo);
};

SpecialTokens TestByteLevelBpe::settingsFor(const QString& name) {
    SpecialTokens s;
    if (name == "opt") {
        s.bos = s.eos = s.unk = "</s>";
        s.pad = "<pad>";
        s.addBos = true;
    } else {
        s.bos = s.eos = s.unk = "<|endoftext|>";
    }
    return s;
}

void TestByteLevelBpe::checkAll(const Tokenizer& tok, const QString& dir, bool decodeToo) {
    std::ifstream in((dir + "/expected.jsonl").toStdString());
    int n = 0;
    for (std::string line; std::getline(in, line); ++n) {
        const auto r = nlohmann::json::parse(line);
        const std::string text = r["text"];
        const QByteArray where = QByteArray("string ") + QByteArray::number(n) + ": " +
                                 QByteArray::fromStdString(text).toPercentEncoding(" ");
        QVERIFY2(tok.encode(text) == r["ids"].get<std::vector<int64_t>>(), where.constData());
        QVERIFY2(tok.encode(text, false) == r["ids_no_special"].get<std::vector<int64_t>>(),
                 where.constData());
        QVERIFY2(tok.tokenize(text) == r["tokens"].get<std::vector<std::string>>(),
                 where.constData());
        if (!decodeToo) continue;
        const auto ids = r["ids"].get<std::vector<int64_t>>();
        QVERIFY2(tok.decode(ids) == r["decoded"].get<std::string>(), where.constData());
        QVERIFY2(tok.decode(ids, true) == r["decoded_skip_special"].get<std::string>(),
                 where.constData());
        // the reference's no-cleanup decoding is of the ids without added special tokens
        QVERIFY2(tok.decode(r["ids_no_special"].get<std::vector<int64_t>>(), false, false) ==
                     r["decoded_no_cleanup"].get<std::string>(),
                 where.constData());
    }
    QCOMPARE(n, 218);
}

void TestByteLevelBpe::matchesReference_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("gpt2") << "gpt2";
    QTest::newRow("opt") << "opt";
}

void TestByteLevelBpe::matchesReference() {
    QFETCH(QString, name);
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/" + name);
    const auto tok =
        ByteLevelBpe::fromFiles((dir + "/vocab.json").toStdString(),
                                (dir + "/merges.txt").toStdString(), settingsFor(name));
    checkAll(*tok, dir, true);
}

void TestByteLevelBpe::tokenizerJsonGivesTheSameIds_data() {
    matchesReference_data();
}

void TestByteLevelBpe::tokenizerJsonGivesTheSameIds() {
    QFETCH(QString, name);
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/" + name);
    // Build the tokenizer.json a HF fast tokenizer would save for the same files.
    std::ifstream v((dir + "/vocab.json").toStdString());
    const auto vocab = nlohmann::json::parse(v);
    nlohmann::json merges = nlohmann::json::array();
    std::ifstream m((dir + "/merges.txt").toStdString());
    for (std::string line; std::getline(m, line);)
        if (!line.empty() && line.rfind("#version", 0) != 0) merges.push_back(line);
    const SpecialTokens s = settingsFor(name);
    nlohmann::json added = nlohmann::json::array();
    for (const std::string& t : {s.bos, s.pad})
        if (!t.empty() && vocab.contains(t))
            added.push_back({{"id", vocab[t]}, {"content", t}, {"special", true}});
    nlohmann::json j = {{"version", "1.0"},
                        {"added_tokens", added},
                        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
                        {"decoder", {{"type", "ByteLevel"}}},
                        {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
    if (s.addBos)
        j["post_processor"] = {{"type", "TemplateProcessing"},
                               {"single",
                                {{{"SpecialToken", {{"id", s.bos}, {"type_id", 0}}}},
                                 {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}};
    QTemporaryDir tmp;
    std::ofstream(tmp.filePath("tokenizer.json").toStdString()) << j.dump();
    SpecialTokens fromFile; // everything must come from tokenizer.json itself
    fromFile.bos = fromFile.eos = s.bos;
    const auto tok =
        ByteLevelBpe::fromTokenizerJson(tmp.filePath("tokenizer.json").toStdString(), fromFile);
    checkAll(*tok, dir, false);
}

void TestByteLevelBpe::rejectsInvalidUtf8() {
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/gpt2");
    const auto tok =
        ByteLevelBpe::fromFiles((dir + "/vocab.json").toStdString(),
                                (dir + "/merges.txt").toStdString(), settingsFor("gpt2"));
    for (const std::string& bad : {std::string("ok \xff here"), std::string("\xc3"),
                                   std::string("a\xed\xa0\x80"), std::string("\xc0\xaf")}) {
        try {
            tok->encode(bad);
            QFAIL("expected TokenizerError");
        } catch (const TokenizerError& e) {
            QVERIFY2(QString(e.what()).contains("not valid UTF-8"), e.what());
        }
    }
    QVERIFY_THROWS_EXCEPTION(TokenizerError, tok->decode({999999}));
}

void TestByteLevelBpe::loadPicksFilesAndNamesProblems() {
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/gpt2");
    const auto tok = Tokenizer::load(dir.toStdString());
    QCOMPARE(tok->encode("Hello world"), (std::vector<int64_t>{15496, 995}));
    QCOMPARE(tok->eosId(), int64_t{50256});
    QTemporaryDir empty;
    try {
        Tokenizer::load(empty.path().toStdString());
        QFAIL("expected TokenizerError");
    } catch (const TokenizerError& e) {
        QVERIFY2(QString(e.what()).contains("no tokenizer found"), e.what());
    }
    std::ofstream(empty.filePath("tokenizer.json").toStdString()) << "{\"model\": ";
    try {
        Tokenizer::load(empty.path().toStdString());
        QFAIL("expected TokenizerError");
    } catch (const TokenizerError& e) {
        QVERIFY2(QString(e.what()).contains("tokenizer.json: malformed JSON"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestByteLevelBpe)
#include "tst_byte_level_bpe.moc"
