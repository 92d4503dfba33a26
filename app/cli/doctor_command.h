// `gt doctor`: is this machine set up to train fast? LibTorch build, BLAS, GEMM speed,
// threads, CUDA, Qt and SQLite versions, the run store, and the energy counter.
#pragma once

#include "app/cli/command_line_app.h"

namespace gt::cli {

Command doctorCommand();

} // namespace gt::cli
