// The starter-model recipe end to end at toy size: `gt tokenizer train` then `gt pretrain`
// write a Hugging Face directory that `gt generate` loads; validation perplexity falls.
#include "tests/support/cli_runner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

class TestCliPretrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tokenizerThenPretrainThenGenerate();
    void badCorpusIsNamed();
};

void TestCliPretrain::tokenizerThenPretrainThenGenerate() {
    QTemporaryDir d;
    const QString corpus = d.filePath("corpus.jsonl");
    {
        std::ofstream out(corpus.toStdString());
        const char* subjects[] = {"library", "tool", "game", "server", "editor"};
        const char* verbs[] = {"parses", "renders", "checks", "converts", "plays"};
        for (int i = 0; i < 400; ++i)
            out << R"({"text": "This )" << subjects[i % 5] << " " << verbs[(i / 5) % 5]
                << R"( files quickly. It is written in C and )" << verbs[(i / 3) % 5]
                << R"( data for users."})"
                << "\n";
    }
    auto r = gt::test::runGt({"tokenizer", "train", "--corpus", corpus, "--vocab-size", "320",
                              "--out", d.filePath("tok")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("0 mismatches"));
    r = gt::test::runGt({"pretrain",
                         "--corpus",
                         corpus,
                         "--tokenizer",
                         d.filePath("tok"),
                         "--out",
                         d.filePath("model"),
                         "--layers",
                         "1",
                         "--hidden",
                         "32",
                         "--heads",
                         "2",
                         "--ffn",
                         "64",
                         "--seq-len",
                         "32",
                         "--batch",
                         "4",
                         "--steps",
                         "40",
                         "--lr",
                         "3e-3",
                         "--warmup",
                         "4",
                         "--eval-every",
                         "10",
                         "--threads",
                         "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QRegularExpression ppl("validation perplexity ([0-9.]+)");
    std::vector<double> seen;
    for (auto it = ppl.globalMatch(r.err); it.hasNext();)
        seen.push_back(it.next().captured(1).toDouble());
    QVERIFY2(seen.size() >= 4, qPrintable(r.err));
    QVERIFY2(seen.back() < seen.front(), qPrintable(r.err));
    QVERIFY(seen.back() < 320); // better than uniform over the vocabulary
    for (const char* f : {"config.json", "generation_config.json", "model.safetensors",
                          "tokenizer.json", "tokenizer_config.json"})
        QVERIFY2(QFile::exists(d.filePath(QString("model/") + f)), f);
    QVERIFY(!QFile::exists(d.filePath("model/checkpoint")));
    QFile cfg(d.filePath("model/config.json"));
    QVERIFY(cfg.open(QIODevice::ReadOnly));
    const auto c = QJsonDocument::fromJson(cfg.readAll()).object();
    QCOMPARE(c["model_type"].toString(), QString("opt"));
    QCOMPARE(c["vocab_size"].toInt(), 320);
    QCOMPARE(c["max_position_embeddings"].toInt(), 32);
    r = gt::test::runGt({"generate", "--model", d.filePath("model"), "--prompt", "This library",
                         "--max-new-tokens", "8"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.startsWith("This library"));
}

void TestCliPretrain::badCorpusIsNamed() {
    QTemporaryDir d;
    const QString corpus = d.filePath("bad.jsonl");
    std::ofstream(corpus.toStdString()) << "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n";
    const auto r = gt::test::runGt({"tokenizer", "train", "--corpus", corpus, "--out", d.path()});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("bad.jsonl:2") && r.err.contains("'text'"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliPretrain)
#include "tst_cli_pretrain.moc"
