#include "core/data/dataset.h"

#include "core/io/gzip_file.h"
#include "core/text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace gt::data {
namespace {

Format detect(const fs::path& file, Format f) {
    if (f != Format::Auto) return f;
    // "train.jsonl.gz" is JSONL: the format is the extension under the compression's.
    const std::string ext =
        file.extension() == ".gz" ? file.stem().extension().string() : file.extension().string();
    if (ext == ".jsonl") return Format::Jsonl;
    if (ext == ".json") return Format::JsonArray;
    if (ext == ".csv") return Format::Csv;
    if (ext == ".tsv") return Format::Tsv;
    throw DataError(file.string() + ": cannot tell the format from the extension '" + ext +
                    "' (use .jsonl, .json, .csv or .tsv, or name the format)");
}

std::string textOf(const nlohmann::json& v, const std::string& join, bool& ok) {
    ok = true;
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
        std::string s;
        for (const auto& x : v) {
            if (!x.is_string())
                ok = false;
            else
                s += (s.empty() ? "" : join) + x.get<std::string>();
        }
        return s;
    }
    ok = false;
    return {};
}

/// One record -> Example; throws DataError naming `where` and the field.
Example fromJson(const nlohmann::json& j, const ReadOptions& o, const std::string& where) {
    if (!j.is_object()) throw DataError(where + ": the record is not a JSON object");
    for (const std::string& f : {o.sourceField, o.targetField})
        if (!j.contains(f)) throw DataError(where + ": the record has no field '" + f + "'");
    Example e;
    bool ok = true;
    e.source = textOf(j[o.sourceField], o.sourceJoin, ok);
    if (!ok)
        throw DataError(where + ": field '" + o.sourceField +
                        "' must be a string or a list of strings");
    const auto& t = j[o.targetField];
    if (t.is_string())
        e.targets.push_back(t.get<std::string>());
    else if (t.is_array())
        for (const auto& x : t) {
            if (!x.is_string())
                throw DataError(where + ": field '" + o.targetField + "' must hold strings");
            e.targets.push_back(x.get<std::string>());
        }
    else
        throw DataError(where + ": field '" + o.targetField +
                        "' must be a string or a list of strings");
    auto blank = [](const std::string& s) {
        return s.find_first_not_of(" \t\r\n") == std::string::npos;
    };
    if (blank(e.source)) throw DataError(where + ": field '" + o.sourceField + "' is empty");
    if (e.targets.empty() || blank(e.targets[0]))
        throw DataError(where + ": field '" + o.targetField + "' is empty");
    try {
        text::requireUtf8(e.source);
        for (const auto& x : e.targets)
            text::requireUtf8(x);
    } catch (const text::TokenizerError& err) {
        throw DataError(where + ": " + err.what());
    }
    return e;
}

/// RFC 4180 fields of one record (quotes may span lines: `in` supplies more). CRLF line ends
/// are read as LF, also inside quoted fields. `where` names the record's first line.
std::vector<std::string> splitDelimited(std::string line, char sep, std::istream& in, int& lineNo,
                                        const std::string& where) {
    auto dropCr = [](std::string& l) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
    };
    dropCr(line);
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0;; ++i) {
        if (i == line.size()) {
            if (!quoted) break;
            std::string more;
            if (!std::getline(in, more))
                throw DataError(where + ": a quoted field opens here and never closes "
                                        "(unterminated quote; the file ends inside it)");
            ++lineNo;
            dropCr(more);
            fields.back() += '\n';
            line = more;
            i = static_cast<size_t>(-1);
            continue;
        }
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                fields.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == sep) {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

void handle(const DataError& e, const ReadOptions& o, ReadReport& r) {
    if (!o.skipBad) throw e;
    ++r.skipped;
    if (r.problems.size() < 100) r.problems.push_back(e.what());
}

} // namespace

std::vector<Example> readDataset(const fs::path& file, const ReadOptions& o, ReadReport* report) {
    ReadReport local;
    ReadReport& r = report ? *report : local;
    const Format format = detect(file, o.format);
    std::istringstream in;
    try {
        in.str(io::readMaybeGzip(file));
    } catch (const std::runtime_error& e) {
        throw DataError(e.what());
    }
    std::vector<Example> out;
    const std::string name = file.string();
    if (format == Format::Jsonl) {
        int lineNo = 0;
        for (std::string line; std::getline(in, line);) {
            ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            const std::string where = name + ":" + std::to_string(lineNo);
            try {
                const auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_discarded()) throw DataError(where + ": malformed JSON");
                out.push_back(fromJson(j, o, where));
            } catch (const DataError& e) {
                handle(e, o, r);
            }
        }
    } else if (format == Format::JsonArray) {
        const auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_array())
            throw DataError(name + ": expected a JSON array of records");
        for (size_t i = 0; i < j.size(); ++i) {
            try {
                out.push_back(fromJson(j[i], o, name + ": record " + std::to_string(i + 1)));
            } catch (const DataError& e) {
                handle(e, o, r);
            }
        }
    } else {
        const char sep = format == Format::Csv ? ',' : '\t';
        int lineNo = 1;
        std::string header;
        if (!std::getline(in, header)) throw DataError(name + ": empty file (no header row)");
        if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3); // UTF-8 BOM
        const auto cols = splitDelimited(header, sep, in, lineNo, name + ":1");
        auto column = [&](const std::string& f) {
            const auto it = std::find(cols.begin(), cols.end(), f);
            if (it == cols.end())
                throw DataError(name + ": no column named '" + f + "' in the header");
            return static_cast<size_t>(it - cols.begin());
        };
        const size_t si = column(o.sourceField), ti = column(o.targetField);
        for (std::string line; std::getline(in, line);) {
            const int start = ++lineNo;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            const std::string where = name + ":" + std::to_string(start);
            try {
                const auto f = splitDelimited(line, sep, in, lineNo, where);
                if (f.size() != cols.size())
                    throw DataError(where + ": " + std::to_string(f.size()) +
                                    " fields, the header has " + std::to_string(cols.size()));
                out.push_back(fromJson({{o.sourceField, f[si]}, {o.targetField, f[ti]}}, o, where));
            } catch (const DataError& e) {
                handle(e, o, r);
            }
        }
    }
    r.read = out.size();
    if (out.empty())
        throw DataError(name + ": no usable records" +
                        (r.skipped ? " (" + std::to_string(r.skipped) + " skipped)" : ""));
    return out;
}

Splits loadPreset(const std::string& preset, const fs::path& dir) {
    Splits s;
    ReadOptions o;
    if (preset == "scitldr") {
        o.sourceField = "source";
        o.targetField = "target";
        s.train = readDataset(dir / "train.jsonl", o);
        s.validation = readDataset(dir / "dev.jsonl", o);
        s.test = readDataset(dir / "test.jsonl", o);
    } else if (preset == "dialogsum") {
        o.sourceField = "dialogue";
        o.targetField = "summary";
        s.train = readDataset(dir / "dialogsum.train.jsonl", o);
        s.validation = readDataset(dir / "dialogsum.dev.jsonl", o);
        if (fs::exists(dir / "dialogsum.test.jsonl"))
            s.test = readDataset(dir / "dialogsum.test.jsonl", o);
    } else if (preset == "debian") {
        o.targetField = "summary";
        s.train = readDataset(dir / "train.jsonl.gz", o);
        s.validation = readDataset(dir / "validation.jsonl.gz", o);
        s.test = readDataset(dir / "test.jsonl.gz", o);
    } else {
        throw DataError("unknown dataset preset '" + preset + "' (scitldr, dialogsum, debian)");
    }
    return s;
}

Splits splitSeeded(std::vector<Example> all, double validation, double test, uint64_t seed) {
    if (validation < 0 || test < 0 || validation + test >= 1)
        throw DataError("split fractions must be non-negative and leave some training data");
    std::mt19937_64 rng(seed);
    std::shuffle(all.begin(), all.end(), rng);
    const auto nv = static_cast<size_t>(validation * static_cast<double>(all.size()));
    const auto nt = static_cast<size_t>(test * static_cast<double>(all.size()));
    Splits s;
    s.validation.assign(all.begin(), all.begin() + static_cast<long>(nv));
    s.test.assign(all.begin() + static_cast<long>(nv), all.begin() + static_cast<long>(nv + nt));
    s.train.assign(all.begin() + static_cast<long>(nv + nt), all.end());
    return s;
}

LengthStats lengthStats(std::vector<int64_t> v) {
    LengthStats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.count = v.size();
    s.mean = static_cast<double>(std::accumulate(v.begin(), v.end(), int64_t{0})) /
             static_cast<double>(v.size());
    s.min = v.front();
    s.max = v.back();
    s.p50 = v[v.size() / 2];
    s.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
    return s;
}

} // namespace gt::data
