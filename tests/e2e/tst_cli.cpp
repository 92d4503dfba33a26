// The `gt` binary as a user runs it: help, version, unknown options, doctor.
#include "tests/support/cli_runner.h"
#include "tests/support/shared_data.h"

#include <QJsonArray>
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
    void profileReproducesThePapersFullFineTuningCost();
    void planJsonStaysWithinRho();
    void planPaperModeAndBaselines();
    void planErrorsAreClear();
    void starterHasThePapersHeadroom();
    void orderFollowsTheAccounting();
    void planKeepsPinnedTensors();
    void planExplainsWhy();

private:
    using Result = gt::test::CliResult;
    static Result gt(const QStringList& args) { return gt::test::runGt(args); }
};

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

void TestCli::profileReproducesThePapersFullFineTuningCost() {
    GT_REQUIRE_SHARED(cfg, "fixtures/configs/opt-2.7b/config.json");
    const Result r =
        gt({"profile", "--model", cfg, "--accounting", "paper", "--steps", "2490", "--summary"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("2490 steps: 41.76 PMAC"), qPrintable(r.out)); // paper: 41.8
    const Result table = gt({"profile", "--model", cfg, "--batch", "1", "--seq-len", "128"});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.contains("model.decoder.layers.31.fc2.weight"));
    const Result json = gt({"profile", "--model", cfg, "--json"});
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o["tensors"].toArray().size(), 516);
}

void TestCli::planJsonStaysWithinRho() {
    GT_REQUIRE_SHARED(cfg, "fixtures/configs/bloomz-3b");
    // BLOOM's 250k vocabulary makes the LM head's input gradient 7% of a step: rho >= 0.403.
    for (const char* rho : {"0.45", "0.5", "0.7"}) {
        const Result r = gt({"plan", "--model", cfg, "--rho", rho, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject plan =
            QJsonDocument::fromJson(r.out.toUtf8()).object()["plan"].toObject();
        QVERIFY(plan["share"].toDouble() <= QString(rho).toDouble() + 1e-12);
        QVERIFY(plan["share"].toDouble() > QString(rho).toDouble() - 0.02);
        QVERIFY(!plan["selected"].toArray().isEmpty());
        QCOMPARE(plan["selector"].toString(), QString("exact-dp"));
    }
}

void TestCli::planPaperModeAndBaselines() {
    GT_REQUIRE_SHARED(cfg, "fixtures/configs/opt-1.3b");
    const Result paper = gt({"plan", "--model", cfg, "--rho", "0.5", "--paper"});
    QCOMPARE(paper.code, 0);
    QVERIFY2(paper.out.contains("(paper-dp), rho 0.5, paper accounting, registration order"),
             qPrintable(paper.out));
    const Result full = gt({"plan", "--model", cfg, "--method", "full"});
    QVERIFY(full.out.contains("share 1.0000"));
    const Result top = gt({"plan", "--model", cfg, "--method", "top-k", "--k", "2", "--json"});
    const QJsonObject plan = QJsonDocument::fromJson(top.out.toUtf8()).object()["plan"].toObject();
    QCOMPARE(plan["method"].toString(), QString("top-k-blocks"));
}

void TestCli::planErrorsAreClear() {
    GT_REQUIRE_SHARED(cfg, "fixtures/configs/opt-1.3b");
    const Result low = gt({"plan", "--model", cfg, "--rho", "0.2"});
    QCOMPARE(low.code, 1);
    QVERIFY2(low.err.contains("rho 0.2 is infeasible") && low.err.contains("rho >= 0.3"),
             qPrintable(low.err));
    const Result high = gt({"plan", "--model", cfg, "--rho", "1.5"});
    QCOMPARE(high.code, 2);
    QVERIFY(high.err.contains("--rho expects a number in [0, 1]"));
    const Result missing = gt({"plan", "--model", "/nonexistent/model"});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains("/nonexistent/model/config.json: cannot open") ||
                 missing.err.contains("/nonexistent/model: cannot open"),
             qPrintable(missing.err));
    const Result noModel = gt({"plan"});
    QCOMPARE(noModel.code, 2);
    QVERIFY(noModel.err.contains("--model is required"));
}

void TestCli::starterHasThePapersHeadroom() {
    // The shipped starter is shaped like the paper's models at the demo's shape: rho 0.5 leaves
    // a fifth to a quarter of the backward pass to choose from (OPT-2.7B: 22.6%).
    const QString starter = QStringLiteral(GT_REPO_RESOURCES_DIR "/models/starter");
    const Result r = gt(
        {"plan", "--model", starter, "--rho", "0.5", "--batch", "8", "--seq-len", "256", "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject plan = QJsonDocument::fromJson(r.out.toUtf8()).object()["plan"].toObject();
    QVERIFY2(plan["min_rho"].toDouble() <= 0.40, qPrintable(r.out));
    const double spare = plan["spare_backward_share"].toDouble();
    QVERIFY2(spare >= 0.20 && spare <= 0.25, qPrintable(QString::number(spare)));
    const Result text =
        gt({"plan", "--model", starter, "--rho", "0.5", "--batch", "8", "--seq-len", "256"});
    QVERIFY2(text.out.contains(QString("at rho 0.5, %1% of the backward pass is left to choose "
                                       "from")
                                   .arg(100 * spare, 0, 'f', 1)),
             qPrintable(text.out));
}

void TestCli::planKeepsPinnedTensors() {
    const QString starter = QStringLiteral(GT_REPO_RESOURCES_DIR "/models/starter");
    // the first block is at the input end: pinning it pays the whole dY chain, so rho 0.6 is
    // refused with what it needs, and rho 0.8 trains all 16 of its tensors within budget
    const Result over =
        gt({"plan", "--model", starter, "--rho", "0.6", "--include", "layers\\.0\\.", "--json"});
    QCOMPARE(over.code, 1);
    QVERIFY2(over.err.contains("the 16 pinned-in tensors cost rho 0.78") &&
                 over.err.contains("over rho 0.6; raise rho or pin fewer"),
             qPrintable(over.err));
    const Result r = gt({"plan", "--model", starter, "--rho", "0.8", "--include", "layers\\.0\\.",
                         "--exclude", "layers\\.[1-5]\\.fc2", "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject plan = QJsonDocument::fromJson(r.out.toUtf8()).object()["plan"].toObject();
    QVERIFY(plan["share"].toDouble() <= 0.8 + 1e-12);
    QCOMPARE(plan["pinned_in"].toInt(), 16);
    QCOMPARE(plan["pinned_out"].toInt(), 10); // fc2 weight and bias of 5 other blocks
    int first = 0;
    for (const auto& v : plan["selected"].toArray()) {
        const QString name = v.toString();
        first += name.contains("layers.0.");
        QVERIFY2(!name.contains("fc2") || name.contains("layers.0."), qPrintable(name));
    }
    QCOMPARE(first, 16);
    const Result none = gt({"plan", "--model", starter, "--include", "transformer\\.h"});
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains("matches no tensor of this model") &&
                 none.err.contains("model.decoder.embed_tokens.weight"),
             qPrintable(none.err));
    QCOMPARE(gt({"plan", "--model", starter, "--method", "full", "--include", "fc1"}).code, 2);
}

void TestCli::planExplainsWhy() {
    const QString starter = QStringLiteral(GT_REPO_RESOURCES_DIR "/models/starter");
    const Result r = gt({"plan", "--model", starter, "--rho", "0.5", "--why",
                         "layers\\.0\\.fc1\\.weight|layers\\.5\\.fc2\\.weight", "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray why = j["why"].toArray();
    QCOMPARE(why.size(), 2);
    QStringList selected;
    for (const auto& v : j["plan"]["selected"].toArray())
        selected << v.toString();
    for (const auto& v : why) {
        const QJsonObject e = v.toObject();
        const QString name = e["tensor"].toString();
        QCOMPARE(e["selected"].toBool(), selected.contains(name));
        QVERIFY(e["dw_macs"].toDouble() > 0 && e["reach_macs"].toDouble() >= 0);
        QCOMPARE(e["added_macs"].toDouble(),
                 e["dw_macs"].toDouble() + e["extra_reach_macs"].toDouble());
        QVERIFY(e["text"].toArray()[0].toString().startsWith(name + " — "));
        if (!e["flip_rho"].isNull())
            QVERIFY(e["selected"].toBool() ? e["flip_rho"].toDouble() < 0.5
                                           : e["flip_rho"].toDouble() > 0.5);
    }
    // the first block sits at the input end: pinning its fc1 in pays the whole dY chain,
    // more than rho 0.5 allows (the same 0.78 the pins test refuses for the whole block)
    const QJsonObject first = why[0].toObject();
    QVERIFY(first["tensor"].toString().contains("layers.0.fc1"));
    QVERIFY(!first["selected"].toBool());
    QVERIFY2(first["pin_needs_rho"].toDouble() > 0.7, qPrintable(r.out));
    const Result text =
        gt({"plan", "--model", starter, "--rho", "0.5", "--why", "layers\\.0\\.fc1\\.weight"});
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains("not trained at rho 0.50") &&
                 text.out.contains("pinning it in needs rho >= 0.7"),
             qPrintable(text.out));
    const Result none = gt({"plan", "--model", starter, "--why", "transformer\\.h"});
    QCOMPARE(none.code, 2);
    QVERIFY2(none.err.contains("--why 'transformer\\.h' matches no tensor"), qPrintable(none.err));
    const Result many = gt({"plan", "--model", starter, "--why", "layers"});
    QCOMPARE(many.code, 2);
    QVERIFY2(many.err.contains("matches 96 tensors; name at most 32"), qPrintable(many.err));
    QCOMPARE(gt({"plan", "--model", starter, "--method", "full", "--why", "fc1"}).code, 2);
}

void TestCli::orderFollowsTheAccounting() {
    GT_REQUIRE_SHARED(cfg, "fixtures/configs/opt-1.3b");
    const Result mismatched =
        gt({"plan", "--model", cfg, "--accounting", "exact", "--order", "registration"});
    QCOMPARE(mismatched.code, 2);
    QVERIFY2(mismatched.err.contains("--order registration does not fit exact accounting") &&
                 mismatched.err.contains("spends more than it reports"),
             qPrintable(mismatched.err));
    const Result paperExecution =
        gt({"plan", "--model", cfg, "--accounting", "paper", "--order", "execution"});
    QCOMPARE(paperExecution.code, 2);
    QVERIFY2(paperExecution.err.contains("under-reports"), qPrintable(paperExecution.err));
    // The matching pairs are accepted, and the order is implied when not given.
    for (const char* accounting : {"exact", "paper"}) {
        const char* order = QByteArray(accounting) == "exact" ? "execution" : "registration";
        for (const bool spelled : {false, true}) {
            QStringList args{"plan", "--model", cfg, "--accounting", accounting};
            if (spelled) args << "--order" << order;
            const Result r = gt(args);
            QCOMPARE(r.code, 0);
            QVERIFY2(r.out.contains(QString("%1 accounting, %2 order").arg(accounting, order)),
                     qPrintable(r.out));
        }
    }
    const Result train = gt({"train", "--model", cfg, "--preset", "debian", "--accounting", "exact",
                             "--order", "registration"});
    QCOMPARE(train.code, 2);
    QVERIFY2(train.err.contains("gt train: --order registration does not fit"),
             qPrintable(train.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
