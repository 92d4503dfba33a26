// A run's checkpoint folder: step-named checkpoints, newest first; incomplete writes (no
// state.json, temporary names) never count; prune keeps the newest two and clears leftovers;
// resolve finds what a resume should load, or says why there is nothing.
#include "core/train/checkpoint_folder.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

namespace fs = std::filesystem;
using gt::train::CheckpointFolder;

class TestCheckpointFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void namesSortNumerically();
    void incompleteWritesAreNotCheckpoints();
    void pruneKeepsTheNewestTwo();
    void resolvePicksTheNewestOrTheFolderItself();

private:
    /// A complete checkpoint's marker (what Trainer::saveCheckpoint writes last).
    static void complete(const fs::path& dir) {
        fs::create_directories(dir);
        std::ofstream(dir / "state.json") << R"({"format": "greentrainer-checkpoint", "step": 1})";
    }
    std::unique_ptr<QTemporaryDir> m_tmp;
    fs::path m_root;
};

void TestCheckpointFolder::init() {
    m_tmp = std::make_unique<QTemporaryDir>();
    m_root = fs::path(m_tmp->path().toStdString()) / "run-3";
}

void TestCheckpointFolder::namesSortNumerically() {
    const CheckpointFolder f(m_root);
    QCOMPARE(f.pathFor(500).filename().string(), std::string("step-00000500"));
    for (int64_t s : {9, 10, 100000000, 2})
        complete(f.pathFor(s));
    const auto found = f.checkpoints();
    QCOMPARE(found.size(), size_t{4});
    QCOMPARE(found[0].filename().string(), std::string("step-100000000"));
    QCOMPARE(found[1], f.pathFor(10));
    QCOMPARE(found[3], f.pathFor(2));
}

void TestCheckpointFolder::incompleteWritesAreNotCheckpoints() {
    const CheckpointFolder f(m_root);
    complete(f.pathFor(4));
    fs::create_directories(f.pathFor(8)); // killed before state.json
    complete(m_root / "step-00000012.tmp-77");
    fs::create_directories(f.pathFor(16));
    std::ofstream(f.pathFor(16) / "state.json") << "{\"format\": \"something else\"}";
    fs::create_directories(f.pathFor(20));
    std::ofstream(f.pathFor(20) / "state.json") << "{\"format\": \"greentrainer-chec"; // torn
    QCOMPARE(f.checkpoints(), std::vector<fs::path>{f.pathFor(4)});
}

void TestCheckpointFolder::pruneKeepsTheNewestTwo() {
    const CheckpointFolder f(m_root);
    for (int64_t s : {3, 6, 9})
        complete(f.pathFor(s));
    complete(m_root / "step-00000012.tmp-77"); // a write a crash interrupted
    complete(m_root / "step-00000009.old-77");
    f.prune();
    QCOMPARE(f.checkpoints(), (std::vector<fs::path>{f.pathFor(9), f.pathFor(6)}));
    QVERIFY(!fs::exists(f.pathFor(3)));
    QVERIFY(!fs::exists(m_root / "step-00000012.tmp-77"));
    QVERIFY(!fs::exists(m_root / "step-00000009.old-77"));
    const CheckpointFolder one(m_root, 1);
    one.prune();
    QCOMPARE(one.checkpoints(), std::vector<fs::path>{f.pathFor(9)});
}

void TestCheckpointFolder::resolvePicksTheNewestOrTheFolderItself() {
    const CheckpointFolder f(m_root);
    try {
        CheckpointFolder::resolve(m_root);
        QFAIL("an empty folder resolved");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).find(m_root.string()) != std::string::npos, e.what());
    }
    complete(m_root); // an older build's layout: the folder is one checkpoint
    QCOMPARE(CheckpointFolder::resolve(m_root), m_root);
    complete(f.pathFor(7)); // a run resumed from it writes step folders inside
    complete(f.pathFor(11));
    QCOMPARE(CheckpointFolder::resolve(m_root), f.pathFor(11));
    QCOMPARE(CheckpointFolder::resolve(f.pathFor(7)), f.pathFor(7));
}

QTEST_GUILESS_MAIN(TestCheckpointFolder)
#include "tst_checkpoint_folder.moc"
