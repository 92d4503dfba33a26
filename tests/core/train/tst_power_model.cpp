// The energy estimate where no counter can be read, and the choice of method: the CPU table
// matched by model name (longest name wins, vendor noise removed) or by family (median watts
// per thread), scaled to the visible threads and the utilisation; a user wattage; RAPL when a
// counter is readable (a powercap tree written by the test); never two methods in one run.
#include "core/train/power_model.h"
#include "core/train/run_energy.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace gt::train;

class TestPowerModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void matchesTheLongestModelName();
    void fallsBackToTheFamilyMedian();
    void unknownCpuAndBadTablesAreErrors();
    void wattsFollowUtilisation();
    void userWattsWinAndAreConstant();
    void raplIsMeasuredNotEstimated();
    void estimateIntegratesBusyTime();
    void shippedTableReads();

private:
    fs::path write(const std::string& name, const std::string& text) {
        const fs::path p = fs::path(m_dir->path().toStdString()) / name;
        std::ofstream(p) << text;
        return p;
    }
    fs::path table() {
        return write("cpu.csv", "name,family,tdp_watts,cores,threads\n"
                                "AMD EPYC 7763,AMD EPYC,280,64,128\n"
                                "AMD EPYC 7,AMD EPYC,200,32,100\n" // a shorter name, also contained
                                "AMD EPYC 9654,AMD EPYC,360,96,192\n"
                                "Intel Xeon Platinum 8380,Intel Xeon,270,40,80\n");
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPowerModel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestPowerModel::matchesTheLongestModelName() {
    const PowerModel m = cpuPowerModel("AMD EPYC 7763 64-Core Processor", 4, table());
    QCOMPARE(QString::fromStdString(m.method), QString("estimated:cpu-model"));
    QCOMPARE(m.busyWatts, 280.0 / 128 * 4); // not the "AMD EPYC 7" row
    QCOMPARE(m.idleWatts, m.busyWatts * kIdleShare);
    QVERIFY(m.detail.find("AMD EPYC 7763 (TDP 280 W, 128 threads)") != std::string::npos);
    // Intel's (R), CPU and "@ frequency" are noise
    const PowerModel x = cpuPowerModel("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", 2, table());
    QCOMPARE(x.busyWatts, 270.0 / 80 * 2);
}

void TestPowerModel::fallsBackToTheFamilyMedian() {
    // a VM that names only the family: median of 280/128, 200/100, 360/192 W per thread
    const PowerModel m = cpuPowerModel("AMD EPYC", 2, table());
    QCOMPARE(m.busyWatts, 2 * 2.0); // per thread, sorted: 1.875, 2.0, 2.1875
    QVERIFY(m.detail.find("no exact model, the median of 3 AMD EPYC rows") != std::string::npos);
}

void TestPowerModel::unknownCpuAndBadTablesAreErrors() {
    try {
        cpuPowerModel("ARM Neoverse-N1", 2, table());
        QFAIL("an unknown CPU was accepted");
    } catch (const std::runtime_error& e) {
        const QString msg = e.what();
        QVERIFY2(msg.contains("cpu.csv") && msg.contains("ARM Neoverse-N1") &&
                     msg.contains("--power-watts"),
                 e.what());
    }
    const fs::path bad = write("bad.csv", "name,family,tdp_watts,cores,threads\nX,Y,lots,1,2\n");
    try {
        cpuPowerModel("X", 1, bad);
        QFAIL("a malformed row was accepted");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("bad.csv:2"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             cpuPowerModel("X", 1, m_dir->filePath("none").toStdString()));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, userPowerModel(0));
}

void TestPowerModel::wattsFollowUtilisation() {
    const PowerModel m = cpuPowerModel("AMD EPYC 9654", 192, table());
    QCOMPARE(m.watts(0), 360 * kIdleShare);
    QCOMPARE(m.watts(1), 360.0);
    QCOMPARE(m.watts(0.5), 360 * (kIdleShare + (1 - kIdleShare) / 2));
    QCOMPARE(m.watts(7), 360.0); // clamped
}

void TestPowerModel::userWattsWinAndAreConstant() {
    EnergyOptions o;
    o.userWatts = 40;
    o.powercapRoot = m_dir->filePath("no-powercap").toStdString();
    o.cpuTable = table();
    const auto t0 = std::chrono::steady_clock::now(); // before the meter starts: s bounds it
    RunEnergy e(o);
    QCOMPARE(QString::fromStdString(e.method()), QString("estimated:user-watts"));
    QTest::qSleep(200);
    const double j = e.joules();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    QVERIFY2(j > 40 * 0.19 && j <= 40 * s + 1e-9, qPrintable(QString::number(j)));
}

void TestPowerModel::raplIsMeasuredNotEstimated() {
    const fs::path root = fs::path(m_dir->path().toStdString()) / "powercap";
    fs::create_directories(root / "intel-rapl:0");
    std::ofstream(root / "intel-rapl:0" / "name") << "package-0\n";
    std::ofstream(root / "intel-rapl:0" / "max_energy_range_uj") << "262143328850\n";
    std::ofstream(root / "intel-rapl:0" / "energy_uj") << "1000000\n";
    EnergyOptions o;
    o.powercapRoot = root;
    o.cpuTable = table();
    o.cpuinfo = write("cpuinfo", "model name\t: AMD EPYC 7763 64-Core Processor\n");
    RunEnergy e(o);
    QCOMPARE(QString::fromStdString(e.method()), QString("measured:rapl"));
    std::ofstream(root / "intel-rapl:0" / "energy_uj") << "4500000\n";
    QCOMPARE(e.joules(), 3.5); // the counter, not the CPU table
    // without the counter the same machine is estimated from the table
    o.powercapRoot = root / "absent";
    RunEnergy est(o);
    QCOMPARE(QString::fromStdString(est.method()), QString("estimated:cpu-model"));
    QVERIFY(est.detail().find("AMD EPYC 7763") != std::string::npos);
    // and an unknown CPU without a counter has no method, with the reason
    o.cpuinfo = write("cpuinfo2", "model name\t: Mystery Chip 1\n");
    RunEnergy none(o);
    QVERIFY(!none.available());
    QVERIFY(none.why().find("Mystery Chip 1") != std::string::npos);
    QCOMPARE(none.joules(), 0.0);
}

void TestPowerModel::estimateIntegratesBusyTime() {
    EnergyOptions o;
    o.powercapRoot = m_dir->filePath("no-powercap").toStdString();
    o.cpuTable = table();
    o.cpuinfo = write("cpuinfo", "model name\t: AMD EPYC 9654 96-Core Processor\n");
    o.visibleThreads = 1; // one busy thread is full utilisation
    const PowerModel m = cpuPowerModel("AMD EPYC 9654", 1, o.cpuTable);
    const auto t0 = std::chrono::steady_clock::now(); // before the meter starts: s bounds it
    RunEnergy e(o);
    volatile double x = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(300))
        x = x + 1;
    const double j = e.joules();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // busy: close to full power (the machine may steal some time), never above it
    QVERIFY2(j <= m.busyWatts * s * 1.001, qPrintable(QString::number(j)));
    QVERIFY2(j >= m.watts(0.6) * 0.3, qPrintable(QString::number(j)));
    QTest::qSleep(300); // idle: about the idle power
    const double idle = e.joules() - j;
    QVERIFY2(idle >= m.idleWatts * 0.29 && idle <= m.watts(0.3) * 0.35,
             qPrintable(QString::number(idle)));
}

void TestPowerModel::shippedTableReads() {
    const fs::path shipped = fs::path(GT_REPO_RESOURCES_DIR) / "power" / "cpu-tdp.csv";
    const PowerModel m = cpuPowerModel("AMD EPYC 7763 64-Core Processor", 128, shipped);
    QCOMPARE(m.busyWatts, 280.0);
    QVERIFY(cpuPowerModel("AMD EPYC", 2, shipped).detail.find("median") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestPowerModel)
#include "tst_power_model.moc"
