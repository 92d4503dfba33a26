// `gt rouge` on files: JSONL and line-by-line inputs, JSON output matching the library, errors.
#include "core/eval/rouge.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

class TestCliRouge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonlWithReferenceCasesMatchesTheReferenceMeans();
    void lineFilesAndMultipleReferences();
    void badInputsAreNamed();

private:
    using Result = gt::test::CliResult;
    static Result gt(const QStringList& args) { return gt::test::runGt(args); }
};

void TestCliRouge::jsonlWithReferenceCasesMatchesTheReferenceMeans() {
    GT_REQUIRE_SHARED(cases, "fixtures/rouge/cases.jsonl");
    GT_REQUIRE_SHARED(agg, "fixtures/rouge/aggregate.json");
    const Result r = gt({"rouge", "--pred", cases, "--stem", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o["examples"].toInt(), 306);
    QFile f(agg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject want = QJsonDocument::fromJson(f.readAll())
                                 .object()["scores"]
                                 .toObject()["use_stemmer_true"]
                                 .toObject();
    for (const char* m : {"rouge1", "rouge2", "rougeL", "rougeLsum"})
        QVERIFY(std::abs(o["mean"].toObject()[m].toObject()["fmeasure"].toDouble() -
                         want[m].toObject()["mean_fmeasure"].toDouble()) < 1e-9);
    const Result text = gt({"rouge", "--pred", cases});
    QVERIFY(text.out.contains("306 examples, stemmer off"));
    QVERIFY(text.out.contains("ROUGE-Lsum"));
}

void TestCliRouge::lineFilesAndMultipleReferences() {
    QTemporaryDir d;
    std::ofstream(d.filePath("p.txt").toStdString()) << "the cat sat on the mat\nhello world\n";
    std::ofstream(d.filePath("r.txt").toStdString()) << "the cat sat on a mat\nhello there world\n";
    const Result r =
        gt({"rouge", "--pred", d.filePath("p.txt"), "--ref", d.filePath("r.txt"), "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray per =
        QJsonDocument::fromJson(r.out.toUtf8()).object()["per_example"].toArray();
    QCOMPARE(per.size(), 2);
    QVERIFY(std::abs(per[0].toObject()["rouge1"].toObject()["fmeasure"].toDouble() -
                     gt::eval::rougeScore("the cat sat on the mat", "the cat sat on a mat", false)
                         .rouge1.fmeasure) < 1e-12);
    std::ofstream(d.filePath("m.jsonl").toStdString())
        << R"({"prediction": "a b c", "reference": ["x y z", "a b c"]})"
        << "\n";
    const Result m = gt({"rouge", "--pred", d.filePath("m.jsonl"), "--json"});
    QCOMPARE(QJsonDocument::fromJson(m.out.toUtf8())
                 .object()["mean"]
                 .toObject()["rouge1"]
                 .toObject()["fmeasure"]
                 .toDouble(),
             1.0);
}

void TestCliRouge::badInputsAreNamed() {
    QTemporaryDir d;
    std::ofstream(d.filePath("bad.jsonl").toStdString())
        << R"({"prediction": "a", "reference": "b"})"
        << "\n{oops\n";
    const Result r = gt({"rouge", "--pred", d.filePath("bad.jsonl")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("bad.jsonl:2: not a JSON object"), qPrintable(r.err));
    std::ofstream(d.filePath("nofield.jsonl").toStdString()) << R"({"prediction": "a"})"
                                                             << "\n";
    const Result f = gt({"rouge", "--pred", d.filePath("nofield.jsonl")});
    QVERIFY2(f.err.contains("nofield.jsonl:1: field 'reference' is missing"), qPrintable(f.err));
    std::ofstream(d.filePath("p.txt").toStdString()) << "a\nb\n";
    std::ofstream(d.filePath("r.txt").toStdString()) << "a\n";
    const Result c = gt({"rouge", "--pred", d.filePath("p.txt"), "--ref", d.filePath("r.txt")});
    QVERIFY2(c.err.contains("has 2 lines but") && c.err.contains("has 1"), qPrintable(c.err));
    std::ofstream(d.filePath("empty.jsonl").toStdString()) << "";
    QVERIFY(
        gt({"rouge", "--pred", d.filePath("empty.jsonl")}).err.contains("no examples to score"));
}

QTEST_GUILESS_MAIN(TestCliRouge)
#include "tst_cli_rouge.moc"
