// Beam search: with one beam it is greedy decoding (checked against the HF fixtures' greedy
// ids), and on a scripted model it finds the sequence greedy misses (worked out by hand).
#include "core/eval/generator.h"
#include "core/util/threads.h"
#include "tests/support/shared_data.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <fstream>

using namespace gt;

namespace {

/// Next-token probabilities depend only on the last token (vocabulary 0..3, 3 = EOS):
///   after 0: p(1)=.5 p(2)=.4 p(3)=.1;  after 1: p(1)=.4 p(2)=.3 p(3)=.3;
///   after 2: p(3)=.9 p(1)=.05 p(2)=.05
class ScriptedLm : public model::CausalLMImpl {
public:
    ScriptedLm()
        : CausalLMImpl(io::ModelConfig{}) {}
    model::LmOutput forward(const model::LmInput& in) override {
        static const float table[3][4] = {
            {1e-6f, .5f, .4f, .1f}, {1e-6f, .4f, .3f, .3f}, {1e-6f, .05f, .05f, .9f}};
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
    void beamsFindWhatGreedyMisses();
};

void TestBeamSearch::oneBeamIsGreedy_data() {
    QTest::addColumn<QString>("fixture");
    for (const char* f : {"opt_tiny", "bloom_6head_postres", "llama_gqa_theta", "gpt2_tiny"})
        QTest::newRow(f) << f;
}

void TestBeamSearch::oneBeamIsGreedy() {
    QFETCH(QString, fixture);
    GT_REQUIRE_SHARED(dir, "fixtures/hf/" + fixture);
    util::configureTorchThreads(1);
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

QTEST_GUILESS_MAIN(TestBeamSearch)
#include "tst_beam_search.moc"
