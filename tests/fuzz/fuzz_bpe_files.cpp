// libFuzzer: the vocab.json + merges.txt layout (input split at its first NUL byte).
#include "core/text/byte_level_bpe.h"
#include "tests/fuzz/fuzz_input.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const size_t cut = std::min(all.find('\0'), all.size());
    const auto vocab = gt::fuzz::writeInput("vocab.json", all.substr(0, cut));
    const auto merges =
        gt::fuzz::writeInput("merges.txt", cut < all.size() ? all.substr(cut + 1) : "");
    try {
        const auto tok = gt::text::ByteLevelBpe::fromFiles(vocab, merges, {});
        const auto ids = tok->encode("the rain in spain stays mainly in the plain");
        (void)tok->decode(ids, true);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find("vocab.json") == std::string::npos &&
            what.find("merges.txt") == std::string::npos) {
            std::fprintf(stderr, "error without the file name: %s\n", what.c_str());
            std::abort();
        }
    }
    return 0;
}
