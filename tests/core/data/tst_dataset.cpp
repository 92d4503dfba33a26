// Dataset readers and prompt building on the real SciTLDR and DialogSum files, and every kind
// of bad input with the file, line and field named.
#include "core/data/dataset.h"
#include "core/data/summarization_batches.h"
#include "core/text/byte_level_bpe.h"
#include "tests/support/shared_data.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt::data;

class TestDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void presetsLoadWithTheRightCounts();
    void promptsAndLabelsOnRealRecords();
    void batchesArePaddedMaskedAndShuffledPerEpoch();
    void csvTsvAndJsonArray();
    void badInput_data();
    void badInput();
    void skipBadCountsAndContinues();
    void aTenMegabyteLineIsFine();
    void seededSplitIsDeterministic();
    void seq2seqFormatForT5();

private:
    QString write(const QString& name, const std::string& content) {
        const QString p = m_dir->filePath(name);
        std::ofstream(p.toStdString(), std::ios::binary) << content;
        return p;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDataset::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestDataset::presetsLoadWithTheRightCounts() {
    GT_REQUIRE_SHARED(sci, "data/scitldr");
    const Splits s = loadPreset("scitldr", sci.toStdString());
    QCOMPARE(s.train.size(), size_t{1992});
    QCOMPARE(s.validation.size(), size_t{619});
    QCOMPARE(s.test.size(), size_t{618});
    QCOMPARE(s.train[0].targets.size(), size_t{1});
    size_t multi = 0;
    for (const auto& e : s.test)
        multi += e.targets.size() > 1;
    QVERIFY(multi > 100); // dev/test carry 1-4 reference TLDRs
    QVERIFY(s.train[0].source.find(". ") != std::string::npos); // sentences joined by spaces
    GT_REQUIRE_SHARED(dlg, "data/dialogsum");
    const Splits d = loadPreset("dialogsum", dlg.toStdString());
    QCOMPARE(d.train.size(), size_t{12460});
    QCOMPARE(d.validation.size(), size_t{500});
    QVERIFY(d.train[0].source.find("#Person1#:") != std::string::npos);
    QVERIFY_THROWS_EXCEPTION(DataError, loadPreset("cnn", dlg.toStdString()));
}

void TestDataset::promptsAndLabelsOnRealRecords() {
    GT_REQUIRE_SHARED(sci, "data/scitldr");
    GT_REQUIRE_SHARED(tokDir, "fixtures/tokenizers/gpt2");
    gt::text::SpecialTokens sp;
    sp.bos = sp.eos = sp.unk = "<|endoftext|>";
    const auto tok = gt::text::ByteLevelBpe::fromFiles((tokDir + "/vocab.json").toStdString(),
                                                       (tokDir + "/merges.txt").toStdString(), sp);
    const Splits s = loadPreset("scitldr", sci.toStdString());
    PromptOptions o;
    o.maxLength = 128;
    for (size_t i = 0; i < 50; ++i) {
        const auto x = encodeForTraining(*tok, s.train[i], o);
        QVERIFY(static_cast<int64_t>(x.ids.size()) <= 128);
        QCOMPARE(x.ids.size(), x.labels.size());
        for (size_t k = 0; k < x.promptLength; ++k)
            QCOMPARE(x.labels[k], int64_t{-100});
        for (size_t k = x.promptLength; k < x.ids.size(); ++k)
            QCOMPARE(x.labels[k], x.ids[k]);
        QCOMPARE(x.ids.back(), int64_t{50256}); // EOS appended (our default)
        const std::string prompt =
            tok->decode({x.ids.begin(), x.ids.begin() + long(x.promptLength)}, false, false);
        QVERIFY(prompt.size() >= 7 && prompt.substr(prompt.size() - 7) == " TL;DR:");
        const std::string summary =
            tok->decode({x.ids.begin() + long(x.promptLength), x.ids.end() - 1}, false, false);
        QVERIFY2(s.train[i].targets[0].rfind(summary.substr(1, 20), 0) == 0,
                 summary.c_str()); // " {summary}"
    }
    o.appendEos = false; // the paper's mode
    const auto paper = encodeForTraining(*tok, s.train[0], o);
    QVERIFY(paper.ids.back() != 50256);
    const auto prompt = encodePrompt(*tok, s.train[0].source, o, 32);
    QVERIFY(static_cast<int64_t>(prompt.size()) <= 128 - 32);
}

void TestDataset::batchesArePaddedMaskedAndShuffledPerEpoch() {
    std::vector<EncodedExample> ex;
    for (int i = 0; i < 10; ++i) {
        EncodedExample e;
        e.ids.assign(static_cast<size_t>(3 + i), 7 + i);
        e.promptLength = 2;
        e.labels = e.ids;
        e.labels[0] = e.labels[1] = -100;
        ex.push_back(e);
    }
    PromptOptions o;
    o.maxLength = 16;
    SummarizationBatches b(ex, 4, 0, 42, true, o);
    QCOMPARE(b.size(), size_t{3});
    const auto first = b.batch(0, 0);
    QCOMPARE(first.inputIds.size(0), 4);
    QVERIFY((first.labels.masked_select(first.attentionMask == 0) == -100).all().item<bool>());
    QVERIFY(torch::equal(b.batch(0, 0).inputIds, first.inputIds)); // deterministic
    QVERIFY(!torch::equal(b.batch(1, 0).inputIds, first.inputIds) ||
            !torch::equal(b.batch(2, 0).inputIds, first.inputIds)); // reshuffled per epoch
    QCOMPARE(b.batch(0, 2).inputIds.size(0), 2);                    // the remainder
    o.padToMaxLength = true;
    SummarizationBatches padded(ex, 4, 0, 42, false, o);
    QCOMPARE(padded.batch(0, 0).inputIds.size(1), 16);
    QCOMPARE(padded.paddedLength(), int64_t{16});
}

void TestDataset::csvTsvAndJsonArray() {
    ReadOptions o;
    o.sourceField = "text";
    o.targetField = "summary";
    const auto csv = readDataset(
        write("d.csv",
              "text,summary\n\"a, quoted\n source\",\"its \"\"summary\"\"\"\nplain,short\n")
            .toStdString(),
        o);
    QCOMPARE(csv.size(), size_t{2});
    QCOMPARE(csv[0].source, std::string("a, quoted\n source"));
    QCOMPARE(csv[0].targets[0], std::string("its \"summary\""));
    const auto tsv =
        readDataset(write("d.tsv", "summary\ttext\nthe tl;dr\tthe long text\n").toStdString(), o);
    QCOMPARE(tsv[0].source, std::string("the long text"));
    const auto arr = readDataset(
        write("d.json", R"([{"text": ["one.", "two."], "summary": ["s1", "s2"]}])").toStdString(),
        o);
    QCOMPARE(arr[0].source, std::string("one. two."));
    QCOMPARE(arr[0].targets.size(), size_t{2});
}

void TestDataset::badInput_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("malformed line")
        << "a.jsonl" << QByteArray("{\"source\": \"x\", \"target\": \"y\"}\n{\"source\": \"x\",\n")
        << "a.jsonl:2: malformed JSON";
    QTest::newRow("missing field") << "b.jsonl" << QByteArray("{\"source\": \"x\"}\n")
                                   << "b.jsonl:1: the record has no field 'target'";
    QTest::newRow("empty source") << "c.jsonl"
                                  << QByteArray("{\"source\": \"  \", \"target\": \"y\"}\n")
                                  << "c.jsonl:1: field 'source' is empty";
    QTest::newRow("empty target") << "d.jsonl"
                                  << QByteArray("{\"source\": \"x\", \"target\": []}\n")
                                  << "d.jsonl:1: field 'target' is empty";
    QTest::newRow("wrong type") << "e.jsonl" << QByteArray("{\"source\": 5, \"target\": \"y\"}\n")
                                << "field 'source' must be a string or a list of strings";
    QTest::newRow("non-utf8") << "f.jsonl"
                              << QByteArray("{\"source\": \"caf\xe9\", \"target\": \"y\"}\n")
                              << "f.jsonl:1";
    QTest::newRow("empty file") << "g.jsonl" << QByteArray("") << "g.jsonl: no usable records";
    QTest::newRow("csv without column")
        << "h.csv" << QByteArray("a,b\n1,2\n") << "no column named 'source'";
    QTest::newRow("csv ragged row")
        << "i.csv" << QByteArray("source,target\nx,y,z\n") << "i.csv:2: 3 fields, the header has 2";
    QTest::newRow("unknown extension") << "j.txt" << QByteArray("x") << "cannot tell the format";
}

void TestDataset::badInput() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    const QString p = write(name, content.toStdString());
    try {
        readDataset(p.toStdString(), {});
        QFAIL("expected DataError");
    } catch (const DataError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestDataset::skipBadCountsAndContinues() {
    const QString p =
        write("s.jsonl", "{\"source\": \"a\", \"target\": \"b\"}\nnot json\n{\"source\": "
                         "\"c\"}\n{\"source\": \"d\", \"target\": \"e\"}\n");
    ReadOptions o;
    o.skipBad = true;
    ReadReport r;
    const auto ex = readDataset(p.toStdString(), o, &r);
    QCOMPARE(ex.size(), size_t{2});
    QCOMPARE(r.skipped, size_t{2});
    QVERIFY(QString::fromStdString(r.problems[0]).contains("s.jsonl:2"));
    QVERIFY(QString::fromStdString(r.problems[1]).contains("s.jsonl:3"));
}

void TestDataset::aTenMegabyteLineIsFine() {
    const std::string big(10 * 1024 * 1024, 'w');
    const QString p = write("big.jsonl", "{\"source\": \"" + big + "\", \"target\": \"t\"}\n");
    const auto ex = readDataset(p.toStdString(), {});
    QCOMPARE(ex[0].source.size(), big.size());
}

void TestDataset::seededSplitIsDeterministic() {
    std::vector<Example> all;
    for (int i = 0; i < 100; ++i)
        all.push_back({std::to_string(i), {"t"}});
    const Splits a = splitSeeded(all, 0.1, 0.2, 7), b = splitSeeded(all, 0.1, 0.2, 7);
    QCOMPARE(a.train.size(), size_t{70});
    QCOMPARE(a.validation.size(), size_t{10});
    QCOMPARE(a.test.size(), size_t{20});
    QCOMPARE(a.validation[3].source, b.validation[3].source);
    QVERIFY_THROWS_EXCEPTION(DataError, splitSeeded(all, 0.5, 0.5, 1));
    const auto st = lengthStats({5, 1, 9, 3});
    QCOMPARE(st.min, int64_t{1});
    QCOMPARE(st.max, int64_t{9});
    QCOMPARE(st.mean, 4.5);
}

void TestDataset::seq2seqFormatForT5() {
    GT_REQUIRE_SHARED(spm, "fixtures/tokenizers/t5_testspm/spiece.model");
    QTemporaryDir dir;
    QVERIFY(QFile::copy(spm, dir.filePath("spiece.model")));
    std::ofstream(dir.filePath("config.json").toStdString()) << R"({"model_type": "t5"})";
    const auto tok = gt::text::Tokenizer::load(dir.path().toStdString());
    const Example e{"the quick brown fox jumps over the lazy dog again and again", {"a fox jumps"}};
    const auto x = encodeForSeq2Seq(*tok, e, 512, 64);
    QCOMPARE(x.inputIds.back(), int64_t(2)); // </s>
    QCOMPARE(x.labels.back(), int64_t(2));
    QVERIFY(tok->decode(x.inputIds, true).rfind("summarize: the quick", 0) == 0);
    QCOMPARE(tok->decode(x.labels, true), std::string("a fox jumps"));
    const auto cut = encodeForSeq2Seq(*tok, e, 8, 3);
    QCOMPARE(cut.inputIds.size(), size_t(8)); // cut, and still ends with EOS
    QCOMPARE(cut.inputIds.back(), int64_t(2));
    QCOMPARE(cut.labels.size(), size_t(3));
    QCOMPARE(cut.labels.back(), int64_t(2));
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
