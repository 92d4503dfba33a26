#include "core/data/text_corpus.h"

#include "core/data/dataset.h"
#include "core/io/gzip_file.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace fs = std::filesystem;

namespace gt::data {

std::vector<std::string> readTextCorpus(const fs::path& file, const std::string& field) {
    std::string bytes;
    try {
        bytes = io::readMaybeGzip(file);
    } catch (const std::runtime_error& e) {
        throw DataError(e.what());
    }
    const fs::path inner = file.extension() == ".gz" ? file.stem() : file;
    std::vector<std::string> docs;
    std::istringstream in(bytes);
    int lineNo = 0;
    if (inner.extension() == ".jsonl") {
        for (std::string line; std::getline(in, line);) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            const std::string where = file.string() + ":" + std::to_string(lineNo);
            const auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_discarded() || !j.is_object()) throw DataError(where + ": malformed JSON");
            if (!j.contains(field) || !j[field].is_string())
                throw DataError(where + ": field '" + field + "' is missing or not a string");
            docs.push_back(j[field].get<std::string>());
        }
    } else {
        std::string cur;
        for (std::string line; std::getline(in, line);) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) {
                if (!cur.empty()) docs.push_back(std::move(cur));
                cur.clear();
            } else {
                cur += (cur.empty() ? "" : "\n") + line;
            }
        }
        if (!cur.empty()) docs.push_back(std::move(cur));
    }
    for (size_t i = 0; i < docs.size(); ++i) {
        try {
            text::requireUtf8(docs[i]);
        } catch (const text::TokenizerError& e) {
            throw DataError(file.string() + ": document " + std::to_string(i + 1) + ": " +
                            e.what());
        }
    }
    if (docs.empty()) throw DataError(file.string() + ": no documents");
    return docs;
}

} // namespace gt::data
