// The RAPL energy meter on a powercap tree written by the test: package zones are summed,
// their sub-zones are not counted twice, a counter that wraps at max_energy_range_uj is
// followed across the wrap, and a machine without counters reports none.
#include "core/train/energy_meter.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

class TestEnergyMeter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sumsPackagesAcrossAWrap();
    void noCountersNoEnergy();

private:
    static void zone(const fs::path& root, const std::string& dir, const std::string& name,
                     uint64_t uj, uint64_t range) {
        fs::create_directories(root / dir);
        std::ofstream(root / dir / "name") << name << "\n";
        std::ofstream(root / dir / "max_energy_range_uj") << range << "\n";
        set(root, dir, uj);
    }
    static void set(const fs::path& root, const std::string& dir, uint64_t uj) {
        std::ofstream(root / dir / "energy_uj") << uj << "\n";
    }
};

void TestEnergyMeter::sumsPackagesAcrossAWrap() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    zone(root, "intel-rapl:0", "package-0", 1'000'000, 10'000'000);
    zone(root, "intel-rapl:0:0", "core", 500'000, 10'000'000); // part of package 0
    zone(root, "intel-rapl:1", "package-1", 9'000'000, 10'000'000);
    gt::train::EnergyMeter meter(root);
    QVERIFY(meter.available());
    QCOMPARE(QString::fromStdString(meter.source()),
             QString("rapl: intel-rapl:0 (package-0) intel-rapl:1 (package-1)"));
    QCOMPARE(meter.joules(), 0.0);
    set(root, "intel-rapl:0", 3'500'000);   // +2.5 J
    set(root, "intel-rapl:0:0", 9'000'000); // ignored
    set(root, "intel-rapl:1", 500'000);     // wrapped: +1.0 J + 0.5 J
    QCOMPARE(meter.joules(), 4.0);
    set(root, "intel-rapl:1", 1'500'000); // +1 J more
    QCOMPARE(meter.joules(), 5.0);
    meter.restart();
    QCOMPARE(meter.joules(), 0.0);
}

void TestEnergyMeter::noCountersNoEnergy() {
    QTemporaryDir tmp;
    gt::train::EnergyMeter none(fs::path(tmp.path().toStdString()) / "absent");
    QVERIFY(!none.available());
    QCOMPARE(none.joules(), 0.0);
    // a zone whose counter is unreadable (root-only since Linux 5.10) does not count
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "intel-rapl:0");
    QVERIFY(!gt::train::EnergyMeter(root).available());
}

QTEST_GUILESS_MAIN(TestEnergyMeter)
#include "tst_energy_meter.moc"
