// `gt runs list | show ID | compare ID ID... | export ID | rm ID | tag ID TAG | rename ID NAME`:
// the experiment store from the command line (the same SQLite file the workbench reads).
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command runsCommand();

} // namespace gt::cli
