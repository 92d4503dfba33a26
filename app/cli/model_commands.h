// `gt forward` (logits and loss for inputs from a safetensors file) and `gt generate`
// (greedy continuation of a prompt).
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command forwardCommand();
Command generateCommand();

} // namespace gt::cli
