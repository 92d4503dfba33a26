// The Runs page's table model over a real store file: Qt's model tester finds no broken
// contract, each column shows the stored outcome (last loss, last ROUGE-1, MAC share, wall time,
// tags), sorting uses numbers (missing values last), and an edited name only asks for a
// rename, never writes the store.
#include "core/store/experiment_store.h"
#include "widgets/models/run_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gt;
using widgets::RunTableModel;

class TestRunTableModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void passesTheModelTester();
    void columnsShowTheStoredOutcome();
    void sortRoleIsNumericWithMissingValuesLast();
    void editingTheNameAsksForARename();

private:
    QVariant cell(int row, RunTableModel::Column c, int role = Qt::DisplayRole) const {
        return m_model.data(m_model.index(row, c), role);
    }
    int rowOf(int64_t id) const {
        for (int r = 0; r < m_model.rowCount(); ++r)
            if (m_model.runId(r) == id) return r;
        return -1;
    }
    QTemporaryDir m_dir;
    RunTableModel m_model;
    int64_t m_full = 0, m_green = 0, m_running = 0;
};

void TestRunTableModel::initTestCase() {
    store::ExperimentStore s(m_dir.filePath("runs.sqlite").toStdString());
    store::NewRun full;
    full.name = "full";
    full.method = "full";
    full.tags = {"baseline", "seed1"};
    m_full = s.createRun(full);
    s.appendMetrics(m_full, {{"train/loss", 1, 3.0}, {"train/loss", 2, 2.25}});
    store::Evaluation ev;
    ev.step = 2;
    ev.rouge1 = 31.5;
    s.addEvaluation(m_full, ev);
    store::RunTotals t;
    t.wallSeconds = 12.5;
    t.plannedMacs = 4e9;
    t.fullMacs = 4e9;
    t.energyJoules = 5400;
    t.energyMethod = "estimated:cpu-model";
    t.energySource = "AMD EPYC 7763 (TDP 280 W, 128 threads)";
    t.co2Grams = 0.376;
    t.gridSource = "country FRA (France)";
    s.finishRun(m_full, store::RunStatus::Finished, t);
    t.energyMethod = "measured:rapl";
    store::NewRun green;
    green.name = "gt-0.5";
    green.method = "greentrainer";
    green.rho = 0.5;
    m_green = s.createRun(green);
    t.plannedMacs = 1.99e9;
    s.finishRun(m_green, store::RunStatus::Finished, t);
    store::NewRun running;
    running.name = "live";
    running.method = "lora";
    m_running = s.createRun(running);
    m_model.reload(s);
}

void TestRunTableModel::passesTheModelTester() {
    QAbstractItemModelTester tester(&m_model,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_model.rowCount(), 3);
    QCOMPARE(m_model.columnCount(), int(RunTableModel::ColumnCount));
    QCOMPARE(m_model.headerData(RunTableModel::Share, Qt::Horizontal).toString(),
             QString("MAC share"));
}

void TestRunTableModel::columnsShowTheStoredOutcome() {
    const int f = rowOf(m_full), g = rowOf(m_green), r = rowOf(m_running);
    QCOMPARE(cell(f, RunTableModel::Loss).toString(), QString("2.2500")); // the last point
    QCOMPARE(cell(f, RunTableModel::Rouge1).toString(), QString("31.50"));
    QCOMPARE(cell(f, RunTableModel::Share).toString(), QString("1.000"));
    QCOMPARE(cell(g, RunTableModel::Share).toString(), QString("0.497"));
    QCOMPARE(cell(g, RunTableModel::Rho).toString(), QString("0.50"));
    QCOMPARE(cell(f, RunTableModel::Wall).toString(), QString("12.5"));
    QCOMPARE(cell(f, RunTableModel::Tags).toString(), QString("baseline, seed1"));
    // energy says how it was obtained; the method and the grid are in the tooltips
    QCOMPARE(cell(f, RunTableModel::Energy).toString(), QString("5.40 est."));
    QCOMPARE(cell(g, RunTableModel::Energy).toString(), QString("5.40 meas."));
    QCOMPARE(cell(f, RunTableModel::Energy, Qt::ToolTipRole).toString(),
             QString("estimated:cpu-model: AMD EPYC 7763 (TDP 280 W, 128 threads)"));
    QCOMPARE(cell(f, RunTableModel::Energy, RunTableModel::SortRole).toDouble(), 5.4);
    QCOMPARE(cell(f, RunTableModel::Co2).toString(), QString("0.38"));
    QCOMPARE(cell(f, RunTableModel::Co2, Qt::ToolTipRole).toString(),
             QString("country FRA (France)"));
    QCOMPARE(cell(r, RunTableModel::Energy).toString(), QString("–"));
    QCOMPARE(cell(r, RunTableModel::Status).toString(), QString("running"));
    QCOMPARE(cell(r, RunTableModel::Rouge1).toString(), QString("–")); // nothing stored yet
    QVERIFY(cell(r, RunTableModel::Status, Qt::ForegroundRole).value<QColor>().isValid());
}

void TestRunTableModel::sortRoleIsNumericWithMissingValuesLast() {
    const int f = rowOf(m_full), r = rowOf(m_running);
    QCOMPARE(cell(f, RunTableModel::Rouge1, RunTableModel::SortRole).toDouble(), 31.5);
    QVERIFY(cell(r, RunTableModel::Rouge1, RunTableModel::SortRole).toDouble() < -1e299);
    QCOMPARE(cell(f, RunTableModel::Id, RunTableModel::SortRole).toLongLong(), m_full);
}

void TestRunTableModel::editingTheNameAsksForARename() {
    QSignalSpy rename(&m_model, &RunTableModel::renameRequested);
    const QModelIndex name = m_model.index(rowOf(m_green), RunTableModel::Name);
    QVERIFY(m_model.flags(name) & Qt::ItemIsEditable);
    QVERIFY(!(m_model.flags(m_model.index(0, RunTableModel::Method)) & Qt::ItemIsEditable));
    QVERIFY(m_model.setData(name, "  greener  "));
    QCOMPARE(rename.count(), 1);
    QCOMPARE(rename[0][0].toLongLong(), m_green);
    QCOMPARE(rename[0][1].toString(), QString("greener")); // trimmed
    QVERIFY(!m_model.setData(name, "   "));                // empty: refused
    QVERIFY(!m_model.setData(name, "gt-0.5"));             // unchanged: nothing to do
    QCOMPARE(rename.count(), 1);
    QCOMPARE(m_model.record(rowOf(m_green)).name, std::string("gt-0.5")); // store untouched
}

QTEST_MAIN(TestRunTableModel)
#include "tst_run_table_model.moc"
