// What a user gets from an install: the build tree staged with `cmake --install` into an
// empty prefix, and the .deb that CPack makes from it. The installed programs must find the
// starter model and the built-in task beside themselves (not in the source tree), and the
// package must carry everything a desktop expects, with its dependencies computed.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

class TestInstallLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void installsEveryFileADesktopExpects();
    void installedProgramsUseTheInstalledResources();
    void workbenchAnswersHelpWithoutADisplay();
    void manPagesHoldEveryCommand();
    void desktopEntryAndMetainfoValidate();
    void debianPackageIsCompleteWithComputedDependencies();

private:
    struct Run {
        int code = -1;
        QString out, err;
    };
    static Run run(const QString& program, const QStringList& args, int timeoutMs = 300'000,
                   const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    QString staged(const QString& relative) const { return m_prefix.filePath(relative); }
    static QByteArray gunzip(const QString& path);

    QTemporaryDir m_prefix;
};

TestInstallLayout::Run TestInstallLayout::run(const QString& program, const QStringList& args,
                                              int timeoutMs, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs))
        qFatal("%s %s did not finish", qPrintable(program), qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QByteArray TestInstallLayout::gunzip(const QString& path) {
    gzFile f = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!f) return {};
    QByteArray text;
    char buf[8192];
    for (int n; (n = gzread(f, buf, sizeof buf)) > 0;)
        text.append(buf, n);
    gzclose(f);
    return text;
}

void TestInstallLayout::initTestCase() {
    QVERIFY(m_prefix.isValid());
    const Run r = run("cmake", {"--install", GT_BUILD_DIR, "--prefix", m_prefix.path()});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
}

void TestInstallLayout::installsEveryFileADesktopExpects() {
    for (const char* f : {"bin/gt",
                          "bin/gt-workbench",
                          "lib/greentrainer/libgt_spm_shim.so",
                          "share/greentrainer/models/starter/config.json",
                          "share/greentrainer/models/starter/model.safetensors",
                          "share/greentrainer/models/starter/tokenizer.json",
                          "share/greentrainer/models/starter/MODEL_CARD.md",
                          "share/greentrainer/data/debian/train.jsonl.gz",
                          "share/greentrainer/data/debian/validation.jsonl.gz",
                          "share/greentrainer/data/debian/test.jsonl.gz",
                          "share/greentrainer/data/debian/README.md",
                          "share/greentrainer/power/cpu-tdp.csv",
                          "share/greentrainer/power/README.md",
                          "share/greentrainer/grid/country-intensity.csv",
                          "share/greentrainer/grid/us-ciso-2022-06.csv",
                          "share/greentrainer/grid/README.md",
                          "share/applications/greentrainer-workbench.desktop",
                          "share/icons/hicolor/scalable/apps/greentrainer-workbench.svg",
                          "share/metainfo/org.greentrainer.workbench.metainfo.xml",
                          "share/man/man1/gt.1.gz",
                          "share/man/man1/gt-workbench.1.gz",
                          "share/doc/greentrainer-workbench/copyright"})
        QVERIFY2(QFileInfo(staged(f)).size() > 0, f);
    // every PNG size of the hicolor theme, rendered from the SVG at its size
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        const QString png =
            staged(QString("share/icons/hicolor/%1x%1/apps/greentrainer-workbench.png").arg(size));
        QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        QCOMPARE(image.size(), QSize(size, size));
        QVERIFY(image.hasAlphaChannel());
    }
}

void TestInstallLayout::installedProgramsUseTheInstalledResources() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("GT_RESOURCES_DIR");
    const Run r = run(staged("bin/gt"), {"doctor", "--json", "--no-bench"}, 120'000, env);
    QCOMPARE(r.code, 0);
    const QJsonObject res =
        QJsonDocument::fromJson(r.out.toUtf8()).object()["resources"].toObject();
    QCOMPARE(QDir(res["path"].toString()).canonicalPath(),
             QDir(staged("share/greentrainer")).canonicalPath());
    QVERIFY2(res["complete"].toBool(), qPrintable(res["status"].toString()));
    // the installed gt plans on the installed starter model and tokenizes with the installed
    // SentencePiece module's sibling files: nothing from the source tree
    const Run plan =
        run(staged("bin/gt"),
            {"plan", "--model", staged("share/greentrainer/models/starter"), "--rho", "0.5"},
            120'000, env);
    QVERIFY2(plan.code == 0, qPrintable(plan.err));
    QVERIFY2(plan.out.contains("rho 0.5"), qPrintable(plan.out));
    // without the installed files the doctor says what is missing and where to point it
    QTemporaryDir empty;
    env.insert("GT_RESOURCES_DIR", empty.path());
    const Run missing = run(staged("bin/gt"), {"doctor", "--no-bench"}, 120'000, env);
    QVERIFY2(missing.out.contains("missing: models/starter data/debian (set GT_RESOURCES_DIR)"),
             qPrintable(missing.out));
    QVERIFY2(missing.err.contains("WARNING: the shipped files are incomplete"),
             qPrintable(missing.err));
}

void TestInstallLayout::workbenchAnswersHelpWithoutADisplay() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.remove("QT_QPA_PLATFORM"); // a GUI that started Qt here would fail: no platform
    const Run help = run(staged("bin/gt-workbench"), {"--help"}, 60'000, env);
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.startsWith("Usage: gt-workbench [options] [MODEL]"));
    const Run version = run(staged("bin/gt-workbench"), {"--version"}, 60'000, env);
    QCOMPARE(version.code, 0);
    QVERIFY(version.out.startsWith("gt-workbench 0."));
}

void TestInstallLayout::manPagesHoldEveryCommand() {
    const QString man = QString::fromUtf8(gunzip(staged("share/man/man1/gt.1.gz")));
    QVERIFY(man.contains(".TH GT 1"));
    QVERIFY(man.contains(".SH NAME\ngt \\- "));
    // every command of `gt --help` has a subsection with its own options
    const Run help = run(staged("bin/gt"), {"--help"});
    const QString commands = help.out.section("Commands:\n", 1).section("\n\n", 0, 0);
    int count = 0;
    for (const QString& line : commands.split('\n', Qt::SkipEmptyParts)) {
        const QString name = line.trimmed().section(' ', 0, 0);
        QVERIFY2(man.contains(".SS " + name + "\n"), qPrintable(name));
        ++count;
    }
    QVERIFY(count >= 10);
    QVERIFY(man.contains("\\-\\-rho")); // options are escaped for roff, not eaten as hyphens
    QVERIFY(QString::fromUtf8(gunzip(staged("share/man/man1/gt-workbench.1.gz")))
                .contains("Usage: gt\\-workbench [options] [MODEL]"));
    // and man(1) formats it without a warning
    const Run fmt = run("man", {"--warnings", "-l", "-Tutf8", staged("share/man/man1/gt.1.gz")});
    QCOMPARE(fmt.code, 0);
    QVERIFY2(fmt.err.isEmpty(), qPrintable(fmt.err));
    QVERIFY(fmt.out.contains("gt train"));
}

void TestInstallLayout::desktopEntryAndMetainfoValidate() {
    const Run desktop =
        run("desktop-file-validate", {staged("share/applications/greentrainer-workbench.desktop")});
    QVERIFY2(desktop.code == 0 && desktop.out.isEmpty(), qPrintable(desktop.out + desktop.err));
    const Run meta =
        run("appstreamcli", {"validate", "--no-net", "--pedantic",
                             staged("share/metainfo/org.greentrainer.workbench.metainfo.xml")});
    QVERIFY2(meta.code == 0, qPrintable(meta.out + meta.err));
    QFile entry(staged("share/applications/greentrainer-workbench.desktop"));
    QVERIFY(entry.open(QIODevice::ReadOnly));
    QVERIFY(entry.readAll().contains("\nIcon=greentrainer-workbench\n"));
}

void TestInstallLayout::debianPackageIsCompleteWithComputedDependencies() {
    QTemporaryDir out;
    const Run cpack = run("cpack", {"-G", "DEB", "-B", out.path(), "--config",
                                    QString(GT_BUILD_DIR) + "/CPackConfig.cmake"});
    QVERIFY2(cpack.code == 0, qPrintable(cpack.out + cpack.err));
    const QStringList debs = QDir(out.path()).entryList({"greentrainer-workbench_*.deb"});
    QCOMPARE(debs.size(), 1);
    const QString deb = out.filePath(debs.front());
    const Run depends = run("dpkg-deb", {"--field", deb, "Depends"});
    QCOMPARE(depends.code, 0);
    // from dpkg-shlibdeps (what the binaries link), plus the BLAS LibTorch loads at run time
    for (const char* pkg : {"libtorch1.13", "libqt6widgets6", "libqt6svg6", "libqcustomplot2.1-qt6",
                            "libsqlite3-0", "libsentencepiece0", "libopenblas0-openmp"})
        QVERIFY2(QRegularExpression(QString("(^|, )%1( |,|$)").arg(QRegularExpression::escape(pkg)))
                     .match(depends.out.trimmed())
                     .hasMatch(),
                 qPrintable(QString("%1 not in Depends: %2").arg(pkg, depends.out)));
    const Run contents = run("dpkg-deb", {"--contents", deb});
    QCOMPARE(contents.code, 0);
    for (const char* f :
         {"./usr/bin/gt\n", "./usr/bin/gt-workbench\n",
          "./usr/lib/greentrainer/libgt_spm_shim.so\n",
          "./usr/share/greentrainer/models/starter/model.safetensors\n",
          "./usr/share/greentrainer/data/debian/train.jsonl.gz\n",
          "./usr/share/applications/greentrainer-workbench.desktop\n",
          "./usr/share/icons/hicolor/48x48/apps/greentrainer-workbench.png\n",
          "./usr/share/metainfo/org.greentrainer.workbench.metainfo.xml\n",
          "./usr/share/man/man1/gt.1.gz\n", "./usr/share/doc/greentrainer-workbench/copyright\n"})
        QVERIFY2(contents.out.contains(QString(" ") + f), f);
}

QTEST_GUILESS_MAIN(TestInstallLayout)
#include "tst_install_layout.moc"
