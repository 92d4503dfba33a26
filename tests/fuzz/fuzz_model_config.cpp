// libFuzzer: config.json of every supported architecture (fields, types, ranges).
#include "core/io/model_config.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file =
        gt::fuzz::writeInput("config.json", {reinterpret_cast<const char*>(data), size});
    gt::fuzz::expectCleanErrors(file, [&] {
        const auto c = gt::io::loadModelConfig(file);
        gt::io::requirePositions(c, 512, file.string());
        if (c.headDim() <= 0) std::abort(); // a parsed config is usable
    });
    return 0;
}
