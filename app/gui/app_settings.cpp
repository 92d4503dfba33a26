#include "app/gui/app_settings.h"

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

} // namespace gt::app
