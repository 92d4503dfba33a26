// The child process tst_crash_resume_gui kills: a Train page and its TrainingController, as
// the workbench window has them, start a run from the page's form and print each step the
// controller reports ("step N", flushed) until the run ends or the process is killed.
// Usage: gui_train_child MODEL PAIRS.jsonl DB EXPORT METHOD
#include "app/gui/training_controller.h"
#include "widgets/panels/train_page.h"

#include <QApplication>
#include <QComboBox>
#include <QSpinBox>

#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc != 6) {
        std::fprintf(stderr, "usage: gui_train_child MODEL PAIRS DB EXPORT METHOD\n");
        return 2;
    }
    gt::widgets::TrainPage page;
    gt::app::TrainingController controller;
    controller.attach(&page);
    page.setModelDir(argv[1]);
    page.setDataset("file", argv[2]);
    page.setStorePath(argv[3]);
    page.methodBox()->setCurrentIndex(page.methodBox()->findData(QString(argv[5])));
    page.stepsBox()->setValue(60); // long enough that a kill lands mid-run
    page.batchBox()->setValue(2);
    page.seqLenBox()->setValue(48);
    page.limitBox()->setValue(6);
    page.evalExamplesBox()->setValue(2);
    // The page's job, as Start would run it, plus what the form does not offer: an export
    // to compare weights, a step cadence for checkpoints and one thread (bit-exact runs).
    gt::api::TrainJob job = page.job();
    job.exportDir = argv[4];
    job.evalEvery = 4;
    job.maxNewTokens = 4;
    job.options.threads = 1;
    job.options.reselectEveryEpochs = 2;
    if (job.options.method != gt::train::Method::GreenTrainer) job.checkpointEvery = 3;
    QObject::connect(&controller, &gt::app::TrainingController::progress,
                     [](const gt::api::TrainProgress& p) {
                         std::printf("step %lld\n", static_cast<long long>(p.step.step));
                         std::fflush(stdout);
                     });
    int code = 0;
    QObject::connect(&controller, &gt::app::TrainingController::finished, &app,
                     [&] { app.quit(); });
    QObject::connect(&controller, &gt::app::TrainingController::failed, &app,
                     [&](const QString& m) {
                         std::fprintf(stderr, "%s\n", qPrintable(m));
                         code = 1;
                         app.quit();
                     });
    if (!controller.start(job)) return 1;
    app.exec();
    return code;
}
