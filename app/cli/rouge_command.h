// `gt rouge`: scores predictions against references like rouge_score does, per example and
// for the corpus (mean and bootstrap interval).
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command rougeCommand();

} // namespace gt::cli
