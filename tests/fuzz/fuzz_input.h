// Shared by the libFuzzer harnesses: parsers that read files get the input as a file, and
// every error they throw must name that file (the project's rule for bad input); an error
// that does not, or any other exception, aborts so libFuzzer reports the input.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace gt::fuzz {

/// A per-process scratch directory (RAM-backed where /dev/shm exists).
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        const std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                               ? "/dev/shm"
                                               : std::filesystem::temp_directory_path();
        auto d = base / ("gt-fuzz-" + std::to_string(getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
inline std::filesystem::path writeInput(const std::string& name, std::string_view bytes) {
    const auto path = scratch() / name;
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

/// Calls `parse`; a std::exception whose message names `file` is a clean refusal.
template <typename Parse> void expectCleanErrors(const std::filesystem::path& file, Parse&& parse) {
    try {
        parse();
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find(file.filename().string()) == std::string::npos) {
            std::fprintf(stderr, "error without the file name: %s\n", what.c_str());
            std::abort();
        }
    }
}

} // namespace gt::fuzz
