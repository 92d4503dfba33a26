// The dataset options a job-running command shares (gt train, gt profile --probe): a preset
// with its directory, or training/validation files with field names.
#pragma once

#include "app/cli/arg_parser.h"
#include "core/api/training_job.h"

namespace gt::cli {

void addDataOptions(ArgParser& p);
/// Fills the job's data fields; UsageError (naming `command`) when the choice is incomplete.
void readDataOptions(const ArgParser& p, api::TrainJob& job, const std::string& command);

} // namespace gt::cli
