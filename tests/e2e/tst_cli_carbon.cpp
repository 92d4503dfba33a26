// Energy, carbon and the carbon-aware rho through `gt train` on the shipped starter model:
// a synthetic trace whose intensity rises steadily makes every selection round's rho fall,
// each round's rho is the documented rule applied to the intensity stored with it, energy
// carries its method label, CO2 adds up over rounds and stays between the trace's bounds, and
// `gt runs show --json` reports all of it. A budget keeps a run within its energy or CO2.
// Bad combinations are refused before a run exists.
#include "core/store/experiment_store.h"
#include "tests/support/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

class TestCliCarbon : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void carbonScheduleFollowsTheTrace();
    void countryIntensityAndEstimatedEnergy();
    void budgetKeepsTheRunWithinItsEnergyAndCarbon();
    void resumedRunContinuesOnTheTrace();
    void refusals();
    void doctorSaysWhichMethodApplies();

private:
    /// Four rounds (steps 0, 2, 4, 6) on the rising ramp: intensity up, rho down as the rule
    /// says, and their energy and CO2 partition the run's.
    void checkRoundsFollowTheTrace(const QJsonObject& run);
    QStringList carbonArgs() const {
        return {"--interval-steps", "2",
                "--rho-schedule",   "carbon",
                "--rho-range",      "0.5:0.9",
                "--grid-trace",     m_trace,
                "--trace-start",    "2022-02-11T16:00:00Z",
                "--trace-speed",    "1440000",
                "--power-watts",    "50"};
    }
    QStringList common(const QString& db) const {
        return {"train",
                "--model",
                QString(GT_REPO_RESOURCES_DIR) + "/models/starter",
                "--preset",
                "debian",
                "--limit",
                "32",
                "--batch",
                "2",
                "--seq-len",
                "64",
                "--max-steps",
                "8",
                "--eval-examples",
                "0",
                "--no-checkpoints",
                "--threads",
                "2",
                "--db",
                db};
    }
    QTemporaryDir m_dir;
    QString m_trace;
};

void TestCliCarbon::initTestCase() {
    // 10,001 hourly points from 2022-01-01: 100, 101, ..., 10100 g/kWh. Its 10th and 90th
    // percentiles are 1100 and 9100 (numpy's linear rule on an evenly spaced ramp).
    m_trace = m_dir.filePath("ramp.csv");
    std::ofstream f(m_trace.toStdString());
    f << "time,g_per_kwh\n";
    const std::time_t t0 = 1640995200; // 2022-01-01T00:00:00Z
    for (int k = 0; k <= 10000; ++k) {
        const std::time_t t = t0 + 3600 * k;
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        f << buf << "," << 100 + k << "\n";
    }
}

void TestCliCarbon::carbonScheduleFollowsTheTrace() {
    const QString db = m_dir.filePath("carbon.sqlite");
    // start at hour 1000 (the 10th percentile); 400 trace hours per second: a slow machine
    // (sanitizers) still stays below the 90th percentile, 20 s of training later
    const auto r = gt::test::runGt(common(db) << carbonArgs(), 300'000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("J, estimated:user-watts (50.0 W as given (constant))"),
             qPrintable(r.out));
    const auto show = gt::test::runGt({"runs", "show", "1", "--json", "--db", db});
    QCOMPARE(show.code, 0);
    const QJsonObject run = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(run["name"].toString(), QString("greentrainer-carbon"));
    QVERIFY(run["rho"].isNull()); // the rounds carry it
    QCOMPARE(run["energy_method"].toString(), QString("estimated:user-watts"));
    const double joules = run["energy_joules"].toDouble(), wall = run["wall_seconds"].toDouble();
    QVERIFY2(joules > 0 && joules <= 50 * wall * 1.01, qPrintable(show.out));
    QVERIFY(run["grid_source"].toString().contains("trace ramp.csv (10001 points"));
    checkRoundsFollowTheTrace(run);
    // the per-step series end at the totals (which also take the moments after the last
    // step, before the run is closed)
    gt::store::ExperimentStore s(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(s.series(1, "co2_g").size(), size_t(8));
    const double lastCo2 = s.series(1, "co2_g").back().value;
    QVERIFY(lastCo2 <= run["co2_grams"].toDouble() &&
            lastCo2 >= 0.98 * run["co2_grams"].toDouble());
    const double lastJ = s.series(1, "energy_j").back().value;
    QVERIFY(lastJ <= joules && lastJ >= 0.98 * joules);
}

void TestCliCarbon::checkRoundsFollowTheTrace(const QJsonObject& run) {
    const double joules = run["energy_joules"].toDouble();
    const QJsonArray rounds = run["rounds"].toArray();
    QCOMPARE(rounds.size(), 4); // steps 0, 2, 4, 6
    double co2 = 0, spent = 0;
    for (int i = 0; i < rounds.size(); ++i) {
        const QJsonObject k = rounds[i].toObject();
        QCOMPARE(k["round"].toInt(), i);
        QCOMPARE(k["step"].toInt(), 2 * i);
        const double g = k["grid_g_per_kwh"].toDouble(), rho = k["rho"].toDouble();
        // the documented rule, computed here: 0.9 at <= 1100, 0.5 at >= 9100, linear between
        const double expected = 0.9 - 0.4 * std::clamp((g - 1100) / 8000, 0.0, 1.0);
        QVERIFY2(std::abs(rho - expected) < 1e-9,
                 qPrintable(QString("%1 vs %2").arg(rho).arg(expected)));
        QVERIFY(k["planned_share"].toDouble() <= rho + 1e-12);
        if (i > 0) {
            const QJsonObject prev = rounds[i - 1].toObject();
            QVERIFY2(g > prev["grid_g_per_kwh"].toDouble(), "the trace rises");
            QVERIFY2(rho < prev["rho"].toDouble(), "so rho falls");
            QVERIFY(k["planned_joules"].toDouble() > 0); // calibrated from the steps before
        } else {
            QVERIFY(k["planned_joules"].isNull()); // nothing measured yet
        }
        spent += k["spent_joules"].toDouble();
        co2 += k["co2_grams"].toDouble();
        // each round's carbon lies between its energy at the trace's lowest and highest
        QVERIFY(k["co2_grams"].toDouble() >= k["spent_joules"].toDouble() / 3.6e6 * 100);
        QVERIFY(k["co2_grams"].toDouble() <= k["spent_joules"].toDouble() / 3.6e6 * 10100);
    }
    // the rounds partition the run: their energy and carbon add up to its totals
    QVERIFY2(std::abs(spent - joules) < 1e-6 * joules, "energy adds up");
    QVERIFY2(std::abs(co2 - run["co2_grams"].toDouble()) < 1e-6 * co2, "CO2 adds up");
}

void TestCliCarbon::countryIntensityAndEstimatedEnergy() {
    const QString db = m_dir.filePath("country.sqlite");
    const auto r = gt::test::runGt(common(db) << "--method"
                                              << "full"
                                              << "--grid-country"
                                              << "FRA"
                                              << "--json");
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    // this machine's method (no RAPL on a VM: the CPU table), labelled, never "measured"
    QVERIFY2(o["energy_method"].toString().startsWith("estimated:") ||
                 o["energy_method"].toString() == "measured:rapl",
             qPrintable(r.out));
    QVERIFY(o["grid_source"].toString().startsWith("country FRA (France)"));
    const double g = o["co2_grams"].toDouble() / (o["energy_joules"].toDouble() / 3.6e6);
    QVERIFY2(g > 0 && g < 200, qPrintable(r.out)); // France's annual figure, a constant
}

void TestCliCarbon::budgetKeepsTheRunWithinItsEnergyAndCarbon() {
    // A constant power makes energy proportional to time: first a run at rho 0.5, then runs
    // with half as much again as their budget and rho free in 0.5..0.9. They must stay within
    // it (10% for timing noise between runs) and spend the spare on a higher rho.
    const auto run = [&](const QString& db, QStringList extra) {
        const auto r = gt::test::runGt(common(db) << "--interval-steps"
                                                  << "2"
                                                  << "--power-watts"
                                                  << "50"
                                                  << "--grid-intensity"
                                                  << "400" << extra,
                                       300'000);
        if (r.code != 0) qWarning("%s", qPrintable(r.err));
        const auto show = gt::test::runGt({"runs", "show", "1", "--json", "--db", db});
        return QJsonDocument::fromJson(show.out.toUtf8()).object();
    };
    const QJsonObject ref = run(m_dir.filePath("ref.sqlite"), {"--rho", "0.5"});
    const double refJ = ref["energy_joules"].toDouble(), refG = ref["co2_grams"].toDouble();
    QVERIFY2(refJ > 0 && refG > 0, "the reference run has energy and carbon");
    const auto check = [&](const QJsonObject& o, double budget, const char* key) {
        QCOMPARE(o["status"].toString(), QString("finished"));
        QVERIFY2(
            o[key].toDouble() <= budget * 1.10,
            qPrintable(
                QString("%1 %2 over the budget %3").arg(key).arg(o[key].toDouble()).arg(budget)));
        const QJsonArray rounds = o["rounds"].toArray();
        QCOMPARE(rounds.size(), 4);
        QCOMPARE(rounds[0].toObject()["rho"].toDouble(), 0.5); // nothing measured yet
        double highest = 0;
        for (const auto& k : rounds) {
            const double rho = k.toObject()["rho"].toDouble();
            QVERIFY(rho >= 0.5 - 1e-12 && rho <= 0.9 + 1e-12);
            highest = std::max(highest, rho);
        }
        QVERIFY2(highest > 0.55, "the spare budget buys a higher rho");
    };
    const double energyBudget = 1.5 * refJ;
    check(run(m_dir.filePath("energy.sqlite"),
              {"--rho-schedule", "budget", "--rho-range", "0.5:0.9", "--energy-budget",
               QString::number(energyBudget / 3.6e6, 'g', 12)}),
          energyBudget, "energy_joules");
    const double carbonBudget = 1.5 * refG;
    check(run(m_dir.filePath("co2.sqlite"),
              {"--rho-schedule", "budget", "--rho-range", "0.5:0.9", "--carbon-budget",
               QString::number(carbonBudget, 'g', 12)}),
          carbonBudget, "co2_grams");
    const double deadline = 1.5 * ref["wall_seconds"].toDouble();
    check(run(m_dir.filePath("deadline.sqlite"),
              {"--rho-schedule", "budget", "--rho-range", "0.5:0.9", "--deadline",
               QString::number(deadline / 3600, 'g', 12)}),
          deadline, "wall_seconds");
}

void TestCliCarbon::resumedRunContinuesOnTheTrace() {
    // Killed after the checkpoint of round 1 (step 2) or later, then resumed: the resumed
    // session goes on where the run's clock stood, so the trace keeps rising under the later
    // rounds (a clock started again would give them the trace's start, below round 1's), and
    // the rounds still partition the run's energy and CO2.
    const QString db = m_dir.filePath("resumed.sqlite");
    QStringList args = common(db) << carbonArgs();
    args.removeAll("--no-checkpoints");
    QProcess p;
    p.setReadChannel(QProcess::StandardError);
    p.start(QStringLiteral(GT_CLI_PATH), args);
    QVERIFY(p.waitForStarted());
    QString err;
    while (!err.contains("step 3/8") && p.waitForReadyRead(120'000))
        err += QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains("step 3/8"), qPrintable(err));
    p.kill();
    QVERIFY(p.waitForFinished());
    const auto r = gt::test::runGt({"resume", "--run", "1", "--db", db}, 300'000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto show = gt::test::runGt({"runs", "show", "1", "--json", "--db", db});
    const QJsonObject run = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(run["status"].toString(), QString("finished"));
    checkRoundsFollowTheTrace(run);
}

void TestCliCarbon::refusals() {
    const QString db = m_dir.filePath("refused.sqlite");
    const auto fails = [&](QStringList extra, int code, const QString& expected) {
        const auto r = gt::test::runGt(common(db) << extra);
        QVERIFY2(r.code == code, qPrintable(QString::number(r.code) + r.err));
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    };
    fails({"--rho-schedule", "carbon"}, 1, "--rho-schedule carbon needs a grid trace");
    fails({"--rho-schedule", "carbon", "--grid-intensity", "300"}, 1, "needs a grid trace");
    fails({"--rho-schedule", "carbon", "--method", "full", "--grid-trace", m_trace}, 2,
          "--rho-schedule carbon is for --method greentrainer");
    fails({"--rho-schedule", "sunny"}, 2, "expected fixed, carbon or budget");
    fails({"--rho-schedule", "budget"}, 1, "--rho-schedule budget needs --energy-budget");
    fails({"--energy-budget", "1"}, 2, "--energy-budget, --carbon-budget and --deadline go with");
    fails({"--deadline", "1"}, 2, "--energy-budget, --carbon-budget and --deadline go with");
    fails({"--rho-schedule", "budget", "--carbon-budget", "1"}, 1,
          "--carbon-budget needs a grid intensity");
    fails({"--rho-range", "0.9:0.5"}, 2, "--rho-range: rho range '0.9:0.5': expected LOW:HIGH");
    fails({"--grid-country", "XX1"}, 1, "unknown country or region 'XX1'");
    fails({"--grid-intensity", "300", "--grid-country", "FRA"}, 1, "give one grid intensity");
    fails({"--grid-trace", m_dir.filePath("none.csv")}, 1, "none.csv: cannot read the grid trace");
    fails({"--trace-start", "yesterday"}, 2, "--trace-start: 'yesterday' is not an ISO 8601 time");
    fails({"--rho-schedule", "carbon", "--rho-range", "0.01:0.9", "--grid-trace", m_trace}, 1,
          "rho 0.01 is infeasible");
    QVERIFY(!std::filesystem::exists(db.toStdString()) ||
            gt::store::ExperimentStore(db.toStdString(), gt::store::ExperimentStore::Mode::ReadOnly)
                .listRuns()
                .empty());
}

void TestCliCarbon::doctorSaysWhichMethodApplies() {
    const auto r = gt::test::runGt({"doctor", "--json", "--no-bench"});
    QCOMPARE(r.code, 0);
    const QJsonObject e = QJsonDocument::fromJson(r.out.toUtf8()).object()["energy"].toObject();
    const QString method = e["method"].toString();
    QVERIFY2(method == "measured:rapl" || method.startsWith("estimated:") || method == "none",
             qPrintable(r.out));
    QVERIFY(!e["method_detail"].toString().isEmpty());
    if (!e["readable"].toBool()) QVERIFY(method != "measured:rapl");
}

QTEST_GUILESS_MAIN(TestCliCarbon)
#include "tst_cli_carbon.moc"
