// `gt demo` as a newcomer runs it, cut down to seconds: the shipped starter model and the
// built-in task, full FT, GreenTrainer and LoRA on the same pairs and steps. The printed
// table must come from the stored runs (not constants) and GreenTrainer's planned FLOPs must
// respect rho.
#include "core/store/experiment_store.h"
#include "tests/support/cli_runner.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <map>

class TestCliDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tableComesFromTheStoredRuns();
    void jsonCarriesEveryMethodAndTheHeadroom();
    void missingModelIsNamed();
};

namespace {

QString lineStarting(const QString& text, const QString& prefix) {
    for (const QString& line : text.split('\n'))
        if (line.startsWith(prefix)) return line;
    return {};
}

/// As the CLI prints numbers (printf's %.Nf: an exact tie such as 3.125 rounds to even, "3.12",
/// where QString::number would print "3.13").
QString fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return QString::fromLatin1(buf);
}

} // namespace

void TestCliDemo::tableComesFromTheStoredRuns() {
    QTemporaryDir dir;
    const QString db = dir.filePath("demo.sqlite");
    const auto r = gt::test::runGt({"demo", "--steps", "2", "--train-examples", "16",
                                    "--eval-examples", "4", "--threads", "2", "--db", db},
                                   600'000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    std::map<std::string, gt::store::RunRecord> byMethod;
    for (const auto& run : s.listRuns({}))
        byMethod[run.method] = run;
    QCOMPARE(byMethod.size(), size_t(3));
    const std::map<std::string, QString> labels{
        {"full", "Full FT"}, {"greentrainer", "GreenTrainer rho 0.50"}, {"lora", "LoRA r8"}};
    const double fullMacs = *byMethod.at("full").plannedMacs;
    for (const auto& [method, label] : labels) {
        QVERIFY2(byMethod.count(method), method.c_str());
        const auto& run = byMethod.at(method);
        QCOMPARE(run.status, gt::store::RunStatus::Finished);
        QVERIFY(std::find(run.tags.begin(), run.tags.end(), "demo") != run.tags.end());
        const auto ev = s.evaluations(run.id);
        QVERIFY(!ev.empty());
        QCOMPARE(ev.back().examples, int64_t(4));
        // The row shows this run's id, stored ROUGE-1 and planned share of full FT.
        const QString row = lineStarting(r.out, label);
        QVERIFY2(!row.isEmpty(), qPrintable(r.out));
        const QStringList cells = row.mid(label.size()).split(' ', Qt::SkipEmptyParts);
        QCOMPARE(cells.value(0), QString::number(run.id));
        QCOMPARE(cells.value(1), fixed(*ev.back().rouge1, 2));
        QCOMPARE(cells.value(6), fixed(*run.plannedMacs / fullMacs, 3));
    }
    const auto& green = byMethod.at("greentrainer");
    QVERIFY(*green.plannedMacs <= 0.5 * *green.fullMacs * (1 + 1e-9));
    QVERIFY(*byMethod.at("lora").plannedMacs < fullMacs);
    QVERIFY2(r.out.contains("GreenTrainer rho 0.50: round 0: trains ") &&
                 r.out.contains(" tensors, planned share 0.") && !r.out.contains("LoRA r8: round"),
             qPrintable(r.out));
    // The plan line says how much room rho 0.5 leaves on this model.
    const QString planLine = lineStarting(r.out, "GreenTrainer rho 0.50: round 0");
    QVERIFY2(planLine.contains("; rho_min 0.") && planLine.contains("at rho 0.5, ") &&
                 planLine.contains("% of the backward pass is left to choose from"),
             qPrintable(planLine));
    // The closing sentence reads the same stored scores the table shows.
    auto r1 = [&](const char* m) { return *s.evaluations(byMethod.at(m).id).back().rouge1; };
    const double vsFull = r1("greentrainer") - r1("full"), vsLora = r1("greentrainer") - r1("lora");
    const QString expected =
        QString("In short: GreenTrainer rho 0.50 scored %1 %2 full fine-tuning in ROUGE-1 for "
                "%3 of its FLOPs")
            .arg(fixed(std::abs(vsFull), 2), vsFull >= 0 ? "above" : "below",
                 fixed(*green.plannedMacs / fullMacs, 2));
    QVERIFY2(r.out.contains(expected), qPrintable(r.out + "\nexpected: " + expected));
    const QString vsLoraText =
        QString("and %1 %2 LoRA, which used ")
            .arg(fixed(std::abs(vsLora), 2), vsLora >= 0 ? "above" : "below");
    QVERIFY2(r.out.contains(vsLoraText),
             qPrintable("expected: " + vsLoraText + "\n" + lineStarting(r.out, "In short")));
    QVERIFY2(r.out.contains("copy-the-first-sentence baseline on the same pairs: ROUGE-1"),
             qPrintable(r.out));
}

void TestCliDemo::jsonCarriesEveryMethodAndTheHeadroom() {
    QTemporaryDir dir;
    const QString db = dir.filePath("demo.sqlite");
    const auto r = gt::test::runGt({"demo", "--steps", "1", "--train-examples", "8",
                                    "--eval-examples", "2", "--threads", "2", "--db", db, "--json"},
                                   600'000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto j = nlohmann::json::parse(r.out.toStdString()); // stdout is the object alone
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    const auto& methods = j.at("methods");
    QCOMPARE(methods.size(), size_t{3});
    QCOMPARE(methods[1].at("method").get<std::string>(), std::string("GreenTrainer rho 0.50"));
    for (const auto& m : methods) {
        const auto run = s.run(m.at("run_id").get<int64_t>());
        QVERIFY(run.has_value());
        QCOMPARE(m.at("validation").at("rouge1").get<double>(),
                 *s.evaluations(run->id).back().rouge1);
    }
    QVERIFY(!methods[0].contains("min_rho") && !methods[2].contains("min_rho"));
    // GreenTrainer's headroom is the starter's at the demo's shape, as gt plan reports it.
    const auto plan =
        gt::test::runGt({"plan", "--model", GT_REPO_RESOURCES_DIR "/models/starter", "--rho", "0.5",
                         "--batch", "8", "--seq-len", "256", "--json"});
    QVERIFY2(plan.code == 0, qPrintable(plan.err));
    const auto pj = nlohmann::json::parse(plan.out.toStdString()).at("plan");
    QVERIFY(std::abs(methods[1].at("min_rho").get<double>() - pj.at("min_rho").get<double>()) <
            1e-9);
    QVERIFY(std::abs(methods[1].at("spare_backward_share").get<double>() -
                     pj.at("spare_backward_share").get<double>()) < 1e-9);
    QVERIFY(j.at("lead_baseline_rouge1").get<double>() > 0);
    QVERIFY(j.at("summary").get<std::string>().starts_with("In short: GreenTrainer rho 0.50"));
}

void TestCliDemo::missingModelIsNamed() {
    QTemporaryDir dir;
    const auto r = gt::test::runGt(
        {"demo", "--model", dir.filePath("nowhere"), "--db", dir.filePath("x.sqlite")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("nowhere") && r.err.contains("no model here"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
