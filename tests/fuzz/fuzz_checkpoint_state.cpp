// libFuzzer: a checkpoint's state.json as gt resume reads it (the stored job included).
#include "core/api/run_checkpoint.h"
#include "core/train/checkpoint_folder.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file =
        gt::fuzz::writeInput("state.json", {reinterpret_cast<const char*>(data), size});
    gt::fuzz::expectCleanErrors(file, [&] {
        if (!gt::train::isCheckpoint(file.parent_path())) return;
        (void)gt::api::readCheckpoint(file.parent_path());
    });
    return 0;
}
