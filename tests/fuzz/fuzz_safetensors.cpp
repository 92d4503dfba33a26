// libFuzzer: the safetensors header parser and its checks (offsets, shapes, overlaps).
#include "core/io/safetensors_file.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file =
        gt::fuzz::writeInput("input.safetensors", {reinterpret_cast<const char*>(data), size});
    gt::fuzz::expectCleanErrors(file, [&] {
        const auto f = gt::io::SafetensorsFile::open(file);
        size_t sum = 0; // touch every tensor's bytes: the views must lie inside the map
        for (const auto& t : f.tensors())
            for (size_t i = 0; i < t.bytes; i += 4096)
                sum += t.data[i];
        if (sum == 1) std::fputc(0, stderr); // keep the reads
    });
    return 0;
}
