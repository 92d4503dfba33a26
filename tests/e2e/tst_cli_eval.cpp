// `gt eval` and `gt data preview` as a user runs them: scores a real tiny model on a JSONL
// split (text and JSON output agree, predictions count), stores the result as a run, and
// names bad input.
#include "core/store/experiment_store.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

class TestCliEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scoresAndStores();
    void attachesScoresToATrainingRun();
    void comparesWithTheLeadSentence();
    void previewAndErrors();

private:
    QTemporaryDir m_dir;
    QString m_model, m_data;
};

void TestCliEval::initTestCase() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    m_model = m_dir.filePath("model");
    QDir().mkpath(m_model);
    QVERIFY(gt::test::makeTinyGpt2(fixture, m_model));
    m_data = m_dir.filePath("pairs.jsonl");
    std::ofstream out(m_data.toStdString());
    for (int i = 0; i < 6; ++i)
        out << R"({"source": "the editor )" << i
            << R"( opens files", "target": ["an editor", "a text editor"]})"
            << "\n";
}

void TestCliEval::scoresAndStores() {
    auto r = gt::test::runGt({"eval", "--model", m_model, "--file", m_data, "--seq-len", "48",
                              "--max-new-tokens", "4", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("6 examples (validation)"));
    QVERIFY(r.out.contains("ROUGE-Lsum"));
    r = gt::test::runGt({"eval",
                         "--model",
                         m_model,
                         "--file",
                         m_data,
                         "--seq-len",
                         "48",
                         "--max-new-tokens",
                         "4",
                         "--threads",
                         "1",
                         "--json",
                         "--beams",
                         "2",
                         "--no-repeat-ngram",
                         "2",
                         "--length-penalty",
                         "0.5",
                         "--db",
                         m_dir.filePath("runs.sqlite"),
                         "--name",
                         "tiny eval"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o["examples"].toInt(), 6);
    QCOMPARE(o["predictions"].toArray().size(), 6);
    QVERIFY(o["rouge1"].toDouble() >= 0 && o["rouge1"].toDouble() <= 100);
    gt::store::ExperimentStore s(m_dir.filePath("runs.sqlite").toStdString(),
                                 gt::store::ExperimentStore::Mode::ReadOnly);
    const auto runs = s.listRuns({});
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs[0].name, std::string("tiny eval"));
    QCOMPARE(runs[0].id, static_cast<int64_t>(o["run_id"].toInt()));
    const auto config = QJsonDocument::fromJson(QByteArray::fromStdString(runs[0].configJson));
    QCOMPARE(config["num_beams"].toInt(), 2);
    QCOMPARE(config["no_repeat_ngram"].toInt(), 2);
    QCOMPARE(config["length_penalty"].toDouble(), 0.5);
    QCOMPARE(config["length_of_new_tokens"].toBool(), false);
    const auto ev = s.evaluations(runs[0].id);
    QCOMPARE(ev.size(), size_t(1));
    QCOMPARE(ev[0].examples, int64_t(6));
    QVERIFY(std::abs(*ev[0].rouge1 - o["rouge1"].toDouble()) < 1e-9);
}

void TestCliEval::attachesScoresToATrainingRun() {
    // a stand-in for the model's training run, with its last step at 40
    const QString db = m_dir.filePath("attach.sqlite");
    int64_t trained = 0;
    {
        gt::store::ExperimentStore s(db.toStdString());
        gt::store::NewRun nr;
        nr.name = "gt-0.5";
        nr.method = "greentrainer";
        trained = s.createRun(nr);
        s.appendMetrics(trained, {{"train/loss", 40, 2.0}});
        s.finishRun(trained, gt::store::RunStatus::Finished);
    }
    const QStringList base{
        "eval", "--model",   m_model, "--file",  m_data, "--seq-len", "48", "--max-new-tokens",
        "4",    "--threads", "1",     "--split", "test", "--db",      db};
    auto r =
        gt::test::runGt(QStringList(base) << "--attach" << QString::number(trained) << "--json");
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(static_cast<int64_t>(o["run_id"].toInt()), trained);
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.listRuns({}).size(), size_t(1)); // no run of its own
    const auto ev = s.evaluations(trained);
    QCOMPARE(ev.size(), size_t(1));
    QCOMPARE(ev[0].split, std::string("test"));
    QCOMPARE(ev[0].step, int64_t(40));
    QCOMPARE(ev[0].examples, int64_t(6));
    QVERIFY(std::abs(*ev[0].rouge1 - o["rouge1"].toDouble()) < 1e-9);
    // an unknown run is refused before anything is generated
    r = gt::test::runGt(QStringList(base) << "--attach"
                                          << "99");
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no run with id 99 to attach the scores to") &&
                 r.err.contains("attach.sqlite"),
             qPrintable(r.err));
    QVERIFY(!r.err.contains("evaluated"));
}

void TestCliEval::comparesWithTheLeadSentence() {
    // Lead sentences worked out by hand (rouge_score tokens, best reference per metric):
    // 1. "the cat sat." vs "the cat": R-1 P 2/3 R 1 F 0.8; R-2 P 1/2 R 1 F 2/3.
    // 2. "a b c" vs "x y" (0) or "b c d e": R-1 P 2/3 R 1/2 F 4/7; R-2 P 1/2 R 1/3 F 0.4.
    const QString data = m_dir.filePath("lead.jsonl");
    std::ofstream(data.toStdString())
        << R"({"source": "the cat sat. more text here", "target": "the cat"})"
        << "\n"
        << R"({"source": "a b c\nd", "target": ["x y", "b c d e"]})"
        << "\n";
    auto r = gt::test::runGt({"eval", "--model", m_model, "--file", data, "--seq-len", "48",
                              "--max-new-tokens", "4", "--threads", "1", "--lead-baseline",
                              "--json", "--db", m_dir.filePath("lead.sqlite")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const auto lead = o["lead_baseline"].toObject();
    QVERIFY(std::abs(lead["rouge1"].toDouble() - 100 * (0.8 + 4.0 / 7) / 2) < 1e-9);
    QVERIFY(std::abs(lead["rouge2"].toDouble() - 100 * (2.0 / 3 + 0.4) / 2) < 1e-9);
    QCOMPARE(lead["resamples"].toInt(), 1000);
    const auto d1 = lead["model_minus_lead"].toObject()["rouge1"].toObject();
    QVERIFY(std::abs(d1["mean"].toDouble() - (o["rouge1"].toDouble() - lead["rouge1"].toDouble())) <
            1e-9);
    QVERIFY(d1["low"].toDouble() <= d1["mean"].toDouble() + 1e-9);
    QVERIFY(d1["high"].toDouble() >= d1["mean"].toDouble() - 1e-9);
    QVERIFY(d1["share_ahead"].toDouble() >= 0 && d1["share_ahead"].toDouble() <= 1);
    // The stored run keeps the comparison with its decoding settings.
    gt::store::ExperimentStore s(m_dir.filePath("lead.sqlite").toStdString(),
                                 gt::store::ExperimentStore::Mode::ReadOnly);
    const auto config =
        QJsonDocument::fromJson(QByteArray::fromStdString(s.listRuns({}).at(0).configJson));
    QCOMPARE(config["lead_baseline"]["rouge1"].toDouble(), lead["rouge1"].toDouble());
    // The text report puts the two side by side.
    r = gt::test::runGt({"eval", "--model", m_model, "--file", data, "--seq-len", "48",
                         "--max-new-tokens", "4", "--threads", "1", "--lead-baseline"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("first sentence") && r.out.contains("68.57") &&
                 r.out.contains("53.33") && r.out.contains("model ahead in"),
             qPrintable(r.out));
}

void TestCliEval::previewAndErrors() {
    auto r = gt::test::runGt({"data", "preview", "--data", m_data, "--model", m_model});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("lengths in tokens"));
    QVERIFY(r.out.contains("train"));
    r = gt::test::runGt({"eval", "--model", m_model, "--file", m_dir.filePath("none.jsonl")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("none.jsonl") && r.err.contains("no such file"), qPrintable(r.err));
    r = gt::test::runGt({"eval", "--model", m_model, "--preset", "scitldr"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("needs --data"));
    r = gt::test::runGt({"eval", "--model", m_model, "--file", m_data, "--split", "test"});
    QCOMPARE(r.code, 0); // a single file is its own split; the name is only a label
}

QTEST_GUILESS_MAIN(TestCliEval)
#include "tst_cli_eval.moc"
