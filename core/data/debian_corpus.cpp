#include "core/data/debian_corpus.h"

#include "core/io/gzip_file.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace gt::data {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

int wordCount(const std::string& s) {
    std::istringstream in(s);
    int n = 0;
    for (std::string w; in >> w;)
        ++n;
    return n;
}

/// Whitespace-collapsed, lower-case: the key that recognises a repeated paragraph.
std::string normalised(const std::string& s) {
    std::istringstream in(lower(s));
    std::string out;
    for (std::string w; in >> w;)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

/// Long-description lines -> paragraphs (policy 5.6.13: " ." separates paragraphs, lines
/// with two leading spaces are shown verbatim, the rest is word-wrapped text).
std::vector<std::string> paragraphsOf(const std::string& longText) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!trim(cur).empty()) out.push_back(trim(cur));
        cur.clear();
    };
    std::istringstream in(longText);
    for (std::string line; std::getline(in, line);) {
        if (trim(line) == ".") {
            flush();
        } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            if (!cur.empty()) cur += '\n';
            cur += trim(line);
        } else {
            if (!cur.empty()) cur += ' ';
            cur += trim(line);
        }
    }
    flush();
    return out;
}

uint64_t fnv1a(const std::string& s, uint64_t seed) {
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The packaging rule that makes a description boilerplate, or "" when none does.
std::string boilerplateRule(const DebianDescription& d) {
    static const std::set<std::string> sections = {"libdevel", "doc", "debug", "metapackages",
                                                   "oldlibs"};
    std::string section = d.section.substr(d.section.find('/') + 1);
    if (sections.count(section)) return "section " + section;
    for (const char* suffix : {"-dev", "-doc", "-dbg", "-dbgsym"})
        if (endsWith(d.package, suffix)) return std::string("package name *") + suffix;
    const std::string syn = lower(d.synopsis);
    for (const char* phrase :
         {"transitional", "dummy", "debug symbols", "debugging symbols", "documentation",
          "development files", "metapackage", "meta-package", "meta package", "virtual package"})
        if (syn.find(phrase) != std::string::npos) return std::string("synopsis '") + phrase + "'";
    return {};
}

} // namespace

std::vector<std::map<std::string, std::string>> parseControl(const std::string& text) {
    std::vector<std::map<std::string, std::string>> stanzas;
    std::map<std::string, std::string> cur;
    std::string field;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            if (!cur.empty()) stanzas.push_back(std::move(cur));
            cur.clear();
            field.clear();
        } else if (line[0] == ' ' || line[0] == '\t') {
            if (!field.empty()) cur[field].append("\n").append(line, 1, std::string::npos);
        } else if (const auto colon = line.find(':'); colon != std::string::npos) {
            field = line.substr(0, colon);
            cur[field] = trim(line.substr(colon + 1));
        }
    }
    if (!cur.empty()) stanzas.push_back(std::move(cur));
    return stanzas;
}

std::string readAptList(const fs::path& file) {
    if (!fs::exists(file)) throw std::runtime_error(file.string() + ": no such file");
    const std::string ext = file.extension().string();
    if (ext != ".lz4" && ext != ".xz" && ext != ".bz2" && ext != ".zst")
        return io::readMaybeGzip(file); // plain or .gz
    // apt stores lists compressed with what the mirror offered; apt-helper reads them all.
    // (built piecewise: GCC 12 misreports "literal" + std::string&&, PR105329)
    std::string quoted = "'";
    quoted.append(file.string()).append("'");
    if (file.string().find('\'') != std::string::npos)
        throw std::runtime_error(file.string() + ": unsupported character in the path");
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(
        popen(("/usr/lib/apt/apt-helper cat-file " + quoted + " 2>/dev/null").c_str(), "r"),
        pclose);
    if (!pipe) throw std::runtime_error(file.string() + ": cannot start apt-helper");
    std::string out;
    std::array<char, 1 << 16> buf{};
    for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0;)
        out.append(buf.data(), n);
    if (pclose(pipe.release()) != 0 || out.empty())
        throw std::runtime_error(file.string() +
                                 ": cannot decompress (is /usr/lib/apt/apt-helper installed?)");
    return out;
}

std::vector<DebianDescription> joinDescriptions(const std::string& translations,
                                                const std::string& packages) {
    struct Meta {
        std::string source, section;
    };
    std::unordered_map<std::string, Meta> meta;
    for (auto& s : parseControl(packages)) {
        std::string source = s.count("Source") ? s["Source"] : s["Package"];
        source = source.substr(0, source.find(' ')); // "name (version)"
        meta[s["Package"]] = {source, s["Section"]};
    }
    std::vector<DebianDescription> out;
    for (auto& s : parseControl(translations)) {
        const auto d = s.find("Description-en");
        if (d == s.end() || !s.count("Package")) continue;
        DebianDescription x;
        x.package = s["Package"];
        x.md5 = s["Description-md5"];
        const auto nl = d->second.find('\n');
        x.synopsis = trim(d->second.substr(0, nl));
        if (nl != std::string::npos) x.paragraphs = paragraphsOf(d->second.substr(nl + 1));
        const auto m = meta.find(x.package);
        x.sourcePackage = m != meta.end() ? m->second.source : x.package;
        x.section = m != meta.end() ? m->second.section : "";
        out.push_back(std::move(x));
    }
    return out;
}

std::string splitOfSource(const std::string& sourcePackage, const DebianTaskOptions& o) {
    const double u = static_cast<double>(fnv1a(sourcePackage, o.seed) % 1000000) / 1e6;
    if (u < o.validationShare) return "validation";
    if (u < o.validationShare + o.testShare) return "test";
    return "train";
}

DebianTask buildDebianTask(const std::vector<DebianDescription>& all, const DebianTaskOptions& o) {
    DebianTask task;
    // 1. One entry per description text (several suites list the same one).
    std::vector<const DebianDescription*> unique;
    std::unordered_set<std::string> seen;
    for (const auto& d : all) {
        std::string key = d.md5;
        if (key.empty()) // lists without Description-md5: the text itself
            for (const auto& p : d.paragraphs)
                key += p + "\n";
        key = key.empty() ? d.synopsis : key;
        if (seen.insert(key).second)
            unique.push_back(&d);
        else
            ++task.dropped["duplicate description"];
    }
    task.descriptions = unique.size();
    // 2. Packaging boilerplate: development files, docs, debug symbols, transitional...
    std::vector<const DebianDescription*> kept;
    for (const auto* d : unique) {
        if (const std::string rule = boilerplateRule(*d); !rule.empty())
            ++task.dropped[rule];
        else if (d->paragraphs.empty())
            ++task.dropped["no long description"];
        else
            kept.push_back(d);
    }
    // 3. Paragraphs repeated across many source packages ("Node.js is an event-based...").
    std::unordered_map<std::string, std::unordered_set<std::string>> paragraphSources;
    for (const auto* d : kept)
        for (const auto& p : d->paragraphs)
            paragraphSources[normalised(p)].insert(d->sourcePackage);
    auto bodyOf = [&](const DebianDescription& d) {
        std::vector<std::string> body;
        for (const auto& p : d.paragraphs)
            if (static_cast<int>(paragraphSources[normalised(p)].size()) < o.boilerplateSources)
                body.push_back(p);
        return body;
    };
    // 4. Families: binaries of one source sharing their opening paragraph keep one member,
    // the shortest name (libfoo1, foo-tools, python3-foo -> foo).
    std::map<std::string, const DebianDescription*> family;
    for (const auto* d : kept) {
        const auto body = bodyOf(*d);
        if (body.empty()) {
            ++task.dropped["only boilerplate paragraphs"];
            continue;
        }
        const std::string key = d->sourcePackage + "\n" + normalised(body.front());
        auto [it, fresh] = family.emplace(key, d);
        if (!fresh) {
            ++task.dropped["collapsed into its family"];
            const auto* other = it->second;
            if (d->package.size() < other->package.size() ||
                (d->package.size() == other->package.size() && d->package < other->package))
                it->second = d;
        }
    }
    for (const auto& [key, d] : family) {
        DebianPair p{d->package, d->sourcePackage, splitOfSource(d->sourcePackage, o), {}, {}};
        for (const auto& para : bodyOf(*d))
            p.source += (p.source.empty() ? "" : "\n") + para;
        p.summary = d->synopsis;
        const int sw = wordCount(p.source), tw = wordCount(p.summary);
        if (sw < o.minSourceWords || sw > o.maxSourceWords)
            ++task.dropped["source outside " + std::to_string(o.minSourceWords) + "-" +
                           std::to_string(o.maxSourceWords) + " words"];
        else if (tw < o.minSummaryWords || tw > o.maxSummaryWords)
            ++task.dropped["synopsis outside " + std::to_string(o.minSummaryWords) + "-" +
                           std::to_string(o.maxSummaryWords) + " words"];
        else
            task.pairs.push_back(std::move(p));
    }
    // A fixed, seeded order that is not alphabetical: "the first N pairs" of a split is then
    // a fair sample (sorted by name, the first thousand would all start with "a").
    std::sort(task.pairs.begin(), task.pairs.end(),
              [](const DebianPair& a, const DebianPair& b) { return a.package < b.package; });
    std::mt19937_64 rng(o.seed);
    std::shuffle(task.pairs.begin(), task.pairs.end(), rng);
    // The pretraining corpus: every non-boilerplate description of a training source.
    for (const auto* d : kept) {
        if (splitOfSource(d->sourcePackage, o) != "train") continue;
        std::string doc = d->synopsis + "\n";
        for (const auto& para : d->paragraphs)
            doc += "\n" + para;
        task.pretrainDocuments.push_back(std::move(doc));
    }
    return task;
}

AptLists findAptLists(const fs::path& dir) {
    AptLists lists;
    if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": not a directory");
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.find("_i18n_Translation-en") != std::string::npos &&
            name.find("Translation-en_") == std::string::npos)
            lists.translations.push_back(e.path());
        else if (name.find("_binary-") != std::string::npos &&
                 name.find("_Packages") != std::string::npos)
            lists.packages.push_back(e.path());
    }
    std::sort(lists.translations.begin(), lists.translations.end());
    std::sort(lists.packages.begin(), lists.packages.end());
    if (lists.translations.empty())
        throw std::runtime_error(
            dir.string() +
            ": no Translation-en lists (run: apt-get -o Acquire::Languages=en update)");
    return lists;
}

} // namespace gt::data
