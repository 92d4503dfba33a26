// The CLI's one progress line: redrawn in place on a terminal, a line per update in logs.
#include "app/cli/progress_line.h"

#include <QTest>

#include <sstream>

using gt::cli::ProgressLine;

class TestProgressLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void terminalRedrawsInPlaceAndEndsTheLine();
    void logGetsOneLinePerUpdate();
    void etaFromTheRateSoFar();
};

void TestProgressLine::terminalRedrawsInPlaceAndEndsTheLine() {
    std::ostringstream err;
    {
        ProgressLine line(err, true);
        QVERIFY(line.interactive());
        line.update("step 1/3");
        line.update("step 2/3");
        line.keep("step 2/3  validation perplexity 9.5");
        line.update("step 3/3");
    } // the destructor ends the open line
    QCOMPARE(err.str(), std::string("\rstep 1/3   \rstep 2/3   \rstep 2/3  validation perplexity "
                                    "9.5\n\rstep 3/3   \n"));
    std::ostringstream twice;
    ProgressLine line(twice, true);
    line.update("a");
    line.done();
    line.done(); // idempotent: no empty line
    QCOMPARE(twice.str(), std::string("\ra   \n"));
}

void TestProgressLine::logGetsOneLinePerUpdate() {
    std::ostringstream err;
    {
        ProgressLine line(err, false);
        line.update("step 1/2");
        line.keep("eval");
        line.update("step 2/2");
    }
    QCOMPARE(err.str(), std::string("step 1/2\neval\nstep 2/2\n"));
}

void TestProgressLine::etaFromTheRateSoFar() {
    QCOMPARE(ProgressLine::eta(30, 1, 5), std::string("ETA 0:02:00")); // 4 left at 30 s each
    QCOMPARE(ProgressLine::eta(3600, 1, 2), std::string("ETA 1:00:00"));
    QCOMPARE(ProgressLine::eta(0, 0, 10), std::string("ETA 0:00:00")); // nothing measured yet
}

QTEST_GUILESS_MAIN(TestProgressLine)
#include "tst_progress_line.moc"
