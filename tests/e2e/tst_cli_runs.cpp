// `gt runs ...` on a real store file: list, show, compare, export, tag, rename, rm, bad files.
#include "core/store/experiment_store.h"
#include "tests/support/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt::store;

class TestCliRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listShowsRunsWithFilters();
    void showAndCompare();
    void jsonForScriptsAndSeedGroups();
    void exportCsvAndJson();
    void tagRenameAndDelete();
    void badStoreFilesAreClearErrors();
    void usageErrors();

private:
    using Result = gt::test::CliResult;
    Result gt(QStringList args);
    QTemporaryDir m_dir;
    QString m_db;
    int64_t m_full = 0, m_green = 0;
};

TestCliRuns::Result TestCliRuns::gt(QStringList args) {
    if (args.size() >= 2 && !args.contains("--db")) args << "--db" << m_db;
    return gt::test::runGt(args);
}

void TestCliRuns::initTestCase() {
    m_db = m_dir.filePath("runs.sqlite");
    ExperimentStore s(m_db.toStdString());
    NewRun a;
    a.name = "full-ft";
    a.method = "full";
    a.configJson = R"({"lr": 2e-5, "batch": 4})";
    m_full = s.createRun(a);
    NewRun b;
    b.name = "green-0.5";
    b.method = "greentrainer";
    b.rho = 0.5;
    b.tags = {"paper"};
    b.configJson = R"({"lr": 2e-5, "batch": 4, "interval": 2})";
    m_green = s.createRun(b);
    s.appendMetrics(m_full, {{"train/loss", 1, 3.0}, {"train/loss", 2, 2.5}});
    s.appendMetrics(m_green, {{"train/loss", 1, 3.1}, {"train/loss", 2, 2.7}});
    Evaluation e;
    e.step = 2;
    e.rouge1 = 30.25;
    s.addEvaluation(m_green, e);
    s.finishRun(m_full, RunStatus::Finished, {.plannedMacs = 2e12, .fullMacs = 2e12});
    s.finishRun(m_green, RunStatus::Finished, {.plannedMacs = 1e12, .fullMacs = 2e12});
}

void TestCliRuns::listShowsRunsWithFilters() {
    const Result r = gt({"runs", "list"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("full-ft") && r.out.contains("green-0.5"));
    const Result f = gt({"runs", "list", "--method", "greentrainer"});
    QVERIFY(!f.out.contains("full-ft") && f.out.contains("green-0.5"));
    const Result t = gt({"runs", "list", "--tag", "paper"});
    QVERIFY(t.out.contains("green-0.5") && !t.out.contains("full-ft"));
}

void TestCliRuns::showAndCompare() {
    const Result r = gt({"runs", "show", QString::number(m_green)});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("greentrainer, rho 0.500"));
    QVERIFY(r.out.contains("train/loss = 2.7"));
    QVERIFY(r.out.contains("30.25"));
    const Result c = gt({"runs", "compare", QString::number(m_full), QString::number(m_green)});
    QCOMPARE(c.code, 0);
    QVERIFY2(c.out.contains("MAC share of full FT") && c.out.contains("0.500"), qPrintable(c.out));
    QVERIFY(c.out.contains("interval")); // differs
    QVERIFY(!c.out.contains("\nlr "));   // equal: not shown
}

void TestCliRuns::jsonForScriptsAndSeedGroups() {
    // Three seeds of rho 0.5 and two of rho 0.7, in a store of their own.
    const QString db = m_dir.filePath("seeds.sqlite");
    std::vector<int64_t> ids;
    {
        ExperimentStore s(db.toStdString());
        const std::vector<std::pair<double, double>> runs{
            {0.5, 30.1}, {0.7, 33.0}, {0.5, 31.4}, {0.5, 29.9}, {0.7, 34.0}};
        int seed = 0;
        for (const auto& [rho, rouge] : runs) {
            NewRun r;
            r.name = "gt-" + std::to_string(rho).substr(0, 3);
            r.method = "greentrainer";
            r.rho = rho;
            r.configJson = R"({"lr": 2e-5, "seed": )" + std::to_string(++seed) + "}";
            const int64_t id = s.createRun(r);
            Evaluation e;
            e.step = 5;
            e.split = "test";
            e.rouge1 = rouge;
            s.addEvaluation(id, e);
            s.finishRun(id, RunStatus::Finished, {.plannedMacs = rho * 2e12, .fullMacs = 2e12});
            ids.push_back(id);
        }
    }
    const Result list = gt({"runs", "list", "--json", "--ascending", "--db", db});
    QCOMPARE(list.code, 0);
    const QJsonArray all = QJsonDocument::fromJson(list.out.toUtf8()).array();
    QCOMPARE(all.size(), 5);
    QCOMPARE(all[0]["id"].toInteger(), ids[0]);
    QCOMPARE(all[0]["seed"].toInt(), 1);
    QCOMPARE(all[1]["outcome"]["rouge1"].toDouble(), 33.0);
    QCOMPARE(all[1]["outcome"]["eval_split"].toString(), QString("test"));
    QCOMPARE(all[1]["outcome"]["mac_share"].toDouble(), 0.7);
    QVERIFY(all[0]["outcome"]["energy_joules"].isNull());

    QStringList args{"runs", "compare"};
    for (int64_t id : ids)
        args << QString::number(id);
    const Result c = gt(QStringList(args) << "--json"
                                          << "--group-seeds"
                                          << "--db" << db);
    QCOMPARE(c.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(c.out.toUtf8()).object();
    QCOMPARE(o["runs"].toArray().size(), 5);
    QStringList keys;
    for (const auto& d : o["differences"].toArray())
        keys << d.toObject()["key"].toString();
    QCOMPARE(keys, (QStringList{"run.rho", "seed"})); // lr is equal, names are not config
    const QJsonArray groups = o["groups"].toArray();
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups[0]["runs"].toArray().size(), 3);
    QCOMPARE(groups[0]["settings"]["run.rho"].toString(), QString("0.5"));
    // 30.1, 31.4, 29.9: mean 30.4667, half width 4.3027 x 0.81445 / sqrt(3) = 2.0232
    const QJsonObject r1 = groups[0]["outcome"]["rouge1"].toObject();
    QVERIFY(std::abs(r1["mean"].toDouble() - 30.466667) < 1e-4);
    QVERIFY(std::abs(r1["half_width"].toDouble() - 2.0232) < 1e-3);
    QCOMPARE(r1["n"].toInt(), 3);
    // 33.0, 34.0: mean 33.5, half width 12.7062 x 0.70711 / sqrt(2) = 6.3531
    const QJsonObject r2 = groups[1]["outcome"]["rouge1"].toObject();
    QVERIFY(std::abs(r2["half_width"].toDouble() - 6.3531) < 1e-3);

    const Result text = gt(QStringList(args) << "--group-seeds"
                                             << "--db" << db);
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains("seed groups (2;"), qPrintable(text.out));
    QVERIFY2(text.out.contains("30.47 ± 2.02 (n=3)"), qPrintable(text.out));
    QVERIFY2(text.out.contains("33.50 ± 6.35 (n=2)"), qPrintable(text.out));
}

void TestCliRuns::exportCsvAndJson() {
    const Result csv = gt({"runs", "export", QString::number(m_full), "--csv"});
    QCOMPARE(csv.code, 0);
    QVERIFY(csv.out.startsWith("run_id,series,step,epoch,wall_s,value\n"));
    QCOMPARE(csv.out.count('\n'), 3);
    const QString file = m_dir.filePath("run.json");
    const Result js = gt({"runs", "export", QString::number(m_green), "--json", "--out", file});
    QCOMPARE(js.code, 0);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(o["method"].toString(), QString("greentrainer"));
}

void TestCliRuns::tagRenameAndDelete() {
    QCOMPARE(gt({"runs", "tag", QString::number(m_full), "baseline"}).code, 0);
    QCOMPARE(gt({"runs", "rename", QString::number(m_full), "full fine-tuning"}).code, 0);
    const Result l = gt({"runs", "list", "--tag", "baseline"});
    QVERIFY(l.out.contains("full fine-tuning"));
    const Result rm = gt({"runs", "rm", QString::number(m_full)});
    QCOMPARE(rm.code, 0);
    const Result again = gt({"runs", "show", QString::number(m_full)});
    QCOMPARE(again.code, 1);
    QVERIFY(again.err.contains("no run with id"));
}

void TestCliRuns::badStoreFilesAreClearErrors() {
    const QString junk = m_dir.filePath("junk.sqlite");
    std::ofstream(junk.toStdString()) << std::string(4096, 'z');
    const Result r = gt({"runs", "list", "--db", junk});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not a GreenTrainer run store"), qPrintable(r.err));
    const Result missing = gt({"runs", "list", "--db", m_dir.filePath("none.sqlite")});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("nothing has been stored yet"), qPrintable(missing.err));
}

void TestCliRuns::usageErrors() {
    QCOMPARE(gt({"runs"}).code, 2);
    const Result v = gt({"runs", "frob"});
    QCOMPARE(v.code, 2);
    QVERIFY(v.err.contains("unknown verb 'frob'"));
    const Result e = gt({"runs", "export", "1"});
    QCOMPARE(e.code, 2);
    QVERIFY(e.err.contains("choose one of --csv or --json"));
    QCOMPARE(gt({"runs", "compare", "1"}).code, 2);
    QCOMPARE(gt({"runs", "list", "--status", "sleeping"}).code, 2);
}

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"
