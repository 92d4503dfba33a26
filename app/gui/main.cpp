// gt-workbench — the GreenTrainer Workbench desktop application.
#include "app/gui/main_window.h"
#include "core/api/memory_policy.h"
#include "core/io/version.h"

#include <QApplication>

int main(int argc, char** argv) {
    gt::api::retainFreedMemory(); // training steps reuse their memory; released after a run
    QApplication app(argc, argv);
    QApplication::setOrganizationName("greentrainer");
    QApplication::setApplicationName("GreenTrainer Workbench");
    QApplication::setApplicationVersion(QString::fromStdString(gt::io::versionString()));
    QApplication::setDesktopFileName("greentrainer-workbench");
    gt::app::MainWindow window;
    window.show();
    // gt-workbench [MODEL]: open a model directory or config.json at start.
    const QStringList args = QApplication::arguments();
    // Without one, the starter model (with the built-in task preselected on the Train page),
    // so a first start shows the whole workflow.
    if (args.size() > 1)
        window.openModel(args.at(1));
    else
        window.openStarterModel();
    return QApplication::exec();
}
