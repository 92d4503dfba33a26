// gt-workbench — the GreenTrainer Workbench desktop application.
#include "app/gui/main_window.h"
#include "core/api/memory_policy.h"
#include "core/io/version.h"

#include <QApplication>
#include <QIcon>

#include <cstdio>
#include <cstring>

namespace {

const char* const kHelp =
    "Usage: gt-workbench [options] [MODEL]\n\n"
    "GreenTrainer Workbench: energy-aware fine-tuning of language models by adaptive\n"
    "backpropagation. Load a model and a dataset, look at per-tensor cost and importance,\n"
    "choose the FLOPs budget rho and watch the selection change, fine-tune with live curves\n"
    "and compare stored runs. The same jobs run headless with gt(1).\n\n"
    "Arguments:\n"
    "  MODEL         a model directory in Hugging Face layout (config.json, safetensors,\n"
    "                tokenizer) or a config.json alone; without it the shipped starter\n"
    "                model opens, with the built-in task selected on the Train page\n\n"
    "Options:\n"
    "  -h, --help    show this help and exit\n"
    "  --version     print the version and exit\n"
    "  Qt's own options (-platform, -style, ...) are accepted as in every Qt program.\n\n"
    "Environment:\n"
    "  GT_RESOURCES_DIR   where the starter model and the built-in task are\n"
    "                     (default: ../share/greentrainer beside the program)\n";

/// --help and --version answer before Qt starts, so they work without a display.
bool answeredWithoutGui(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--help")) {
            std::fputs(kHelp, stdout);
            return true;
        }
        if (!std::strcmp(argv[i], "--version")) {
            std::printf("gt-workbench %s\n%s\n", gt::io::versionString().c_str(),
                        gt::io::buildDescription().c_str());
            return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    if (answeredWithoutGui(argc, argv)) return 0;
    gt::api::retainFreedMemory(); // training steps reuse their memory; released after a run
    QApplication app(argc, argv);
    QApplication::setOrganizationName("greentrainer");
    QApplication::setApplicationName("GreenTrainer Workbench");
    QApplication::setApplicationVersion(QString::fromStdString(gt::io::versionString()));
    QApplication::setDesktopFileName("greentrainer-workbench");
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/greentrainer-workbench.svg")));
    gt::app::MainWindow window;
    window.show();
    // gt-workbench [MODEL]: open a model directory or config.json at start (Qt has taken its
    // own options out of the arguments by now).
    const QStringList args = QApplication::arguments();
    // Without one, the starter model (with the built-in task preselected on the Train page),
    // so a first start shows the whole workflow.
    if (args.size() > 1)
        window.openModel(args.at(1));
    else
        window.openStarterModel();
    return QApplication::exec();
}
