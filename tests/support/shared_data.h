// Locating ../shared (reference fixtures) from a test. The path comes from the CMake cache
// variable GT_SHARED_DIR. Missing data skips the test locally but FAILS it when the CI
// environment variable is set: CI must never count a skipped golden test as a pass.
#pragma once

#include <QDir>
#include <QString>
#include <QTest>

namespace gt::test {

inline QString sharedDir() {
    return QStringLiteral(GT_SHARED_DIR);
}

inline bool runningInCi() {
    return !qEnvironmentVariableIsEmpty("CI");
}

} // namespace gt::test

/// Resolves `relative` inside ../shared into `var`, or skips / fails the current test.
#define GT_REQUIRE_SHARED(var, relative)                                                           \
    const QString var = QDir(gt::test::sharedDir()).filePath(relative);                            \
    do {                                                                                           \
        if (!QFileInfo::exists(var)) {                                                             \
            const QByteArray why = "reference data missing: " + var.toUtf8() +                     \
                                   " (configure with -DGT_SHARED_DIR=/path/to/shared)";            \
            if (gt::test::runningInCi()) QFAIL(why.constData());                                   \
            QSKIP(why.constData());                                                                \
        }                                                                                          \
    } while (false)
