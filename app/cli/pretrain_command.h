// `gt pretrain`: trains an OPT-architecture causal LM from scratch on a text corpus and
// writes it in Hugging Face layout (how the starter model is made).
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command pretrainCommand();

} // namespace gt::cli
