#include "app/gui/app_settings.h"

#include <QFileInfo>

namespace gt::app {

QByteArray AppSettings::mainWindowGeometry() const {
    return m_s.value("MainWindow/geometry").toByteArray();
}
void AppSettings::setMainWindowGeometry(const QByteArray& g) {
    m_s.setValue("MainWindow/geometry", g);
}

QByteArray AppSettings::mainWindowState() const {
    return m_s.value("MainWindow/state").toByteArray();
}
void AppSettings::setMainWindowState(const QByteArray& s) {
    m_s.setValue("MainWindow/state", s);
}

int AppSettings::currentPage() const {
    return m_s.value("MainWindow/page", 0).toInt();
}
void AppSettings::setCurrentPage(int index) {
    m_s.setValue("MainWindow/page", index);
}

QStringList AppSettings::recentModels() const {
    QStringList out;
    for (const QString& p : m_s.value("Models/recent").toStringList())
        if (QFileInfo::exists(p)) out << p;
    return out;
}

void AppSettings::addRecentModel(const QString& path) {
    QStringList list = m_s.value("Models/recent").toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > 10)
        list.removeLast();
    m_s.setValue("Models/recent", list);
}

} // namespace gt::app
