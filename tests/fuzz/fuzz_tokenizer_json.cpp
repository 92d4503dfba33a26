// libFuzzer: a byte-level BPE tokenizer.json, then encoding and decoding with it.
#include "core/text/byte_level_bpe.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto file =
        gt::fuzz::writeInput("tokenizer.json", {reinterpret_cast<const char*>(data), size});
    gt::fuzz::expectCleanErrors(file, [&] {
        const auto tok = gt::text::ByteLevelBpe::fromTokenizerJson(file, {});
        const auto ids = tok->encode("The rain in Spain, 2024 \xc3\xa9t\xc3\xa9 <|endoftext|>!");
        (void)tok->decode(ids, true);
    });
    return 0;
}
