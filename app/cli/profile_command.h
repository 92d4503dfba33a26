// `gt profile`: the per-tensor cost table (forward, dW, dY in MACs) of a model, from its
// config alone; with --steps, the full fine-tuning total in the paper's PFLOPs (MAC) units.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command profileCommand();

} // namespace gt::cli
