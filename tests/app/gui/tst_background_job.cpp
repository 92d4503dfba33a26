// The one background-job class: work runs off the GUI thread, reports arrive on the GUI thread
// in order, the result or the exception's message comes back, stop and pause reach the work,
// and one job runs at a time.
#include "app/gui/background_job.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <stdexcept>

using gt::app::BackgroundJob;

class TestBackgroundJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsOffTheGuiThreadAndReportsInOrder();
    void exceptionBecomesFailed();
    void oneJobAtATime();
    void stopReachesTheWork();
    void pauseHoldsTheWork();
    void destructorStopsAndWaits();
};

void TestBackgroundJob::runsOffTheGuiThreadAndReportsInOrder() {
    BackgroundJob job("test");
    QSignalSpy progress(&job, &BackgroundJob::progress);
    QSignalSpy reported(&job, &BackgroundJob::reported);
    QSignalSpy finished(&job, &BackgroundJob::finished);
    QThread* gui = QThread::currentThread();
    QThread* worker = nullptr;
    QVERIFY(job.start([&](BackgroundJob::Context& c) {
        worker = QThread::currentThread();
        for (int i = 1; i <= 3; ++i) {
            c.progress(i, 3);
            c.report(QVariant(QString("event %1").arg(i)));
        }
        return QVariant(42);
    }));
    QVERIFY(finished.wait(10'000));
    QVERIFY(worker && worker != gui);
    QCOMPARE(finished.front().front().toInt(), 42);
    QCOMPARE(progress.size(), 3);
    QCOMPARE(progress.at(2).at(0).toInt(), 3);
    QCOMPARE(reported.size(), 3);
    QCOMPARE(reported.at(0).front().value<QVariant>().toString(), QString("event 1"));
    QCOMPARE(reported.at(2).front().value<QVariant>().toString(), QString("event 3"));
    QVERIFY(!job.isRunning());
}

void TestBackgroundJob::exceptionBecomesFailed() {
    BackgroundJob job("test");
    QSignalSpy failed(&job, &BackgroundJob::failed);
    QSignalSpy finished(&job, &BackgroundJob::finished);
    QVERIFY(job.start([](BackgroundJob::Context&) -> QVariant {
        throw std::runtime_error("data.jsonl:3: field 'source' missing");
    }));
    QVERIFY(failed.wait(10'000));
    QCOMPARE(failed.front().front().toString(), QString("data.jsonl:3: field 'source' missing"));
    QCOMPARE(finished.size(), 0);
    QVERIFY(!job.isRunning());
}

void TestBackgroundJob::oneJobAtATime() {
    BackgroundJob job("test");
    QSignalSpy finished(&job, &BackgroundJob::finished);
    QVERIFY(job.start([](BackgroundJob::Context& c) {
        while (!c.stopRequested())
            QThread::msleep(5);
        return QVariant(1);
    }));
    QVERIFY(job.isRunning());
    QVERIFY(!job.start([](BackgroundJob::Context&) { return QVariant(2); }));
    job.stop();
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.front().front().toInt(), 1);
    // Its receivers may start the next job at once.
    QVERIFY(job.start([](BackgroundJob::Context&) { return QVariant(3); }));
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.back().front().toInt(), 3);
}

void TestBackgroundJob::stopReachesTheWork() {
    BackgroundJob job("test");
    QSignalSpy finished(&job, &BackgroundJob::finished);
    QVERIFY(job.start([](BackgroundJob::Context& c) {
        int polls = 0;
        while (!c.stopFlag()->load()) {
            ++polls;
            QThread::msleep(2);
        }
        return QVariant(polls);
    }));
    QTest::qWait(50);
    job.stop();
    QVERIFY(finished.wait(10'000));
    QVERIFY(finished.front().front().toInt() > 0);
}

void TestBackgroundJob::pauseHoldsTheWork() {
    BackgroundJob job("test");
    QSignalSpy progress(&job, &BackgroundJob::progress);
    QSignalSpy finished(&job, &BackgroundJob::finished);
    QVERIFY(job.start([](BackgroundJob::Context& c) {
        for (int i = 1; !c.stopRequested(); ++i) {
            c.progress(i, 0);
            c.holdWhilePaused();
            QThread::msleep(2);
        }
        return QVariant();
    }));
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3, 10'000);
    job.setPaused(true);
    QVERIFY(job.isPaused());
    QTest::qWait(100); // the step under way may still report
    const auto held = progress.size();
    QTest::qWait(200);
    QCOMPARE(progress.size(), held);
    job.setPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() > held + 2, 10'000);
    job.setPaused(true);
    job.stop(); // a paused job wakes up and stops
    QVERIFY(finished.wait(10'000));
}

void TestBackgroundJob::destructorStopsAndWaits() {
    std::atomic<bool> returned{false};
    {
        BackgroundJob job("test");
        QVERIFY(job.start([&](BackgroundJob::Context& c) {
            while (!c.stopRequested())
                QThread::msleep(2);
            returned = true;
            return QVariant();
        }));
    }
    QVERIFY(returned);
}

QTEST_GUILESS_MAIN(TestBackgroundJob)
#include "tst_background_job.moc"
