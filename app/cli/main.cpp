// gt — the workbench's headless command line.
#include "app/cli/command_line_app.h"
#include "app/cli/data_command.h"
#include "app/cli/demo_command.h"
#include "app/cli/doctor_command.h"
#include "app/cli/eval_command.h"
#include "app/cli/model_commands.h"
#include "app/cli/plan_command.h"
#include "app/cli/pretrain_command.h"
#include "app/cli/profile_command.h"
#include "app/cli/rouge_command.h"
#include "app/cli/runs_command.h"
#include "app/cli/tokenizer_command.h"
#include "app/cli/train_command.h"
#include "core/api/memory_policy.h"

#include <iostream>

int main(int argc, char** argv) {
    gt::api::retainFreedMemory(); // before the first large tensor
    gt::cli::CommandLineApp app;
    app.add(gt::cli::demoCommand());
    app.add(gt::cli::doctorCommand());
    app.add(gt::cli::forwardCommand());
    app.add(gt::cli::generateCommand());
    app.add(gt::cli::profileCommand());
    app.add(gt::cli::planCommand());
    app.add(gt::cli::pretrainCommand());
    app.add(gt::cli::trainCommand());
    app.add(gt::cli::resumeCommand());
    app.add(gt::cli::evalCommand());
    app.add(gt::cli::rougeCommand());
    app.add(gt::cli::dataCommand());
    app.add(gt::cli::runsCommand());
    app.add(gt::cli::tokenizerCommand());
    return app.run({argv + 1, argv + argc}, std::cout, std::cerr);
}
