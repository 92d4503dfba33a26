// `gt tokenizer train`: learns a byte-level BPE vocabulary from a corpus and writes a Hugging
// Face tokenizer.json; `gt tokenizer encode` shows how a text is split.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command tokenizerCommand();

} // namespace gt::cli
