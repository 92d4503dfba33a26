// The `gt` binary as a user runs it: help, version, unknown options, doctor.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpListsSubcommands();
    void versionPrintsTheVersion();
    void unknownOptionIsAUsageError();
    void unknownSubcommandOptionIsAUsageError();
    void noArgumentsPrintsUsageToStderr();
    void doctorJsonReportsTheEngine();

private:
    struct Result {
        int code;
        QString out, err;
    };
    Result gt(const QStringList& args);
};

TestCli::Result TestCli::gt(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(GT_CLI_PATH), args);
    if (!p.waitForFinished(120'000)) qFatal("gt %s did not finish", qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void TestCli::helpListsSubcommands() {
    const Result r = gt({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("Usage: gt <command>"));
    QVERIFY(r.out.contains("\n  doctor"));
    QVERIFY(r.err.isEmpty());
    const Result h = gt({"help", "doctor"});
    QCOMPARE(h.code, 0);
    QVERIFY(h.out.contains("--json"));
}

void TestCli::versionPrintsTheVersion() {
    const Result r = gt({"--version"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("gt 0."));
}

void TestCli::unknownOptionIsAUsageError() {
    const Result r = gt({"--frobnicate"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("unknown option '--frobnicate'"), qPrintable(r.err));
}

void TestCli::unknownSubcommandOptionIsAUsageError() {
    const Result r = gt({"doctor", "--frobnicate"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("gt doctor: unknown option '--frobnicate'"), qPrintable(r.err));
}

void TestCli::noArgumentsPrintsUsageToStderr() {
    const Result r = gt({});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("Usage: gt <command>"));
}

void TestCli::doctorJsonReportsTheEngine() {
    const Result r = gt({"doctor", "--json", "--threads", "2"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY2(!o.isEmpty(), qPrintable(r.out));
    QCOMPARE(o["threads"].toInt(), 2);
    QVERIFY(o["matmul_gflops"].toDouble() > 0.0);
    QVERIFY(!o["blas"].toObject()["label"].toString().isEmpty());
    QVERIFY(!o["sqlite"].toString().isEmpty());
    QVERIFY(!o["qt"].toString().isEmpty());
    QVERIFY(o["cuda"].toObject().contains("available"));
    QVERIFY(o["energy"].toObject().contains("readable"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
