// The CLI's argument parser: values, flags, positionals, defaults, and every error message.
#include "app/cli/arg_parser.h"
#include "app/cli/command_line_app.h"

#include <QTest>

#include <sstream>

using gt::cli::ArgParser;
using gt::cli::UsageError;

class TestArgParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesOptionsFlagsAndPositionals();
    void defaultsApplyWhenAbsent();
    void errors_data();
    void errors();
    void helpListsOptions();
    void numericRangeIsChecked();
    void appDispatchesAndMapsExitCodes();
};

namespace {
ArgParser makeParser() {
    ArgParser p("gt plan", "Plans a run.");
    p.option("rho", "R", "FLOPs objective", "0.5")
        .option("model", "DIR", "model directory")
        .flag("json", "JSON output")
        .positional("out", "output file", false);
    return p;
}
} // namespace

void TestArgParser::parsesOptionsFlagsAndPositionals() {
    ArgParser p = makeParser();
    p.parse({"--rho", "0.7", "--model=/m", "--json", "out.txt"});
    QCOMPARE(p.value("rho"), std::string("0.7"));
    QCOMPARE(p.value("model"), std::string("/m"));
    QVERIFY(p.has("json"));
    QCOMPARE(p.value("out"), std::string("out.txt"));
    QVERIFY(!p.helpRequested());
}

void TestArgParser::defaultsApplyWhenAbsent() {
    ArgParser p = makeParser();
    p.parse({});
    QCOMPARE(p.value("rho"), std::string("0.5"));
    QVERIFY(!p.has("json"));
    QVERIFY(!p.has("model"));
    QVERIFY_THROWS_EXCEPTION(UsageError, p.value("model"));
}

void TestArgParser::errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown long") << QStringList{"--bogus"} << "unknown option '--bogus'";
    QTest::newRow("unknown short") << QStringList{"-x"} << "unknown option '-x'";
    QTest::newRow("missing value") << QStringList{"--model"} << "--model needs a value (DIR)";
    QTest::newRow("flag with value") << QStringList{"--json=1"} << "--json takes no value";
    QTest::newRow("twice") << QStringList{"--rho", "1", "--rho", "2"} << "given more than once";
    QTest::newRow("extra positional") << QStringList{"a", "b"} << "unexpected argument 'b'";
}

void TestArgParser::errors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    std::vector<std::string> v;
    for (const QString& a : args)
        v.push_back(a.toStdString());
    ArgParser p = makeParser();
    try {
        p.parse(v);
        QFAIL("expected a UsageError");
    } catch (const UsageError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY2(QString(e.what()).startsWith("gt plan: "), e.what());
    }
}

void TestArgParser::helpListsOptions() {
    ArgParser p = makeParser();
    p.parse({"--rho", "0.3", "-h"});
    QVERIFY(p.helpRequested());
    const QString h = QString::fromStdString(p.help());
    QVERIFY(h.contains("Usage: gt plan [options] [out]"));
    QVERIFY(h.contains("--rho R"));
    QVERIFY(h.contains("(default: 0.5)"));
    QVERIFY(h.contains("--help"));
}

void TestArgParser::numericRangeIsChecked() {
    ArgParser p = makeParser();
    p.parse({"--rho", "1.5", "--model", "12x"});
    QVERIFY_THROWS_EXCEPTION(UsageError, p.doubleValue("rho", 0.0, 1.0));
    QVERIFY_THROWS_EXCEPTION(UsageError, p.intValue("model", 0, 100));
    ArgParser q = makeParser();
    q.parse({"--rho", "0.25", "--model", "42"});
    QCOMPARE(q.doubleValue("rho", 0.0, 1.0), 0.25);
    QCOMPARE(q.intValue("model", 0, 100), 42LL);
}

void TestArgParser::appDispatchesAndMapsExitCodes() {
    gt::cli::CommandLineApp app;
    app.add({"echo", "prints its argument", [](gt::cli::CommandContext& c) {
                 ArgParser p("gt echo", "Echo.");
                 p.positional("text", "what to print");
                 p.parse(c.args);
                 c.out << p.value("text");
                 return 0;
             }});
    app.add({"fail", "throws",
             [](gt::cli::CommandContext&) -> int { throw std::runtime_error("disk on fire"); }});
    std::ostringstream out, err;
    QCOMPARE(app.run({"echo", "hi"}, out, err), 0);
    QCOMPARE(out.str(), std::string("hi"));
    QCOMPARE(app.run({"echo"}, out, err), 2);
    QVERIFY(err.str().find("missing argument <text>") != std::string::npos);
    QCOMPARE(app.run({"fail"}, out, err), 1);
    QVERIFY(err.str().find("gt fail: error: disk on fire") != std::string::npos);
    QCOMPARE(app.run({"nope"}, out, err), 2);
    QVERIFY(err.str().find("unknown command 'nope'") != std::string::npos);
    std::ostringstream help;
    QCOMPARE(app.run({"--help"}, help, err), 0);
    QVERIFY(help.str().find("  echo") != std::string::npos);
    QVERIFY(help.str().find("  fail") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestArgParser)
#include "tst_arg_parser.moc"
