// `gt plan --rho R`: which tensors GreenTrainer would train, the planned cost and its share of
// full fine-tuning, and how long the selection took. Importance: a prior or a JSON file.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command planCommand();

} // namespace gt::cli
