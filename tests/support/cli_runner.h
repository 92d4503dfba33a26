// Runs the `gt` binary the way a user does and captures what it prints (e2e tests).
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace gt::test {

struct CliResult {
    int code = -1; ///< exit code; -1 when the process crashed
    QString out, err;
};

inline CliResult runGt(const QStringList& args, int timeoutMs = 120'000) {
    QProcess p;
    p.start(QStringLiteral(GT_CLI_PATH), args);
    if (!p.waitForFinished(timeoutMs)) qFatal("gt %s did not finish", qPrintable(args.join(' ')));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace gt::test
