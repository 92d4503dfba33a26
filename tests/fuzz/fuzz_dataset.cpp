// libFuzzer: the dataset readers; the first byte picks JSONL, JSON, CSV or TSV, the rest is
// the file (gzip-compressed inputs are read the same way, by their magic bytes).
#include "core/data/dataset.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* names[] = {"data.jsonl", "data.json", "data.csv", "data.tsv"};
    const auto file = gt::fuzz::writeInput(names[data[0] % 4],
                                           {reinterpret_cast<const char*>(data) + 1, size - 1});
    gt::fuzz::expectCleanErrors(file, [&] {
        gt::data::ReadOptions o;
        o.skipBad = (data[0] & 4) != 0;
        const auto examples = gt::data::readDataset(file, o);
        if (examples.empty()) std::abort(); // "no usable records" must have been thrown
    });
    return 0;
}
