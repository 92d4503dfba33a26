// `gt eval`: generates summaries for a dataset split with a model and scores them (ROUGE,
// loss), optionally storing the result as a run.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command evalCommand();

} // namespace gt::cli
