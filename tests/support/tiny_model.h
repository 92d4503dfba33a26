// A complete tiny model directory for end-to-end tests: the gpt2_tiny fixture's weights and
// config plus a byte-level BPE tokenizer with exactly its 300 ids (256 byte symbols, 43
// merges, <|endoftext|> = 299).
#pragma once

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QString>

#include <fstream>
#include <string>
#include <vector>

namespace gt::test {

/// Fills `dir` from `fixture` (…/fixtures/hf/gpt2_tiny); returns false if a copy fails.
inline bool makeTinyGpt2(const QString& fixture, const QString& dir) {
    for (const char* f : {"config.json", "model.safetensors", "generation_config.json"})
        if (!QFile::copy(fixture + "/" + f, QDir(dir).filePath(f))) return false;
    nlohmann::json vocab = nlohmann::json::object();
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        const uint32_t cp = printable ? uint32_t(b) : uint32_t(256 + n++);
        std::string s;
        if (cp < 0x80) {
            s += char(cp);
        } else {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        }
        vocab[s] = b;
    }
    std::ofstream merges(QDir(dir).filePath("merges.txt").toStdString());
    merges << "#version: 0.2\n";
    const std::string letters = "etaoinshrdlucmfwypvbgk";
    int id = 256;
    for (size_t i = 0; i + 1 < letters.size() && id < 299; ++i, ++id) {
        merges << letters[i] << " " << letters[i + 1] << "\n";
        vocab[std::string{letters[i], letters[i + 1]}] = id;
    }
    for (char c = 'a'; id < 299; ++c, ++id) {
        merges << "\xC4\xA0 " << c << "\n"; // "Ġ c"
        vocab["\xC4\xA0" + std::string(1, c)] = id;
    }
    vocab["<|endoftext|>"] = 299;
    std::ofstream(QDir(dir).filePath("vocab.json").toStdString()) << vocab.dump();
    return true;
}

/// Eight tiny summarization pairs as JSONL: six into `train`, two into `validation`.
inline void writeRainPairs(const QString& train, const QString& validation) {
    std::ofstream t(train.toStdString()), v(validation.toStdString());
    const char* words[] = {"the rain in spain", "stays mainly in", "the plain and the hills",
                           "are green in may"};
    for (int i = 0; i < 8; ++i) {
        const std::string src =
            std::string(words[i % 4]) + " " + words[(i + 1) % 4] + " " + words[(i + 2) % 4];
        (i < 6 ? t : v) << nlohmann::json{{"source", src}, {"target", words[i % 4]}}.dump() << "\n";
    }
}

} // namespace gt::test
