// Plain-text corpora for tokenizer training and pretraining: JSONL with a text field, or
// text files in which blank lines separate documents; either may be gzip-compressed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gt::data {

/// Documents of `file` (.jsonl/.jsonl.gz: the `field` of each record; anything else: text
/// whose blank lines separate documents). Throws DataError naming the file and line.
std::vector<std::string> readTextCorpus(const std::filesystem::path& file,
                                        const std::string& field = "text");

} // namespace gt::data
