// Whole-file gzip reading and writing (zlib): the built-in task ships compressed, and the
// dataset readers accept any `.gz` file as the format its inner extension names.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace gt::io {

/// The decompressed bytes of `file` (plain files pass through unchanged). Throws
/// std::runtime_error naming the file on a read or format error.
std::string readMaybeGzip(const std::filesystem::path& file);

/// Writes `data` gzip-compressed to `file` through a temporary name renamed into place.
void writeGzip(const std::filesystem::path& file, std::string_view data);

} // namespace gt::io
