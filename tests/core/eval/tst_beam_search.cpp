// Beam search: with one beam it is greedy decoding (checked against the HF fixtures' greedy
// ids), and on a scripted model it finds the sequence greedy misses (worked out by hand). The
// no-repeat n-gram constraint of both decoders, on hand-worked cases.
#include "core/eval/generator.h"
#include "core/model/threads.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <array>
#include <fstream>

using namespace gt;

namespace {

/// Next-token probabilities depend only on the last token (vocabulary 0..3, 3 = EOS):
///   after 0: p(1)=.5 p(2)=.4 p(3)=.1;  after 1: p(1)=.4 p(2)=.3 p(3)=.3;
///   after 2: p(3)=.9 p(1)=.05 p(2)=.05
/// (A second table can replace it: row = last token, clamped to 2.)
using Table = std::array<std::array<float, 4>, 3>;
class ScriptedLm : public model::CausalLMImpl {
public:
    explicit ScriptedLm(
        Table table = {{{1e-6f, .5f, .4f, .1f}, {1e-6f, .4f, .3f, .3f}, {1e-6f, .05f, .05f, .9f}}})
        : CausalLMImpl(io::ModelConfig{})
        , table(table) {}
    Table table;
    model::LmOutput forwardTokens(const model::LmInput& in) override {
        const auto ids = in.inputIds;
        auto logits = torch::zeros({ids.size(0), ids.size(1), 4});
        for (int64_t b = 0; b < ids.size(0); ++b)
            for (int64_t t = 0; t < ids.size(1); ++t) {
                const int64_t last = std::min<int64_t>(ids[b][t].item<int64_t>(), 2);
                for (int v = 0; v < 4; ++v)
                    logits[b][t][v] = std::log(table[last][v]);
            }
        return {logits, {}, {}};
    }
};

} // namespace

class TestBeamSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneBeamIsGreedy_data();
    void oneBeamIsGreedy();
    void matchesHuggingFace_data();
    void matchesHuggingFace();
    void beamsFindWhatGreedyMisses();
    void bansOnlyRepeatsOfGeneratedNgrams();
    void decodersNeverRepeatAnNgram();
    void lengthOverNewTokensFavoursLongerAnswers();
};

void TestBeamSearch::oneBeamIsGreedy_data() {
    QTest::addColumn<QString>("fixture");
    for (const char* f : {"opt_tiny", "bloom_6head_postres", "llama_gqa_theta", "gpt2_tiny"})
        QTest::newRow(f) << f;
}

void TestBeamSearch::oneBeamIsGreedy() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    model::configureTorchThreads(1);
    auto lm = model::loadCausalLM(dir.toStdString());
    const auto expected = io::SafetensorsFile::open((dir + "/expected.safetensors").toStdString());
    std::ifstream in((dir + "/expected.json").toStdString());
    const auto info = nlohmann::json::parse(in);
    for (const char* which : {"single", "batch"}) {
        const std::string p = std::string("gen_") + which + "_";
        eval::BeamOptions o;
        o.numBeams = 1;
        o.repetitionPenalty = 1.0;
        o.maxNewTokens = info["generation"][which]["num_steps"].get<int64_t>();
        const auto& gc = info["generation_config"];
        o.eosTokenId = gc["eos_token_id"].is_null() ? -1 : gc["eos_token_id"].get<int64_t>();
        o.padTokenId = gc["pad_token_id"].is_null() ? -1 : gc["pad_token_id"].get<int64_t>();
        const auto r = eval::generateBeam(
            *lm, model::tensorFromView(*expected.find(p + "prompt_ids")).clone(),
            model::tensorFromView(*expected.find(p + "prompt_attention_mask")).clone(), o);
        QVERIFY2(torch::equal(r.sequences,
                              model::tensorFromView(*expected.find(p + "output_ids")).clone()),
                 which);
    }
}

void TestBeamSearch::matchesHuggingFace_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("setting");
    for (const char* f : {"opt_tiny", "opt_postln_proj", "bloom_tiny", "bloom_6head_postres",
                          "llama_tiny", "llama_gqa_theta", "gpt2_tiny"})
        for (const char* c : {"paper", "plain"})
            QTest::addRow("%s/%s", f, c) << f << c;
}

void TestBeamSearch::matchesHuggingFace() {
    // HF generate() on the batched prompts (row 1 left-padded): ids exactly, scores to 1e-4
    QFETCH(QString, fixture);
    QFETCH(QString, setting);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    model::configureTorchThreads(1);
    auto lm = model::loadCausalLM(dir.toStdString());
    const auto prompts = io::SafetensorsFile::open((dir + "/expected.safetensors").toStdString());
    const auto beams = io::SafetensorsFile::open((dir + "/beam.safetensors").toStdString());
    std::ifstream in((dir + "/beam.json").toStdString());
    const auto c = nlohmann::json::parse(in)["cases"][setting.toStdString()];
    eval::BeamOptions o;
    o.numBeams = c["num_beams"].get<int64_t>();
    o.repetitionPenalty = c["repetition_penalty"].get<double>();
    o.lengthPenalty = c["length_penalty"].get<double>();
    o.earlyStopping = c["early_stopping"].get<bool>();
    o.maxNewTokens = c["max_new_tokens"].get<int64_t>();
    o.eosTokenId = c["eos_token_id"].get<int64_t>();
    o.padTokenId = c["pad_token_id"].get<int64_t>();
    auto view = [](const io::SafetensorsFile& f, const std::string& name) {
        return model::tensorFromView(*f.find(name)).clone();
    };
    const auto r = eval::generateBeam(*lm, view(prompts, "gen_batch_prompt_ids"),
                                      view(prompts, "gen_batch_prompt_attention_mask"), o);
    const auto ids = view(beams, setting.toStdString() + "_output_ids");
    const auto scores = view(beams, setting.toStdString() + "_sequence_scores");
    QVERIFY2(torch::equal(r.sequences, ids),
             (torch::str(r.sequences) + "\nexpected\n" + torch::str(ids)).c_str());
    QVERIFY2(torch::allclose(r.sequenceScores, scores, 0, 1e-4),
             (torch::str(r.sequenceScores) + " vs " + torch::str(scores)).c_str());
}

void TestBeamSearch::beamsFindWhatGreedyMisses() {
    ScriptedLm lm;
    const auto prompt = torch::tensor({{0}}, torch::kLong);
    eval::GenerateOptions g;
    g.maxNewTokens = 2;
    g.eosTokenId = 3;
    // greedy: 0 -> 1 (.5) -> 1 (.4): probability .20
    QVERIFY(torch::equal(eval::generateGreedy(lm, prompt, {}, g).sequences,
                         torch::tensor({{0, 1, 1}}, torch::kLong)));
    // two beams keep 2 (.4) alive; 2 -> EOS (.9) gives .36, the best finished sequence
    eval::BeamOptions o;
    o.numBeams = 2;
    o.maxNewTokens = 2;
    o.repetitionPenalty = 1.0;
    o.lengthPenalty = 0.0; // compare plain log-probabilities
    o.eosTokenId = 3;
    QVERIFY(torch::equal(eval::generateBeam(lm, prompt, {}, o).sequences,
                         torch::tensor({{0, 2, 3}}, torch::kLong)));
    // with a repetition penalty, nothing repeated can win either: still [2, EOS]
    o.repetitionPenalty = 2.5;
    QVERIFY(torch::equal(eval::generateBeam(lm, prompt, {}, o).sequences,
                         torch::tensor({{0, 2, 3}}, torch::kLong)));
}

void TestBeamSearch::bansOnlyRepeatsOfGeneratedNgrams() {
    // prompt 5 7 | generated 1 2 3 1 2: the next token would follow the tail
    const auto seq = torch::tensor({{5, 7, 1, 2, 3, 1, 2}}, torch::kLong);
    auto banned = [&](int64_t n) {
        auto scores = torch::zeros({1, 8});
        eval::banRepeatedNgrams(scores, seq, 2, n);
        std::vector<int64_t> out;
        for (int64_t v = 0; v < 8; ++v)
            if (std::isinf(scores[0][v].item<float>())) out.push_back(v);
        return out;
    };
    QCOMPARE(banned(0), std::vector<int64_t>{});          // off
    QCOMPARE(banned(1), (std::vector<int64_t>{1, 2, 3})); // every generated token, not 5 or 7
    QCOMPARE(banned(2), std::vector<int64_t>{3});         // tail 2 was followed by 3
    QCOMPARE(banned(3), std::vector<int64_t>{3});         // tail 1 2 was followed by 3
    QCOMPARE(banned(4), std::vector<int64_t>{});          // tail 3 1 2 never seen before
    QCOMPARE(banned(7), std::vector<int64_t>{});          // longer than what was generated
    // the prompt's n-grams are free to copy: 7 1 occurs across the boundary, 5 7 in the prompt
    const auto fromPrompt = torch::tensor({{5, 7, 5}}, torch::kLong);
    auto scores = torch::zeros({1, 8});
    eval::banRepeatedNgrams(scores, fromPrompt, 2, 2);
    QVERIFY(!std::isinf(scores[0][7].item<float>()));
}

void TestBeamSearch::decodersNeverRepeatAnNgram() {
    // after 0: 1 (.6) 2 (.3) 3 (.1); after 1: 1 (.5) 2 (.3) 3 (.2); after 2: as after 0
    ScriptedLm lm({{{1e-6f, .6f, .3f, .1f}, {1e-6f, .5f, .3f, .2f}, {1e-6f, .6f, .3f, .1f}}});
    const auto prompt = torch::tensor({{1, 1, 0}}, torch::kLong);
    eval::GenerateOptions g;
    g.maxNewTokens = 5;
    QVERIFY(torch::equal(eval::generateGreedy(lm, prompt, {}, g).sequences,
                         torch::tensor({{1, 1, 0, 1, 1, 1, 1, 1}}, torch::kLong)));
    // n = 2: 1 1 is free (the prompt's 1 1 does not count); then 1 after 1 is banned -> 2;
    // 2 -> 1; after 1 both 1 and 2 are taken -> 3
    g.noRepeatNgram = 2;
    const auto expected = torch::tensor({{1, 1, 0, 1, 1, 2, 1, 3}}, torch::kLong);
    QVERIFY(torch::equal(eval::generateGreedy(lm, prompt, {}, g).sequences, expected));
    eval::BeamOptions o; // one beam follows the same path
    o.numBeams = 1;
    o.maxNewTokens = 5;
    o.repetitionPenalty = 1.0;
    o.noRepeatNgram = 2;
    QVERIFY(torch::equal(eval::generateBeam(lm, prompt, {}, o).sequences, expected));
}

void TestBeamSearch::lengthOverNewTokensFavoursLongerAnswers() {
    // After a 10-token prompt, two beams finish [2, EOS] (log p -1.022) and [1, 2, EOS]
    // (log p -2.002). Divided by length^2 with the whole sequence as length (HF 4.35):
    // -1.022 / 11^2 > -2.002 / 12^2, the short one wins; with new tokens only:
    // -1.022 / 2^2 < -2.002 / 3^2, the long one wins.
    ScriptedLm lm;
    const auto prompt = torch::zeros({1, 10}, torch::kLong);
    eval::BeamOptions o;
    o.numBeams = 2;
    o.maxNewTokens = 3;
    o.repetitionPenalty = 1.0;
    o.lengthPenalty = 2.0;
    o.eosTokenId = 3;
    auto tail = [&] {
        const auto seq = eval::generateBeam(lm, prompt, {}, o).sequences;
        return seq.slice(1, 10);
    };
    QVERIFY(torch::equal(tail(), torch::tensor({{2, 3}}, torch::kLong)));
    o.lengthOfNewTokens = true;
    QVERIFY(torch::equal(tail(), torch::tensor({{1, 2, 3}}, torch::kLong)));
    o.lengthPenalty = 1.0; // -1.022 / 2 > -2.002 / 3: short again
    QVERIFY(torch::equal(tail(), torch::tensor({{2, 3}}, torch::kLong)));
}

QTEST_GUILESS_MAIN(TestBeamSearch)
#include "tst_beam_search.moc"
