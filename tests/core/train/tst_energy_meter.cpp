// The RAPL energy meter on a powercap tree written by the test: package zones are summed,
// their sub-zones are not counted twice, a counter that wraps at max_energy_range_uj is
// followed across the wrap, and a machine without counters reports none. The NVML meter on a
// stand-in driver library (tests/support/fake_nvml.cpp): GPUs summed, one without a counter
// left out, a GPU run labelled measured:nvml, and no driver said plainly.
#include "core/train/energy_meter.h"
#include "core/train/run_energy.h"

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
    void nvmlSumsTheGpus();
    void noDriverNoGpuEnergy();

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

namespace {
void writeGpus(const fs::path& file, const std::string& lines) {
    std::ofstream(file) << lines;
}
const std::string kH100 = "NVIDIA H100 80GB HBM3\t";
} // namespace

void TestEnergyMeter::nvmlSumsTheGpus() {
    QTemporaryDir tmp;
    const fs::path state = fs::path(tmp.path().toStdString()) / "gpus.tsv";
    qputenv("GT_NVML_LIBRARY", GT_FAKE_NVML_PATH);
    qputenv("GT_FAKE_NVML_STATE", state.c_str());
    writeGpus(state, kH100 + "5000\n" + kH100 + "7000\nTesla K80\t-\n");
    {
        gt::train::NvmlMeter meter;
        QVERIFY2(meter.available(), meter.why().c_str());
        QCOMPARE(meter.source(), std::string("nvml: 2 x NVIDIA H100 80GB HBM3"));
        QCOMPARE(meter.joules(), 0.0);
        writeGpus(state, kH100 + "6500\n" + kH100 + "9000\nTesla K80\t-\n");
        QCOMPARE(meter.joules(), 3.5); // 1.5 J + 2 J
        meter.restart();
        QCOMPARE(meter.joules(), 0.0);
    }
    gt::train::EnergyOptions o;
    o.gpu = true;
    gt::train::RunEnergy gpuRun(o);
    QCOMPARE(gpuRun.method(), std::string("measured:nvml"));
    QVERIFY(gpuRun.detail().find("2 x NVIDIA H100") != std::string::npos);
    writeGpus(state, kH100 + "16500\n" + kH100 + "9000\nTesla K80\t-\n");
    QCOMPARE(gpuRun.joules(), 10.0);
    // only GPU runs read NVML: a CPU run keeps the CPU's method
    o.gpu = false;
    o.powercapRoot = tmp.path().toStdString() + "/no-powercap";
    QVERIFY(gt::train::RunEnergy(o).method() != "measured:nvml");
    qunsetenv("GT_NVML_LIBRARY");
    qunsetenv("GT_FAKE_NVML_STATE");
}

void TestEnergyMeter::noDriverNoGpuEnergy() {
    qputenv("GT_NVML_LIBRARY", GT_FAKE_NVML_PATH);
    qunsetenv("GT_FAKE_NVML_STATE"); // the library loads, NVML cannot start
    {
        gt::train::NvmlMeter notLoaded;
        QVERIFY(!notLoaded.available());
        QCOMPARE(notLoaded.why(), std::string("nvmlInit failed: Driver Not Loaded"));
    }
    qputenv("GT_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
    gt::train::NvmlMeter absent;
    QVERIFY(!absent.available());
    QVERIFY2(absent.why().find("no NVIDIA driver library") != std::string::npos,
             absent.why().c_str());
    gt::train::EnergyOptions o;
    o.gpu = true;
    const gt::train::RunEnergy gpuRun(o);
    QVERIFY(!gpuRun.available()); // never a CPU estimate passed off as the GPUs' energy
    QVERIFY(gpuRun.why().find("--power-watts") != std::string::npos);
    qunsetenv("GT_NVML_LIBRARY");
}

QTEST_GUILESS_MAIN(TestEnergyMeter)
#include "tst_energy_meter.moc"
