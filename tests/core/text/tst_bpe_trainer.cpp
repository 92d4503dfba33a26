// The byte-level BPE trainer: the classic worked example's first merges, determinism, a
// tokenizer.json that our loader reads and that round-trips any UTF-8 byte for byte, and
// specials at the ids OPT uses.
#include "core/text/bpe_trainer.h"
#include "core/text/byte_level_bpe.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace gt::text;

class TestBpeTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mergesFollowPairFrequency();
    void writesALoadableRoundTrippingTokenizer();
    void rejectsTooSmallVocabularies();
};

void TestBpeTrainer::mergesFollowPairFrequency() {
    // Sennrich et al.'s example: "low" x5, "lower" x2, "newest" x6, "widest" x3 (with the
    // GPT-2 space prefix "Ġ"). Pair counts: "es" 9, "st" 9, "Ġl"/"lo"/"ow" 7, "Ġn"... The
    // first merge is a 9-count pair; ties break by spelling, so "e s" comes before "s t".
    BpeTrainerOptions o;
    o.vocabSize = 4 + 256 + 3;
    BpeTrainer t(o);
    for (int i = 0; i < 5; ++i)
        t.addDocument(" low");
    for (int i = 0; i < 2; ++i)
        t.addDocument(" lower");
    for (int i = 0; i < 6; ++i)
        t.addDocument(" newest");
    for (int i = 0; i < 3; ++i)
        t.addDocument(" widest");
    const auto bpe = t.train();
    QCOMPARE(bpe.merges.size(), size_t(3));
    QCOMPARE(bpe.merges[0], (std::pair<std::string, std::string>{"e", "s"}));
    QCOMPARE(bpe.merges[1], (std::pair<std::string, std::string>{"es", "t"})); // 9 again
    QCOMPARE(bpe.vocab.size(), size_t(263));
    QCOMPARE(bpe.vocab[0], std::string("<s>"));
    QCOMPARE(bpe.vocab[2], std::string("</s>"));
    // Same input, same result.
    BpeTrainer again(o);
    for (int i = 0; i < 5; ++i)
        again.addDocument(" low");
    for (int i = 0; i < 2; ++i)
        again.addDocument(" lower");
    for (int i = 0; i < 6; ++i)
        again.addDocument(" newest");
    for (int i = 0; i < 3; ++i)
        again.addDocument(" widest");
    QCOMPARE(again.train().merges, bpe.merges);
}

void TestBpeTrainer::writesALoadableRoundTrippingTokenizer() {
    BpeTrainerOptions o;
    o.vocabSize = 600;
    BpeTrainer t(o);
    const std::vector<std::string> corpus = {
        "Debian is a free operating system.\nIt ships thousands of packages.",
        "This package provides a library for parsing JSON documents quickly.",
        "Ein Paket für Übersetzungen — naïve café, 日本語のテキスト, emoji 🙂.",
        "  indented   spaces\tand\ttabs\n\n\nnewlines"};
    for (int r = 0; r < 20; ++r)
        for (const auto& d : corpus)
            t.addDocument(d);
    const auto bpe = t.train();
    QVERIFY(bpe.merges.size() > 50);
    QTemporaryDir dir;
    const auto file = std::filesystem::path(dir.path().toStdString()) / "tokenizer.json";
    writeTokenizerJson(file, bpe);
    const auto tok = ByteLevelBpe::fromTokenizerJson(file, {});
    // The small corpus runs out of repeated pairs before 600 symbols: every word is whole.
    QCOMPARE(tok->vocabSize(), static_cast<int64_t>(4 + 256 + bpe.merges.size()));
    QVERIFY(tok->vocabSize() <= 600);
    QCOMPARE(tok->tokenId("</s>"), int64_t(2));
    QCOMPARE(tok->tokenId("<pad>"), int64_t(1));
    std::vector<std::string> probes = corpus;
    probes.push_back("unseen words: zyzzyva quokka 12345 ∑∫ \xF0\x9F\x98\x80 end");
    probes.push_back("\x01\x02 control bytes \x7f"); // 18 bytes (ASan: it read 21)
    for (const auto& s : probes) {
        const auto ids = tok->encode(s, false);
        QCOMPARE(tok->decode(ids, false, false), s);
    }
    // Learnt merges shorten the corpus: fewer tokens than bytes.
    QVERIFY(tok->encode(corpus[1], false).size() < corpus[1].size() / 2);
    // The file is valid HF layout: model.type BPE with a ByteLevel pre-tokenizer.
    std::ifstream in(file);
    const auto j = nlohmann::json::parse(in);
    QCOMPARE(j["model"]["type"].get<std::string>(), std::string("BPE"));
    QCOMPARE(j["pre_tokenizer"]["type"].get<std::string>(), std::string("ByteLevel"));
    QCOMPARE(j["added_tokens"].size(), size_t(4));
}

void TestBpeTrainer::rejectsTooSmallVocabularies() {
    BpeTrainerOptions o;
    o.vocabSize = 100;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BpeTrainer{o});
}

QTEST_GUILESS_MAIN(TestBpeTrainer)
#include "tst_bpe_trainer.moc"
