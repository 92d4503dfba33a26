#include "app/cli/rouge_command.h"

#include "app/cli/arg_parser.h"
#include "app/cli/text_table.h"
#include "core/eval/rouge.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

namespace gt::cli {
namespace {

struct Pair {
    std::string prediction;
    std::vector<std::string> references;
};

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

/// JSONL with "prediction" and "reference" (a string or a list of strings) per line.
std::vector<Pair> readJsonl(const std::string& path) {
    std::vector<Pair> pairs;
    int lineNo = 0;
    for (const std::string& line : readLines(path)) {
        ++lineNo;
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(lineNo);
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw std::runtime_error(where + ": not a JSON object");
        if (!j.contains("prediction") || !j["prediction"].is_string())
            throw std::runtime_error(where + ": field 'prediction' is missing or not a string");
        Pair p{j["prediction"].get<std::string>(), {}};
        const auto& r =
            j.contains("reference") ? j["reference"] : j.value("references", nlohmann::json());
        if (r.is_string())
            p.references.push_back(r.get<std::string>());
        else if (r.is_array())
            for (const auto& x : r)
                if (x.is_string()) p.references.push_back(x.get<std::string>());
        if (p.references.empty())
            throw std::runtime_error(
                where + ": field 'reference' is missing (a string or a list of strings)");
        pairs.push_back(std::move(p));
    }
    return pairs;
}

nlohmann::json toJson(const eval::RougeScore& s) {
    return {{"precision", s.precision}, {"recall", s.recall}, {"fmeasure", s.fmeasure}};
}

nlohmann::json toJson(const eval::RougeScores& s) {
    return {{"rouge1", toJson(s.rouge1)},
            {"rouge2", toJson(s.rouge2)},
            {"rougeL", toJson(s.rougeL)},
            {"rougeLsum", toJson(s.rougeLsum)}};
}

int runRouge(CommandContext& ctx) {
    ArgParser p("gt rouge", "ROUGE-1/2/L/Lsum as Google's rouge_score computes them.");
    p.option("pred", "FILE", "JSONL with prediction/reference fields, or one prediction per line")
        .option("ref", "FILE", "one reference per line (with a plain-text --pred)")
        .flag("stem", "Porter-stem words longer than 3 letters (rouge_score use_stemmer)")
        .flag("per-example", "print every example's F-measures")
        .flag("json", "print JSON (per-example and aggregate)")
        .option("bootstrap", "N", "bootstrap resamples for the interval", "1000")
        .option("seed", "S", "bootstrap seed", "1234");
    p.parse(ctx.args);
    if (p.helpRequested()) return ctx.out << p.help(), 0;
    std::vector<Pair> pairs;
    if (p.has("ref")) {
        const auto preds = readLines(p.value("pred")), refs = readLines(p.value("ref"));
        if (preds.size() != refs.size())
            throw std::runtime_error(p.value("pred") + " has " + std::to_string(preds.size()) +
                                     " lines but " + p.value("ref") + " has " +
                                     std::to_string(refs.size()));
        for (size_t i = 0; i < preds.size(); ++i)
            pairs.push_back({preds[i], {refs[i]}});
    } else {
        pairs = readJsonl(p.value("pred"));
    }
    if (pairs.empty()) throw std::runtime_error(p.value("pred") + ": no examples to score");
    const bool stem = p.has("stem");
    std::vector<eval::RougeScores> scores;
    for (const Pair& x : pairs)
        scores.push_back(eval::rougeScoreMulti(x.prediction, x.references, stem));
    const auto agg =
        eval::aggregateRouge(scores, static_cast<int>(p.intValue("bootstrap", 1, 100000)),
                             static_cast<uint64_t>(p.intValue("seed", 0, INT64_MAX)));
    if (p.has("json")) {
        nlohmann::json per = nlohmann::json::array();
        for (const auto& s : scores)
            per.push_back(toJson(s));
        auto ci = [](const eval::RougeInterval& i) {
            return nlohmann::json{{"low", i.low}, {"mid", i.mid}, {"high", i.high}};
        };
        ctx.out << nlohmann::json{{"examples", pairs.size()},
                                  {"stemmer", stem},
                                  {"mean", toJson(agg.mean)},
                                  {"bootstrap_fmeasure",
                                   {{"rouge1", ci(agg.rouge1)},
                                    {"rouge2", ci(agg.rouge2)},
                                    {"rougeL", ci(agg.rougeL)},
                                    {"rougeLsum", ci(agg.rougeLsum)}}},
                                  {"per_example", per}}
                       .dump(1)
                << "\n";
        return 0;
    }
    if (p.has("per-example")) {
        TextTable t({">#", ">R-1 F", ">R-2 F", ">R-L F", ">R-Lsum F"});
        for (size_t i = 0; i < scores.size(); ++i)
            t.addRow({std::to_string(i + 1), TextTable::number(100 * scores[i].rouge1.fmeasure, 2),
                      TextTable::number(100 * scores[i].rouge2.fmeasure, 2),
                      TextTable::number(100 * scores[i].rougeL.fmeasure, 2),
                      TextTable::number(100 * scores[i].rougeLsum.fmeasure, 2)});
        t.print(ctx.out);
        ctx.out << "\n";
    }
    ctx.out << pairs.size() << " examples, stemmer " << (stem ? "on" : "off")
            << " (scores x 100)\n";
    TextTable t({"metric", ">precision", ">recall", ">F1", ">F1 95% interval"});
    auto row = [&](const char* name, const eval::RougeScore& m, const eval::RougeInterval& ci) {
        t.addRow(
            {name, TextTable::number(100 * m.precision, 2), TextTable::number(100 * m.recall, 2),
             TextTable::number(100 * m.fmeasure, 2),
             TextTable::number(100 * ci.low, 2) + " - " + TextTable::number(100 * ci.high, 2)});
    };
    row("ROUGE-1", agg.mean.rouge1, agg.rouge1);
    row("ROUGE-2", agg.mean.rouge2, agg.rouge2);
    row("ROUGE-L", agg.mean.rougeL, agg.rougeL);
    row("ROUGE-Lsum", agg.mean.rougeLsum, agg.rougeLsum);
    t.print(ctx.out);
    return 0;
}

} // namespace

Command rougeCommand() {
    return {"rouge", "score predictions against references (rouge_score-compatible)", runRouge};
}

} // namespace gt::cli
