// `gt demo`: the whole workflow offline in minutes. On the starter model and the built-in
// Debian task it fine-tunes with full FT, GreenTrainer (rho 0.5) and LoRA on the same subset
// and steps, scores each on the same validation subset, stores the runs and prints one table
// whose every number comes from those runs.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command demoCommand();

} // namespace gt::cli
