#include "core/api/dataset_preview.h"

#include "core/api/builtin_resources.h"
#include "core/text/tokenizer.h"

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>

namespace gt::api {
namespace {

data::Splits load(const DatasetSpec& s) {
    if (s.kind == "file") {
        data::ReadOptions o;
        o.sourceField = s.sourceField;
        o.targetField = s.targetField;
        data::Splits out;
        out.train = data::readDataset(s.path, o);
        return out;
    }
    const auto dir =
        s.kind == "debian" && s.path.empty() ? builtinTaskDir() : std::filesystem::path(s.path);
    return data::loadPreset(s.kind, dir);
}

} // namespace

DatasetPreview previewDataset(const DatasetSpec& spec, const std::string& tokenizerDir,
                              size_t firstRecords, size_t maxMeasured) {
    const auto splits = load(spec);
    std::unique_ptr<text::Tokenizer> tok;
    if (!tokenizerDir.empty()) {
        try {
            tok = text::Tokenizer::load(tokenizerDir);
        } catch (const std::exception&) {
            tok.reset(); // a config-only model: lengths in words
        }
    }
    DatasetPreview p;
    p.unit = tok ? "tokens" : "words";
    auto length = [&](const std::string& s) -> int64_t {
        if (tok) return static_cast<int64_t>(tok->encode(s, false).size());
        std::istringstream in(s);
        int64_t n = 0;
        for (std::string w; in >> w;)
            ++n;
        return n;
    };
    for (const auto& [name, split] :
         {std::pair{"train", &splits.train}, std::pair{"validation", &splits.validation},
          std::pair{"test", &splits.test}}) {
        if (split->empty()) continue;
        SplitPreview sp;
        sp.name = name;
        sp.records = split->size();
        std::vector<size_t> idx(split->size());
        std::iota(idx.begin(), idx.end(), 0);
        if (idx.size() > maxMeasured) { // a seeded sample keeps big datasets quick
            std::mt19937_64 rng(7);
            std::shuffle(idx.begin(), idx.end(), rng);
            idx.resize(maxMeasured);
        }
        for (size_t i : idx) {
            sp.sourceLengths.push_back(length((*split)[i].source));
            sp.targetLengths.push_back(length((*split)[i].targets.front()));
        }
        sp.source = data::lengthStats(sp.sourceLengths);
        sp.target = data::lengthStats(sp.targetLengths);
        p.splits.push_back(std::move(sp));
    }
    p.firstRecords.assign(splits.train.begin(),
                          splits.train.begin() +
                              static_cast<long>(std::min(firstRecords, splits.train.size())));
    return p;
}

} // namespace gt::api
