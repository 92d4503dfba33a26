// Grid carbon intensity: a constant, a country from the shipped table (unknown codes are
// errors), and traces: ISO 8601 times with zones, linear interpolation, the start rule, speed,
// wrap-around, and malformed files named with their line.
#include "core/train/grid_intensity.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace gt::train;

class TestGridIntensity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void parsesIsoTimes();
    void constantAndCountry();
    void unknownCountryIsAnError();
    void traceInterpolatesFromItsStart();
    void traceStartRuleAndWrap();
    void malformedTracesNameTheLine();
    void shippedTraceReads();

private:
    fs::path write(const std::string& name, const std::string& text) {
        const fs::path p = fs::path(m_dir->path().toStdString()) / name;
        std::ofstream(p) << text;
        return p;
    }
    static fs::path shipped(const char* f) { return fs::path(GT_REPO_RESOURCES_DIR) / "grid" / f; }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestGridIntensity::parsesIsoTimes() {
    QCOMPARE(parseIsoTime("1970-01-01T00:00:00Z"), int64_t(0));
    QCOMPARE(parseIsoTime("2022-06-01T00:00:00Z"), int64_t(1654041600));
    QCOMPARE(parseIsoTime("2022-06-01T02:00:00+02:00"), int64_t(1654041600));
    QCOMPARE(parseIsoTime("2022-05-31T19:30:00-04:30"), int64_t(1654041600));
    QCOMPARE(parseIsoTime("2022-06-01T00:00:00"), int64_t(1654041600)); // no zone: UTC
    QCOMPARE(QString::fromStdString(formatIsoTime(1654041600)), QString("2022-06-01T00:00:00Z"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseIsoTime("June 1st"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseIsoTime("2022-06-01T00:00:00 CET"));
}

void TestGridIntensity::constantAndCountry() {
    const GridIntensity c = GridIntensity::constant(250);
    QCOMPARE(c.at(0), 250.0);
    QCOMPARE(c.at(1e6), 250.0);
    QVERIFY(!c.isTrace());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, GridIntensity::constant(-1));
    // the shipped Our World in Data table, by code and by name, any case
    const GridIntensity fr = GridIntensity::country("fra", shipped("country-intensity.csv"));
    std::ifstream table(shipped("country-intensity.csv"));
    double expected = -1;
    for (std::string line; std::getline(table, line);)
        if (line.rfind("FRA,", 0) == 0) // FRA,"France",g_per_kwh,year,twh
            expected = QString::fromStdString(line).split(',').at(2).toDouble();
    QVERIFY(expected > 0);
    QCOMPARE(fr.at(0), expected);
    QVERIFY(fr.source().find("FRA (France)") != std::string::npos);
    QCOMPARE(GridIntensity::country("France", shipped("country-intensity.csv")).at(0), expected);
}

void TestGridIntensity::unknownCountryIsAnError() {
    try {
        GridIntensity::country("XX1", shipped("country-intensity.csv"));
        QFAIL("an unknown code was accepted");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("unknown country or region 'XX1'") &&
                     QString(e.what()).contains("country-intensity.csv"),
                 e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             GridIntensity::country("WLD", shipped("country-intensity.csv")));
}

void TestGridIntensity::traceInterpolatesFromItsStart() {
    const fs::path f = write("t.csv", "time,g_per_kwh\n"
                                      "2022-06-01T00:00:00Z,100\n"
                                      "2022-06-01T01:00:00Z,300\n"
                                      "2022-06-01T02:00:00+00:00,200\n");
    TraceClock clock;
    clock.traceStart = parseIsoTime("2022-06-01T00:00:00Z");
    const GridIntensity g = GridIntensity::trace(f, clock);
    QVERIFY(g.isTrace());
    QCOMPARE(g.values(), (std::vector<double>{100, 300, 200}));
    QCOMPARE(g.at(0), 100.0);
    QCOMPARE(g.at(1800), 200.0); // half-way to 300
    QCOMPARE(g.at(3600), 300.0);
    QCOMPARE(g.at(5400), 250.0);
    clock.speed = 3600; // an hour of trace per second
    const GridIntensity fast = GridIntensity::trace(f, clock);
    QCOMPARE(fast.at(0.5), 200.0);
    QCOMPARE(fast.at(1.5), 250.0);
    QVERIFY(fast.source().find("x3600 speed") != std::string::npos);
}

void TestGridIntensity::traceStartRuleAndWrap() {
    const fs::path f = write("t.csv", "time,g_per_kwh\n"
                                      "2022-06-01T00:00:00Z,100\n"
                                      "2022-06-01T12:00:00Z,200\n"
                                      "2022-06-02T00:00:00Z,100\n");
    TraceClock clock;
    // a wall clock outside the trace: the same UTC time of day on the first day
    clock.wallStart = parseIsoTime("2026-12-07T06:00:00Z");
    const GridIntensity g = GridIntensity::trace(f, clock);
    QCOMPARE(g.timeAt(0), parseIsoTime("2022-06-01T06:00:00Z"));
    QCOMPARE(g.at(0), 150.0);
    // inside the trace: the wall clock itself
    clock.wallStart = parseIsoTime("2022-06-01T18:00:00Z");
    QCOMPARE(GridIntensity::trace(f, clock).at(0), 150.0);
    QCOMPARE(GridIntensity::trace(f, clock).timeAt(0), parseIsoTime("2022-06-01T18:00:00Z"));
    // past the end it wraps to the beginning
    clock.traceStart = parseIsoTime("2022-06-01T23:00:00Z");
    const GridIntensity w = GridIntensity::trace(f, clock);
    QCOMPARE(w.timeAt(2 * 3600 + 1), parseIsoTime("2022-06-01T01:00:00Z"));
}

void TestGridIntensity::malformedTracesNameTheLine() {
    const auto fails = [&](const std::string& text, const QString& expected) {
        const fs::path f = write("bad.csv", text);
        try {
            GridIntensity::trace(f);
            QFAIL(qPrintable("accepted: " + QString::fromStdString(text)));
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
        }
    };
    fails("when,g\n", "bad.csv: no 'time' column");
    fails("time,g_per_kwh\n2022-06-01T00:00:00Z,1\n", "at least two points");
    fails("time,g_per_kwh\n2022-06-01T01:00:00Z,1\n2022-06-01T00:00:00Z,2\n",
          "bad.csv:3: times must increase");
    fails("time,g_per_kwh\n2022-06-01T00:00:00Z,1\n2022-06-01T01:00:00Z,lots\n",
          "bad.csv:3: 'lots' is not a non-negative number");
    fails("time,g_per_kwh\nyesterday,1\n", "bad.csv:2: 'yesterday' is not an ISO 8601 time");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, GridIntensity::trace(write("x", "") / "none"));
}

void TestGridIntensity::shippedTraceReads() {
    TraceClock clock;
    clock.traceStart = parseIsoTime("2022-06-01T00:00:00Z");
    const GridIntensity g = GridIntensity::trace(shipped("us-ciso-2022-06.csv"), clock);
    const std::vector<double> v = g.values();
    QCOMPARE(v.size(), size_t(719));
    QCOMPARE(g.at(0), v.front()); // the first hour
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    QVERIFY(*lo > 50 && *hi < 400);
}

QTEST_GUILESS_MAIN(TestGridIntensity)
#include "tst_grid_intensity.moc"
