// ROUGE against Google's rouge_score (../shared/fixtures/rouge): all 306 cases, every metric,
// P/R/F, with and without the stemmer (1e-6); the corpus means exactly; the bootstrap mid
// within 0.01.
#include "core/eval/porter_stemmer.h"
#include "core/eval/rouge.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <fstream>

using namespace gt::eval;

class TestRouge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyCaseEveryVariant();
    void aggregateMeansAndBootstrap();
    void stemmerKnownWords_data();
    void stemmerKnownWords();
    void multiReferenceTakesTheBest();
};

namespace {
const RougeScore& metric(const RougeScores& s, const std::string& name) {
    return name == "rouge1"   ? s.rouge1
           : name == "rouge2" ? s.rouge2
           : name == "rougeL" ? s.rougeL
                              : s.rougeLsum;
}
std::vector<nlohmann::json> loadCases(const QString& path) {
    std::ifstream in(path.toStdString());
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(nlohmann::json::parse(line));
    return out;
}
} // namespace

void TestRouge::everyCaseEveryVariant() {
    GT_REQUIRE_SHARED(path, "fixtures/rouge/cases.jsonl");
    const auto cases = loadCases(path);
    QCOMPARE(cases.size(), size_t{306});
    int failures = 0;
    for (const auto& c : cases) {
        for (bool stem : {false, true}) {
            const auto got = rougeScore(c["prediction"].get<std::string>(),
                                        c["reference"].get<std::string>(), stem);
            const auto& want = c["scores"][stem ? "use_stemmer_true" : "use_stemmer_false"];
            for (const char* m : {"rouge1", "rouge2", "rougeL", "rougeLsum"}) {
                const RougeScore& g = metric(got, m);
                for (auto [field, value] :
                     {std::pair{"precision", g.precision}, std::pair{"recall", g.recall},
                      std::pair{"fmeasure", g.fmeasure}}) {
                    const double w = want[m][field].get<double>();
                    if (std::abs(value - w) > 1e-6 && failures++ < 10)
                        qWarning("%s stem=%d %s %s: got %.9f want %.9f",
                                 c["id"].get<std::string>().c_str(), stem, m, field, value, w);
                }
            }
        }
    }
    QCOMPARE(failures, 0);
}

void TestRouge::aggregateMeansAndBootstrap() {
    GT_REQUIRE_SHARED(path, "fixtures/rouge/cases.jsonl");
    GT_REQUIRE_SHARED(aggPath, "fixtures/rouge/aggregate.json");
    const auto cases = loadCases(path);
    std::ifstream in(aggPath.toStdString());
    const auto agg = nlohmann::json::parse(in);
    for (bool stem : {false, true}) {
        std::vector<RougeScores> scores;
        for (const auto& c : cases)
            scores.push_back(rougeScore(c["prediction"].get<std::string>(),
                                        c["reference"].get<std::string>(), stem));
        const auto a = aggregateRouge(scores);
        const auto& want = agg["scores"][stem ? "use_stemmer_true" : "use_stemmer_false"];
        for (const char* m : {"rouge1", "rouge2", "rougeL", "rougeLsum"}) {
            const RougeScore& mean = metric(a.mean, m);
            QVERIFY(std::abs(mean.fmeasure - want[m]["mean_fmeasure"].get<double>()) < 1e-9);
            QVERIFY(std::abs(mean.precision - want[m]["mean_precision"].get<double>()) < 1e-9);
            QVERIFY(std::abs(mean.recall - want[m]["mean_recall"].get<double>()) < 1e-9);
            const RougeInterval& ci = std::string(m) == "rouge1"   ? a.rouge1
                                      : std::string(m) == "rouge2" ? a.rouge2
                                      : std::string(m) == "rougeL" ? a.rougeL
                                                                   : a.rougeLsum;
            QVERIFY2(std::abs(ci.mid - want[m]["bootstrap_mid_fmeasure"].get<double>()) < 0.01, m);
            QVERIFY(ci.low < ci.mid && ci.mid < ci.high);
        }
    }
}

void TestRouge::stemmerKnownWords_data() {
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("stem");
    // from NLTK's Porter test vocabulary (NLTK_EXTENSIONS output)
    for (auto [w, s] : {std::pair{"caresses", "caress"},
                        {"ponies", "poni"},
                        {"ties", "tie"},
                        {"cats", "cat"},
                        {"feed", "feed"},
                        {"agreed", "agre"},
                        {"plastered", "plaster"},
                        {"motoring", "motor"},
                        {"sing", "sing"},
                        {"conflated", "conflat"},
                        {"troubled", "troubl"},
                        {"sized", "size"},
                        {"hopping", "hop"},
                        {"falling", "fall"},
                        {"filing", "file"},
                        {"happy", "happi"},
                        {"relational", "relat"},
                        {"generalizations", "gener"},
                        {"dying", "die"},
                        {"skies", "sky"},
                        {"summarizes", "summar"},
                        {"running", "run"}})
        QTest::newRow(w) << w << s;
}

void TestRouge::stemmerKnownWords() {
    QFETCH(QString, word);
    QFETCH(QString, stem);
    QCOMPARE(QString::fromStdString(porterStem(word.toStdString())), stem);
}

void TestRouge::multiReferenceTakesTheBest() {
    const auto s =
        rougeScoreMulti("the cat sat on the mat", {"a dog ran", "the cat sat on a mat"}, false);
    QVERIFY(s.rouge1.fmeasure > 0.8);
    QCOMPARE(s.rouge1.fmeasure,
             rougeScore("the cat sat on the mat", "the cat sat on a mat", false).rouge1.fmeasure);
}

QTEST_GUILESS_MAIN(TestRouge)
#include "tst_rouge.moc"
