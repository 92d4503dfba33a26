// Byte-level BPE throughput on real text (SciTLDR abstracts), cold (empty word cache, first
// pass) and warm (second pass).   bench_tokenizer <shared>/fixtures/tokenizers/gpt2
// <shared>/data/scitldr/train.jsonl
#include "core/text/byte_level_bpe.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s TOKENIZER_DIR SCITLDR_JSONL\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    gt::text::SpecialTokens s;
    s.bos = s.eos = s.unk = "<|endoftext|>";
    const auto tok = gt::text::ByteLevelBpe::fromFiles(dir + "/vocab.json", dir + "/merges.txt", s);
    std::vector<std::string> docs;
    size_t bytes = 0;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        std::string text;
        for (const auto& sent : j["source"])
            text += sent.get<std::string>() + " ";
        bytes += text.size();
        docs.push_back(std::move(text));
    }
    for (const char* pass : {"cold", "warm"}) {
        size_t tokens = 0;
        const auto t0 = Clock::now();
        for (const auto& d : docs)
            tokens += tok->encode(d).size();
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf(
            "%s: %zu documents, %.2f MB -> %zu tokens in %.3f s = %.2f MB/s, %.0f tokens/s\n", pass,
            docs.size(), bytes / 1e6, tokens, sec, bytes / 1e6 / sec, tokens / sec);
    }
    return 0;
}
