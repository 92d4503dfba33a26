// The built-in task's builder on hand-written apt lists: paragraphs per Debian policy,
// every filter rule, family collapse, length bounds, split by source package, compressed
// lists; and the shipped task itself (loads, splits disjoint by source package).
#include "core/api/builtin_resources.h"
#include "core/data/dataset.h"
#include "core/data/debian_corpus.h"
#include "core/io/gzip_file.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

using namespace gt::data;

class TestDebianCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void controlStanzasAndParagraphs();
    void filterRulesCollapseAndBounds();
    void splitIsSeededStableAndProportional();
    void gzipListsAreRead();
    void shippedTaskLoadsWithDisjointSources();
};

namespace {

std::string words(int n, const std::string& w) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += (i ? " " : "") + w + std::to_string(i);
    return s;
}

/// prefix + i (appended: GCC 12 misreports "literal" + std::string&&, PR105329)
std::string numbered(const char* prefix, int i) {
    return std::string(prefix).append(std::to_string(i));
}

/// A Translation-en stanza whose long description is `body` wrapped at 10 words per line.
std::string stanza(const std::string& pkg, const std::string& md5, const std::string& syn,
                   const std::vector<std::string>& paragraphs) {
    std::string s =
        "Package: " + pkg + "\nDescription-md5: " + md5 + "\nDescription-en: " + syn + "\n";
    for (size_t p = 0; p < paragraphs.size(); ++p) {
        if (p) s += " .\n";
        std::istringstream in(paragraphs[p]);
        std::string w, line;
        int n = 0;
        while (in >> w) {
            line += (line.empty() ? "" : " ") + w;
            if (++n % 10 == 0) s += " " + line + "\n", line.clear();
        }
        if (!line.empty()) s += " " + line + "\n";
    }
    return s + "\n";
}

} // namespace

void TestDebianCorpus::controlStanzasAndParagraphs() {
    const std::string t = "Package: a\nDescription-md5: 1\nDescription-en: Short one\n"
                          " First paragraph wraps\n here.\n .\n Second:\n   verbatim line\n"
                          "   another\n\nPackage: b\nDescription-en: only\n";
    const auto stanzas = parseControl(t);
    QCOMPARE(stanzas.size(), size_t(2));
    QCOMPARE(stanzas[1].at("Package"), std::string("b"));
    const auto d = joinDescriptions(t, "Package: a\nSource: asrc (1.0-1)\nSection: utils\n\n");
    QCOMPARE(d.size(), size_t(2));
    QCOMPARE(d[0].synopsis, std::string("Short one"));
    QCOMPARE(d[0].sourcePackage, std::string("asrc")); // version stripped
    QCOMPARE(d[0].section, std::string("utils"));
    QCOMPARE(d[0].paragraphs.size(), size_t(2));
    QCOMPARE(d[0].paragraphs[0], std::string("First paragraph wraps here."));
    QCOMPARE(d[0].paragraphs[1], std::string("Second:\nverbatim line\nanother"));
    QCOMPARE(d[1].sourcePackage, std::string("b")); // no Packages entry: itself
    QVERIFY(d[1].paragraphs.empty());
}

void TestDebianCorpus::filterRulesCollapseAndBounds() {
    const std::string body = words(60, "w");
    std::string tr;
    tr += stanza("good", "m1", "a fine tool for testing", {body});
    tr += stanza("good", "m1", "a fine tool for testing", {body});           // duplicate md5
    tr += stanza("libgood-dev", "m2", "tool library headers", {body + "x"}); // -dev
    tr += stanza("gooddoc", "m3", "tool manual pages", {body + "y"});        // section doc
    tr += stanza("oldpkg", "m4", "transitional package for good", {body + "z"});
    tr += stanza("goodtools", "m5", "extra tools of the fine tool",
                 {body, "This package has tools."});
    tr += stanza("short", "m6", "a short description here", {words(10, "s")});
    tr += stanza("terse", "m7", "tiny", {words(50, "t")});
    tr += stanza("longname", "m8", words(20, "v"), {words(50, "u")});
    // A paragraph shared by 15 source packages is boilerplate; the rest survives.
    for (int i = 0; i < 15; ++i)
        tr += stanza(numbered("node-x", i), numbered("n", i), numbered("node module number ", i),
                     {words(45, numbered("n", i)), "Node.js is an event-based engine."});
    std::string pk = "Package: gooddoc\nSection: doc\n\nPackage: goodtools\nSource: good\n\n";
    const auto task = buildDebianTask(joinDescriptions(tr, pk), DebianTaskOptions{});
    QCOMPARE(task.dropped.at("duplicate description"), size_t(1));
    QCOMPARE(task.dropped.at("package name *-dev"), size_t(1));
    QCOMPARE(task.dropped.at("section doc"), size_t(1));
    QCOMPARE(task.dropped.at("synopsis 'transitional'"), size_t(1));
    QCOMPARE(task.dropped.at("collapsed into its family"), size_t(1)); // goodtools -> good
    QCOMPARE(task.dropped.at("source outside 40-400 words"), size_t(1));
    QCOMPARE(task.dropped.at("synopsis outside 3-15 words"), size_t(2)); // terse, longname
    std::set<std::string> names;
    for (const auto& p : task.pairs) {
        names.insert(p.package);
        QVERIFY2(p.source.find("Node.js is an event-based") == std::string::npos,
                 "boilerplate paragraph kept");
    }
    QVERIFY(names.count("good"));
    QVERIFY(!names.count("goodtools"));
    QCOMPARE(task.pairs.size(), size_t(16)); // good + 15 node modules
    // The pretraining corpus holds only training sources and never boilerplate packages.
    for (const auto& doc : task.pretrainDocuments)
        QVERIFY(doc.find("transitional") == std::string::npos);
}

void TestDebianCorpus::splitIsSeededStableAndProportional() {
    DebianTaskOptions o;
    std::map<std::string, int> n;
    for (int i = 0; i < 20000; ++i)
        ++n[splitOfSource(numbered("src", i), o)];
    QVERIFY(std::abs(n["validation"] - 1000) < 150);
    QVERIFY(std::abs(n["test"] - 1000) < 150);
    QCOMPARE(splitOfSource("coreutils", o), splitOfSource("coreutils", o));
    DebianTaskOptions other = o;
    other.seed = 7;
    int moved = 0;
    for (int i = 0; i < 2000; ++i)
        moved += splitOfSource(numbered("s", i), o) != splitOfSource(numbered("s", i), other);
    QVERIFY(moved > 50); // the seed matters
}

void TestDebianCorpus::gzipListsAreRead() {
    QTemporaryDir dir;
    const std::string text = stanza("good", "m1", "a fine tool for testing", {words(50, "w")});
    const auto gz =
        std::filesystem::path(dir.path().toStdString()) / "x_dists_y_main_i18n_Translation-en.gz";
    gt::io::writeGzip(gz, text);
    QCOMPARE(readAptList(gz), text);
    const auto lists = findAptLists(dir.path().toStdString());
    QCOMPARE(lists.translations.size(), size_t(1));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, readAptList(gz.string() + ".missing"));
    QTemporaryDir empty;
    try {
        findAptLists(empty.path().toStdString());
        QFAIL("no lists accepted");
    } catch (const std::runtime_error& e) {
        QVERIFY(std::string(e.what()).find("Acquire::Languages=en") != std::string::npos);
    }
}

void TestDebianCorpus::shippedTaskLoadsWithDisjointSources() {
    const auto dir = gt::api::builtinTaskDir();
    const auto s = loadPreset("debian", dir);
    QVERIFY(s.train.size() > 15000);
    QVERIFY(s.validation.size() > 700 && s.test.size() > 700);
    std::map<std::string, std::set<std::string>> sources;
    for (const char* split : {"train", "validation", "test"}) {
        std::istringstream in(gt::io::readMaybeGzip(dir / (std::string(split) + ".jsonl.gz")));
        for (std::string line; std::getline(in, line);) {
            const auto j = nlohmann::json::parse(line);
            sources[split].insert(j["source_package"].get<std::string>());
        }
    }
    for (const auto& v : sources["validation"])
        QVERIFY2(!sources["train"].count(v) && !sources["test"].count(v), v.c_str());
    for (const auto& e : s.validation) {
        std::istringstream a(e.source), b(e.targets[0]);
        int sw = 0, tw = 0;
        for (std::string w; a >> w;)
            ++sw;
        for (std::string w; b >> w;)
            ++tw;
        QVERIFY(sw >= 40 && sw <= 400 && tw >= 3 && tw <= 15);
    }
}

QTEST_GUILESS_MAIN(TestDebianCorpus)
#include "tst_debian_corpus.moc"
