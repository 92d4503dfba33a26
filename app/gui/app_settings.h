// Typed access to the workbench's QSettings, each key with its default beside it.
// Experiment data never goes here: runs live in the SQLite store.
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QStringList>

namespace gt::app {

class AppSettings {
public:
    AppSettings() = default;

    QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray& g);
    QByteArray mainWindowState() const;
    void setMainWindowState(const QByteArray& s);
    int currentPage() const;
    void setCurrentPage(int index);
    /// Most recent first, at most 10, existing paths only.
    QStringList recentModels() const;
    void addRecentModel(const QString& path);

private:
    QSettings m_s;
};

} // namespace gt::app
