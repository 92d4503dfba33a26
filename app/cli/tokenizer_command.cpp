#include "app/cli/tokenizer_command.h"

#include "app/cli/arg_parser.h"
#include "core/data/text_corpus.h"
#include "core/text/bpe_trainer.h"
#include "core/text/byte_level_bpe.h"

#include <chrono>
#include <filesystem>
#include <ostream>

namespace fs = std::filesystem;

namespace gt::cli {
namespace {

int train(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p("gt tokenizer train",
                "Trains a byte-level BPE tokenizer and writes DIR/tokenizer.json.");
    p.option("corpus", "FILE", "JSONL(.gz) with a text field, or text with blank-line documents")
        .option("field", "F", "the JSONL text field", "text")
        .option("vocab-size", "N", "vocabulary size incl. 4 specials and 256 bytes", "8192")
        .option("min-frequency", "N", "never merge a pair seen fewer times", "2")
        .option("out", "DIR", "output directory");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    const auto t0 = std::chrono::steady_clock::now();
    const auto docs = data::readTextCorpus(p.value("corpus"), p.value("field"));
    text::BpeTrainerOptions o;
    o.vocabSize = p.intValue("vocab-size", 261, 1 << 20);
    o.minFrequency = p.intValue("min-frequency", 1, 1LL << 40);
    o.progress = [&](int64_t done, int64_t total) {
        ctx.err << "\rmerges " << done << "/" << total << std::flush;
    };
    text::BpeTrainer trainer(o);
    for (const auto& d : docs)
        trainer.addDocument(d);
    const auto bpe = trainer.train();
    ctx.err << "\n";
    const fs::path out = p.value("out");
    fs::create_directories(out);
    text::writeTokenizerJson(out / "tokenizer.json", bpe);
    // Prove the file loads and round-trips the corpus byte for byte.
    const auto tok = text::ByteLevelBpe::fromTokenizerJson(out / "tokenizer.json", {});
    int64_t tokens = 0, bytes = 0, mismatches = 0;
    const size_t check = std::min<size_t>(docs.size(), 2000);
    for (size_t i = 0; i < check; ++i) {
        const auto ids = tok->encode(docs[i], false);
        tokens += static_cast<int64_t>(ids.size());
        bytes += static_cast<int64_t>(docs[i].size());
        mismatches += tok->decode(ids, false, false) != docs[i];
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.out << "vocabulary " << bpe.vocab.size() << " (" << bpe.merges.size() << " merges) from "
            << docs.size() << " documents, " << trainer.distinctWords() << " distinct words, in "
            << secs << " s\n"
            << "round trip on " << check << " documents: " << mismatches << " mismatches; "
            << (tokens ? static_cast<double>(bytes) / static_cast<double>(tokens) : 0.0)
            << " bytes/token\n"
            << "-> " << (out / "tokenizer.json").string() << "\n";
    return mismatches == 0 ? 0 : 1;
}

int encode(CommandContext& ctx, const std::vector<std::string>& args) {
    ArgParser p("gt tokenizer encode", "Shows the tokens and ids of a text.");
    p.option("tokenizer", "DIR", "a model or tokenizer directory").option("text", "TEXT", "text");
    p.parse(args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    const auto tok = text::Tokenizer::load(p.value("tokenizer"));
    const auto ids = tok->encode(p.value("text"));
    const auto pieces = tok->tokenize(p.value("text"));
    for (const auto& s : pieces)
        ctx.out << "[" << s << "]";
    ctx.out << "\n";
    for (auto id : ids)
        ctx.out << id << " ";
    ctx.out << "\n" << ids.size() << " ids\n";
    return 0;
}

int runTokenizer(CommandContext& ctx) {
    if (ctx.args.empty() || ctx.args[0] == "-h" || ctx.args[0] == "--help") {
        ctx.out << "Usage: gt tokenizer <train|encode> [options]\n";
        return ctx.args.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(ctx.args.begin() + 1, ctx.args.end());
    if (ctx.args[0] == "train") return train(ctx, rest);
    if (ctx.args[0] == "encode") return encode(ctx, rest);
    throw UsageError("gt tokenizer: unknown verb '" + ctx.args[0] + "' (train, encode)");
}

} // namespace

Command tokenizerCommand() {
    return {"tokenizer", "train a byte-level BPE tokenizer; show how a text is split",
            runTokenizer};
}

} // namespace gt::cli
