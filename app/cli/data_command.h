// `gt data`: builds the built-in Debian task from apt's lists, and previews a dataset (counts,
// records, token-length statistics) as the GUI's Model & Data page does.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command dataCommand();

} // namespace gt::cli
