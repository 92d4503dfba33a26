// gt doctor's facts: BLAS detection, store path rules, a sane report.
#include "core/api/system_report.h"
#include "core/store/store_paths.h"

#include <QTest>

#include <cstdlib>

class TestSystemReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reportHasVersionsAndThreads();
    void blasIsDetectedAndNamed();
    void storePathFollowsXdg();
    void storePathFallsBackToHome();
    void storePathWithoutHomeIsAnError();
};

void TestSystemReport::reportHasVersionsAndThreads() {
    gt::api::SystemReportOptions o;
    o.measureMatmul = true;
    o.threads = 1;
    const auto r = gt::api::collectSystemReport(o);
    QVERIFY(r.torchVersion.rfind("1.", 0) == 0 || r.torchVersion.rfind("2.", 0) == 0);
    QCOMPARE(r.threads, 1);
    QVERIFY(r.hardwareThreads >= 1);
    QVERIFY(!r.sqliteVersion.empty());
    QVERIFY(r.matmulGflops > 0.0);
    QVERIFY(!r.torchBuildOptions.empty());
}

void TestSystemReport::blasIsDetectedAndNamed() {
    (void)gt::api::collectSystemReport({.measureMatmul = false, .threads = 1}); // loads torch
    const auto b = gt::api::detectBlas();
    QVERIFY(!b.label.empty());
    // The installer selects OpenBLAS (OpenMP); anything else must come with a warning.
    if (b.kind != gt::api::BlasKind::OpenBlasOpenMp && b.kind != gt::api::BlasKind::Other)
        QVERIFY2(!b.warning.empty(), b.label.c_str());
}

void TestSystemReport::storePathFollowsXdg() {
    qputenv("XDG_DATA_HOME", "/tmp/xdg-test");
    QCOMPARE(QString::fromStdString(gt::store::defaultStorePath().string()),
             QString("/tmp/xdg-test/greentrainer/runs.sqlite"));
    qunsetenv("XDG_DATA_HOME");
}

void TestSystemReport::storePathFallsBackToHome() {
    const QByteArray home = qgetenv("HOME");
    qputenv("XDG_DATA_HOME", "relative/ignored"); // XDG: relative paths are invalid
    qputenv("HOME", "/home/someone");
    QCOMPARE(QString::fromStdString(gt::store::defaultStorePath().string()),
             QString("/home/someone/.local/share/greentrainer/runs.sqlite"));
    qputenv("HOME", home);
    qunsetenv("XDG_DATA_HOME");
}

void TestSystemReport::storePathWithoutHomeIsAnError() {
    const QByteArray home = qgetenv("HOME");
    qunsetenv("HOME");
    qunsetenv("XDG_DATA_HOME");
    bool threw = false;
    try {
        (void)gt::store::defaultStorePath();
    } catch (const std::runtime_error& e) {
        threw = QString(e.what()).contains("--db");
    }
    qputenv("HOME", home);
    QVERIFY(threw);
}

QTEST_GUILESS_MAIN(TestSystemReport)
#include "tst_system_report.moc"
