// The Model & Data page's dataset panel with its controller (app::DatasetController): the
// built-in task loads off the GUI thread with its
// three splits, length statistics in a real tokenizer's tokens, a histogram and the first
// records; a field-mapped JSONL file loads too; a missing path or a bad file shows the
// reader's message instead of crashing.
#include "app/gui/dataset_controller.h"
#include "tests/support/shared_data.h"
#include "tests/support/tiny_model.h"
#include "widgets/panels/dataset_panel.h"

#include <qcustomplot.h>

#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace gt;

class TestDatasetPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtInTaskInTokens();
    void fieldMappedFile();
    void errorsAreShown();
};

void TestDatasetPanel::builtInTaskInTokens() {
    GT_REQUIRE_SHARED(fixture, "fixtures/hf/gpt2_tiny");
    QTemporaryDir model;
    QVERIFY(gt::test::makeTinyGpt2(fixture, model.path()));
    widgets::DatasetPanel panel;
    app::DatasetController controller;
    controller.attach(&panel);
    panel.setTokenizerDir(model.path());
    QSignalSpy loaded(&panel, &widgets::DatasetPanel::loaded);
    QSignalSpy chosen(&panel, &widgets::DatasetPanel::datasetChosen);
    panel.load();
    QVERIFY(panel.isLoading());
    QVERIFY(loaded.wait(120'000));
    QCOMPARE(panel.splitsTable()->rowCount(), 3);
    QCOMPARE(panel.splitsTable()->item(1, 0)->text(), QString("validation"));
    QVERIFY(panel.splitsTable()->item(0, 1)->text().toInt() > 15000);
    QCOMPARE(panel.recordsTable()->rowCount(), 20);
    QVERIFY(panel.histogram()->plottableCount() == 1);
    QVERIFY(panel.histogram()->xAxis->label().contains("tokens"));
    QCOMPARE(chosen.front().at(0).toString(), QString("debian"));
}

void TestDatasetPanel::fieldMappedFile() {
    QTemporaryDir d;
    const QString f = d.filePath("d.jsonl");
    std::ofstream(f.toStdString()) << R"({"text": "one two three four", "tldr": ["a b", "c"]})"
                                   << "\n"
                                   << R"({"text": "five six seven", "tldr": "d e f"})"
                                   << "\n";
    widgets::DatasetPanel panel; // no tokenizer: lengths in words
    app::DatasetController controller;
    controller.attach(&panel);
    panel.setDataset("file", f);
    auto edits = panel.findChildren<QLineEdit*>();
    // path, source field, target field in construction order
    edits[1]->setText("text");
    edits[2]->setText("tldr");
    QSignalSpy loaded(&panel, &widgets::DatasetPanel::loaded);
    panel.load();
    QVERIFY(loaded.wait(30'000));
    QCOMPARE(panel.splitsTable()->rowCount(), 1);
    QCOMPARE(panel.splitsTable()->item(0, 1)->text(), QString("2"));
    QCOMPARE(panel.splitsTable()->item(0, 5)->text(), QString("4")); // max source words
    QCOMPARE(panel.recordsTable()->item(0, 1)->text(), QString("a b"));
}

void TestDatasetPanel::errorsAreShown() {
    widgets::DatasetPanel panel;
    app::DatasetController controller;
    controller.attach(&panel);
    QSignalSpy failed(&panel, &widgets::DatasetPanel::failed);
    panel.setDataset("scitldr", "");
    panel.load(); // no folder chosen
    QCOMPARE(failed.size(), 1);
    QTemporaryDir d;
    const QString f = d.filePath("bad.jsonl");
    std::ofstream(f.toStdString()) << "{\"source\": \"x\"}\n";
    panel.setDataset("file", f);
    panel.load();
    QVERIFY(failed.wait(30'000));
    QVERIFY2(failed.back().front().toString().contains("bad.jsonl:1"),
             qPrintable(failed.back().front().toString()));
    QVERIFY(!panel.isLoading());
}

QTEST_MAIN(TestDatasetPanel)
#include "tst_dataset_panel.moc"
