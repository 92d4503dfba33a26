// gt-workbench — the GreenTrainer Workbench desktop application.
#include "app/gui/main_window.h"
#include "core/api/version.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("greentrainer");
    QApplication::setApplicationName("GreenTrainer Workbench");
    QApplication::setApplicationVersion(QString::fromStdString(gt::api::versionString()));
    QApplication::setDesktopFileName("greentrainer-workbench");
    gt::app::MainWindow window;
    window.show();
    return QApplication::exec();
}
