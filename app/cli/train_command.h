// `gt train`: fine-tunes with Full FT, GreenTrainer(rho) or the last k blocks, writes every step
// to the run store, prints a progress line with ETA; Ctrl+C stops after the current step.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command trainCommand();
Command resumeCommand();

} // namespace gt::cli
