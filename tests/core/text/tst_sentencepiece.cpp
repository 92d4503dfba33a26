// SentencePiece tokenizers against the reference slow tokenizers (../shared/fixtures/
// tokenizers/{llama, llama_nonlegacy, t5_testspm}): all 218 strings each -- ids with and
// without specials, tokens, decodings. Also checks that the SentencePiece module and LibTorch
// live in one process (this binary links LibTorch through gt_core).
#include "core/text/sentencepiece_tokenizer.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <fstream>

using namespace gt::text;

class TestSentencePiece : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void loadPicksTheModelFromADirectory();
};

void TestSentencePiece::matchesReference_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("model");
    QTest::newRow("llama") << "llama"
                           << "llama/tokenizer.model";
    QTest::newRow("llama_nonlegacy") << "llama_nonlegacy"
                                     << "llama/tokenizer.model";
    QTest::newRow("t5_testspm") << "t5_testspm"
                                << "t5_testspm/spiece.model";
}

void TestSentencePiece::matchesReference() {
    QFETCH(QString, name);
    QFETCH(QString, model);
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/" + name);
    GT_REQUIRE_SHARED(modelPath, "fixtures/tokenizers/" + model);
    SpmOptions o;
    bool cleanup = false;
    if (name == "t5_testspm") {
        o.flavor = SpmFlavor::T5;
        o.extraIds = 100;
        o.special.eos = "</s>";
        o.special.unk = "<unk>";
        o.special.pad = "<pad>";
        o.special.addEos = true;
        cleanup = true; // T5Tokenizer's clean_up_tokenization_spaces default
    } else {
        o.legacy = name == "llama";
        o.special.bos = "<s>";
        o.special.eos = "</s>";
        o.special.unk = "<unk>";
        o.special.addBos = true;
    }
    const auto tok = SentencePieceTokenizer::open(modelPath.toStdString(), o);
    std::ifstream in((dir + "/expected.jsonl").toStdString());
    int n = 0, failures = 0;
    for (std::string line; std::getline(in, line); ++n) {
        const auto r = nlohmann::json::parse(line);
        const std::string text = r["text"];
        const auto ids = r["ids"].get<std::vector<int64_t>>();
        const auto plain = r["ids_no_special"].get<std::vector<int64_t>>();
        const bool ok =
            tok->encode(text) == ids && tok->encode(text, false) == plain &&
            tok->tokenize(text) == r["tokens"].get<std::vector<std::string>>() &&
            tok->decode(ids, false, cleanup) == r["decoded"].get<std::string>() &&
            tok->decode(ids, true, cleanup) == r["decoded_skip_special"].get<std::string>() &&
            tok->decode(plain, false, false) == r["decoded_no_cleanup"].get<std::string>();
        if (!ok && failures++ < 8) {
            std::string got;
            for (auto& t : tok->tokenize(text))
                got += "[" + t + "]";
            qWarning(
                "string %d %s: tokens %s decoded '%s' skip '%s' nocleanup '%s'", n,
                line.substr(0, 300).c_str(), got.c_str(), tok->decode(ids, false, cleanup).c_str(),
                tok->decode(ids, true, cleanup).c_str(), tok->decode(plain, false, false).c_str());
        }
    }
    QCOMPARE(n, 218);
    QCOMPARE(failures, 0);
}

void TestSentencePiece::loadPicksTheModelFromADirectory() {
    GT_REQUIRE_SHARED(dir, "fixtures/tokenizers/llama");
    const auto tok = Tokenizer::load(dir.toStdString());
    QCOMPARE(tok->encode("Hello world"), (std::vector<int64_t>{1, 15043, 3186}));
    QCOMPARE(tok->bosId(), int64_t{1});
    QCOMPARE(tok->eosId(), int64_t{2});
    QVERIFY_THROWS_EXCEPTION(TokenizerError, tok->encode(std::string("bad \xff")));
}

QTEST_GUILESS_MAIN(TestSentencePiece)
#include "tst_sentencepiece.moc"
