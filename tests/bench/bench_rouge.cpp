// ROUGE throughput on SciTLDR-sized pairs (dev-split abstracts' first sentences against their
// TLDRs), one core. Targets: >= 20,000 pairs/s (issue #4), >= 40,000 (performance.md);
// Google's rouge_score (Python) does 4,263 pairs/s here.   bench_rouge
// <shared>/data/scitldr/dev.jsonl
#include "core/eval/rouge.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s SCITLDR_DEV_JSONL\n", argv[0]);
        return 2;
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    std::ifstream in(argv[1]);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        pairs.emplace_back(j["source"][0].get<std::string>(), j["target"][0].get<std::string>());
    }
    for (bool stem : {false, true}) {
        double sink = 0;
        const auto t0 = std::chrono::steady_clock::now();
        int n = 0;
        for (int rep = 0; rep < 5; ++rep)
            for (const auto& [p, r] : pairs) {
                sink += gt::eval::rougeScore(p, r, stem).rougeL.fmeasure;
                ++n;
            }
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("stemmer %-3s: %d pairs in %.3f s = %.0f pairs/s (rouge1/2/L/Lsum) [%.1f]\n",
                    stem ? "on" : "off", n, s, n / s, sink);
    }
    return 0;
}
