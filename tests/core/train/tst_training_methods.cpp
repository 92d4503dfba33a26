// The training methods on their one interface (train/training_method.h), on a real fixture
// model: each method's plans (which tensors, when, at what cost, checked against the cost
// table walked here), LISA's and BAdam's draws, BAdam's dropped Adam state, FreezeOut's
// schedule, prefix tuning's keys and values (positions, batch, merge, export), and resumes
// that end bit-for-bit where the uninterrupted run does.
#include "core/green/budget.h"
#include "core/model/causal_lm.h"
#include "core/model/kv_prefix.h"
#include "core/model/threads.h"
#include "core/train/methods/badam_method.h"
#include "core/train/methods/freeze_out_method.h"
#include "core/train/trainer.h"
#include "tests/support/random_batches.h"
#include "tests/support/shared_data.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <set>

using namespace gt;
using gt::test::RandomBatches;

namespace {

/// T_fp + the selected dW + dY down to the deepest selected tensor, walked here from the
/// cost table (output end first) rather than taken from the plan.
double walkedMacs(const green::CostTable& costs, const std::vector<int>& chain,
                  const std::vector<uint8_t>& selected) {
    double dyToDeepest = 0.0, running = 0.0, dw = 0.0;
    for (int idx : chain) {
        running += costs.costs[idx].dy;
        if (!selected[idx]) continue;
        dyToDeepest = running;
        dw += costs.costs[idx].dw;
    }
    return costs.forwardTotal + dw + dyToDeepest;
}

std::set<int> blocksOf(const model::TensorCatalogue& c, const std::vector<uint8_t>& selected) {
    std::set<int> out;
    for (size_t i = 0; i < c.size(); ++i)
        if (selected[i] && c[i].block >= 0) out.insert(c[i].block);
    return out;
}

/// Every block's tensors all in or all out: a block-level plan.
bool wholeBlocks(const model::TensorCatalogue& c, const std::vector<uint8_t>& selected) {
    std::map<int, std::set<uint8_t>> states;
    for (size_t i = 0; i < c.size(); ++i)
        if (c[i].block >= 0) states[c[i].block].insert(selected[i]);
    for (const auto& [b, s] : states)
        if (s.size() != 1) return false;
    return true;
}

} // namespace

class TestTrainingMethods : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyMethodTrainsThroughTheRegistry();
    void seededSampleDrawsUniformlyAndRepeats();
    void lisaTrainsOutsideBlocksPlusGammaDrawnBlocks();
    void badamVisitsEveryBlockAndKeepsOnlyItsAdamState();
    void freezeOutFreezesFromTheInputOnSchedule();
    void prefixKeepsPositionsAndMatchesACachedContinuation();
    void prefixTrainsOnlyThePrefixAndMergesExactly();
    void prefixPlanCostsInBothAccountings();
    void badOptionsAreRefusedWithTheirNames();
    void resumedRunsEndBitForBit_data();
    void resumedRunsEndBitForBit();

private:
    std::shared_ptr<model::CausalLMImpl> load(const char* name) {
        return model::loadCausalLM((m_dir + "/" + name).toStdString());
    }
    QString m_dir;
};

void TestTrainingMethods::initTestCase() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf");
    m_dir = dir;
    model::configureTorchThreads(1);
}

void TestTrainingMethods::everyMethodTrainsThroughTheRegistry() {
    const std::map<train::Method, std::string> label = {
        {train::Method::Full, "full"},
        {train::Method::GreenTrainer, "greentrainer"},
        {train::Method::TopBlocks, "top-k-blocks"},
        {train::Method::Lora, "lora"},
        {train::Method::Prefix, "prefix"},
        {train::Method::Lisa, "lisa"},
        {train::Method::Badam, "badam"},
        {train::Method::FreezeOut, "freezeout"}};
    for (const auto& [method, name] : label) {
        auto m = load("opt_tiny");
        RandomBatches data(m->config().vocabSize, 2, 2, 8);
        train::TrainOptions o;
        o.method = method;
        o.topBlocks = 1;
        o.lisaLayers = 1;
        o.maxSteps = 2;
        o.learningRate = 1e-3;
        train::Trainer t(m, {2, 8}, o, data);
        std::vector<double> losses;
        t.run({.onStep = [&](const train::StepMetrics& s) {
            losses.push_back(s.loss);
            QVERIFY(s.plannedMacs > s.fullMacs / 4);
        }});
        QCOMPARE(losses.size(), size_t{2});
        QCOMPARE(t.plan().method, name);
        QCOMPARE(train::methodName(method), name);
        QCOMPARE(train::parseMethod(train::methodName(method)), method);
    }
}

void TestTrainingMethods::seededSampleDrawsUniformlyAndRepeats() {
    QCOMPARE(train::seededSample(7, 3, 6, 2), train::seededSample(7, 3, 6, 2));
    QVERIFY(train::seededSample(7, 3, 6, 6) != train::seededSample(7, 4, 6, 6));
    // A permutation when k = n; distinct values in range always.
    auto perm = train::seededSample(1, 0, 6, 6);
    std::sort(perm.begin(), perm.end());
    QCOMPARE(perm, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    // Each of 6 blocks drawn by 2 of 6 in a third of 6,000 periods: a binomial(6000, 1/3)
    // count, mean 2000, sd 36.5; 5 sd either side.
    std::vector<int> hits(6, 0);
    for (uint64_t period = 0; period < 6000; ++period) {
        const auto s = train::seededSample(42, period, 6, 2);
        QCOMPARE(s.size(), size_t{2});
        QVERIFY(s[0] != s[1] && s[0] >= 0 && s[0] < 6 && s[1] >= 0 && s[1] < 6);
        for (int b : s)
            ++hits[static_cast<size_t>(b)];
    }
    for (int h : hits)
        QVERIFY2(std::abs(h - 2000) < 183, qPrintable(QString::number(h)));
}

void TestTrainingMethods::lisaTrainsOutsideBlocksPlusGammaDrawnBlocks() {
    auto m = load("opt_tiny");
    RandomBatches data(m->config().vocabSize, 3, 2, 8);
    train::TrainOptions o;
    o.method = train::Method::Lisa;
    o.lisaLayers = 1;
    o.lisaInterval = 3;
    o.maxSteps = 12;
    o.learningRate = 1e-3;
    train::Trainer t(m, {2, 8}, o, data);
    const auto& c = t.catalogue();
    const auto chain = green::backpropChain(c, t.costs());
    std::vector<int64_t> planSteps;
    std::vector<std::set<int>> drawn;
    t.run({.onPlan = [&](const green::Plan& p, int, const std::vector<double>&) {
        planSteps.push_back(t.stepsDone());
        for (size_t i = 0; i < c.size(); ++i)
            if (c[i].block < 0) QVERIFY2(p.selected[i], c[i].name.c_str());
        QVERIFY(wholeBlocks(c, p.selected));
        drawn.push_back(blocksOf(c, p.selected));
        QCOMPARE(drawn.back().size(), size_t{1});
        QCOMPARE(p.plannedMacs, walkedMacs(t.costs(), chain, p.selected));
        // the draw is the seeded sample of this period
        const auto want = train::seededSample(o.seed, t.stepsDone() / 3, c.blockCount(), 1);
        QCOMPARE(*drawn.back().begin(), want[0]);
    }});
    QCOMPARE(planSteps, (std::vector<int64_t>{0, 3, 6, 9}));
}

void TestTrainingMethods::badamVisitsEveryBlockAndKeepsOnlyItsAdamState() {
    for (const std::string order : {"ascending", "descending", "random"}) {
        auto m = load("opt_tiny");
        RandomBatches data(m->config().vocabSize, 4, 2, 8);
        train::TrainOptions o;
        o.method = train::Method::Badam;
        o.badamInterval = 2;
        o.badamOrder = order;
        o.maxSteps = 8; // 4 periods over 2 blocks: two cycles
        o.learningRate = 1e-3;
        train::Trainer t(m, {2, 8}, o, data);
        const auto& c = t.catalogue();
        std::vector<int> visits;
        std::vector<uint8_t> active;
        t.run({.onStep =
                   [&](const train::StepMetrics&) {
                       // after a step: Adam moments exist for the active block's tensors only
                       size_t trained = 0;
                       for (uint8_t s : active)
                           trained += s;
                       QCOMPARE(t.optimizer().state().size(), trained);
                   },
               .onPlan =
                   [&](const green::Plan& p, int, const std::vector<double>&) {
                       const auto blocks = blocksOf(c, p.selected);
                       QCOMPARE(blocks.size(), size_t{1});
                       QVERIFY(wholeBlocks(c, p.selected));
                       for (size_t i = 0; i < c.size(); ++i)
                           if (c[i].block < 0) QVERIFY(!p.selected[i]);
                       visits.push_back(*blocks.begin());
                       active = p.selected;
                   }});
        QCOMPARE(visits.size(), size_t{4});
        if (order == "ascending") QCOMPARE(visits, (std::vector<int>{0, 1, 0, 1}));
        if (order == "descending") QCOMPARE(visits, (std::vector<int>{1, 0, 1, 0}));
        // every cycle visits every block once
        QCOMPARE(std::set<int>(visits.begin(), visits.begin() + 2), (std::set<int>{0, 1}));
        QCOMPARE(std::set<int>(visits.begin() + 2, visits.end()), (std::set<int>{0, 1}));
    }
}

void TestTrainingMethods::freezeOutFreezesFromTheInputOnSchedule() {
    auto m = load("opt_tiny");
    RandomBatches data(m->config().vocabSize, 4, 2, 8);
    train::TrainOptions o;
    o.method = train::Method::FreezeOut;
    o.freezeStart = 0.5;
    o.maxSteps = 10;
    o.learningRate = 1e-3;
    train::Trainer t(m, {2, 8}, o, data);
    const auto& c = t.catalogue();
    // 2 blocks, t0 0.5: block 0 freezes at ceil(0.5 x 10) = 5, block 1 at ceil(0.75 x 10) = 8
    std::vector<int64_t> planSteps;
    std::vector<std::set<int>> trained;
    std::vector<bool> embedTrained;
    const int embed = c.find("model.decoder.embed_tokens.weight");
    const int finalNorm = c.find("model.decoder.final_layer_norm.weight");
    QVERIFY(embed >= 0 && finalNorm >= 0);
    t.run({.onPlan = [&](const green::Plan& p, int, const std::vector<double>&) {
        planSteps.push_back(t.stepsDone());
        trained.push_back(blocksOf(c, p.selected));
        embedTrained.push_back(p.selected[static_cast<size_t>(embed)]);
        QVERIFY(p.selected[static_cast<size_t>(finalNorm)]); // the output side trains to the end
        QCOMPARE(p.plannedMacs,
                 walkedMacs(t.costs(), green::backpropChain(c, t.costs()), p.selected));
    }});
    QCOMPARE(planSteps, (std::vector<int64_t>{0, 5, 8}));
    QCOMPARE(trained, (std::vector<std::set<int>>{{0, 1}, {1}, {}}));
    QCOMPARE(embedTrained, (std::vector<bool>{true, false, false}));
}

void TestTrainingMethods::prefixKeepsPositionsAndMatchesACachedContinuation() {
    torch::NoGradGuard g;
    // BLOOM's ALiBi is relative: a prefix holding real tokens' keys and values must give what
    // the cached continuation of those tokens gives, for every row of a batch of 3.
    auto bloom = load("bloom_tiny");
    torch::manual_seed(5);
    const auto head = torch::randint(3, bloom->config().vocabSize, {1, 5}, torch::kLong);
    const auto tail = torch::randint(3, bloom->config().vocabSize, {3, 4}, torch::kLong);
    model::KvCache cache;
    bloom->forward({.inputIds = head, .cache = &cache});
    std::vector<torch::Tensor> kv;
    for (size_t l = 0; l < cache.keys.size(); ++l) {
        kv.push_back(cache.keys[l][0]);
        kv.push_back(cache.values[l][0]);
    }
    torch::Tensor reference;
    {
        model::KvCache expanded;
        for (size_t l = 0; l < cache.keys.size(); ++l) {
            expanded.keys.push_back(cache.keys[l].expand({3, -1, -1, -1}));
            expanded.values.push_back(cache.values[l].expand({3, -1, -1, -1}));
        }
        reference = bloom->forward({.inputIds = tail, .cache = &expanded}).logits;
    }
    bloom->setPrefix(std::make_shared<model::FixedKvPrefix>(torch::stack(kv)));
    const auto withPrefix = bloom->forward({.inputIds = tail}).logits;
    QVERIFY(torch::allclose(withPrefix, reference, 1e-5, 1e-6));

    // OPT and GPT-2 learn positions: with a prefix the real tokens keep theirs, so the first
    // layer's input (token + position embedding) is what it is without one.
    for (const char* name : {"opt_tiny", "gpt2_tiny"}) {
        auto m = load(name);
        const auto ids = torch::randint(3, m->config().vocabSize, {2, 6}, torch::kLong);
        const auto plain = m->forward({.inputIds = ids, .outputHiddenStates = true});
        const int64_t layers = m->config().numLayers, heads = m->config().numHeads;
        m->setPrefix(std::make_shared<model::FixedKvPrefix>(
            torch::randn({2 * layers, heads, 7, m->config().headDim()})));
        const auto pre = m->forward({.inputIds = ids, .outputHiddenStates = true});
        QVERIFY2(torch::equal(pre.hiddenStates[0], plain.hiddenStates[0]), name);
        QVERIFY2(!torch::allclose(pre.logits, plain.logits), name); // the prefix does something
    }
}

void TestTrainingMethods::prefixTrainsOnlyThePrefixAndMergesExactly() {
    auto m = load("opt_tiny");
    std::vector<torch::Tensor> before;
    for (const auto& p : m->parameters())
        before.push_back(p.detach().clone());
    RandomBatches data(m->config().vocabSize, 2, 2, 8, /*fixed=*/true);
    train::TrainOptions o;
    o.method = train::Method::Prefix;
    o.prefixTokens = 5;
    o.maxSteps = 10;
    o.learningRate = 1e-2;
    train::Trainer t(m, {2, 8}, o, data);
    const auto named = t.method().stateTensors();
    QCOMPARE(named.size(), size_t{5}); // embedding + the MLP's two layers, peft's names
    QCOMPARE(named[0].first, std::string("prefix_encoder.embedding.weight"));
    QCOMPARE(named[0].second.sizes().vec(), (std::vector<int64_t>{5, 64}));
    QCOMPARE(named[3].second.sizes().vec(), (std::vector<int64_t>{2 * 2 * 64, 64}));
    const auto encoderBefore = named[3].second.detach().clone();
    std::vector<double> losses;
    t.run({.onStep = [&](const train::StepMetrics& s) { losses.push_back(s.loss); }});
    const auto params = m->parameters();
    for (size_t i = 0; i < params.size(); ++i)
        QVERIFY2(torch::equal(params[i], before[i]), t.catalogue()[i].name.c_str());
    QVERIFY(!torch::equal(t.method().stateTensors()[3].second, encoderBefore));
    QVERIFY2(losses.back() < losses.front(),
             qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));

    // merged: fixed keys and values giving the trained prefix's logits; exported and loaded
    // back, the model computes the same again
    m->eval();
    torch::NoGradGuard g;
    const auto batch = data.batch(0, 0);
    const auto trained = m->forward({batch.inputIds, batch.attentionMask}).logits;
    t.mergeAdapters();
    QVERIFY(t.method().stateTensors().empty());
    QCOMPARE(m->prefix()->length(), int64_t{5});
    const auto merged = m->forward({batch.inputIds, batch.attentionMask}).logits;
    QVERIFY(torch::allclose(merged, trained, 1e-6, 1e-6));
    QTemporaryDir dir;
    const std::filesystem::path out = dir.path().toStdString();
    for (const char* f : {"config.json", "model.safetensors"})
        std::filesystem::copy_file(std::filesystem::path(m_dir.toStdString()) / "opt_tiny" / f,
                                   out / f);
    t.exportMethodFiles(out);
    QVERIFY(std::filesystem::exists(out / model::kPrefixFile));
    auto reloaded = model::loadCausalLM(out);
    QVERIFY(reloaded->prefix() != nullptr);
    const auto again = reloaded->forward({batch.inputIds, batch.attentionMask}).logits;
    QVERIFY(torch::allclose(again, trained, 1e-6, 1e-6));
    // a prefix for another model is refused, naming the file and the shape it needs
    io::ModelConfig deeper = m->config();
    deeper.numLayers = 3;
    try {
        model::loadKvPrefix(out / model::kPrefixFile, deeper);
        QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("prefix.safetensors") &&
                     QString(e.what()).contains("this model needs"),
                 e.what());
    }
}

void TestTrainingMethods::prefixPlanCostsInBothAccountings() {
    RandomBatches data(320, 2, 2, 8);
    for (auto accounting : {green::Accounting::Paper, green::Accounting::Exact}) {
        auto m = load("opt_tiny");
        train::TrainOptions o;
        o.method = train::Method::Prefix;
        o.accounting = accounting;
        o.prefixTokens = 4;
        o.maxSteps = 1;
        train::Trainer t(m, {2, 8}, o, data);
        t.run();
        const auto& costs = t.costs();
        double allDy = 0.0;
        for (const auto& tc : costs.costs)
            allDy += tc.dy;
        if (accounting == green::Accounting::Paper) {
            // the paper's rule: forward plus every activation gradient, no dW: 2/3 of full
            QCOMPARE(t.plan().plannedMacs, costs.forwardTotal + allDy);
            continue;
        }
        // exact: dY down to block 0's key/value projections, plus the prefix's own work:
        // attention to 4 virtual keys (6 x tokens x 4 x D per layer) and the MLP (3 passes
        // of 4 tokens through 64x64 and 256x64 weights)
        const auto& c = t.catalogue();
        double reach = 0.0, running = 0.0;
        for (int idx : green::backpropChain(c, costs)) {
            running += costs.costs[idx].dy;
            if (c[idx].name == "model.decoder.layers.0.self_attn.k_proj.weight" ||
                c[idx].name == "model.decoder.layers.0.self_attn.v_proj.weight")
                reach = running;
        }
        const double tokens = 2 * 8;
        const double own = 6.0 * tokens * 4 * 64 * 2 + 3.0 * 4 * (64 * 64 + 256 * 64);
        QCOMPARE(t.plan().plannedMacs, costs.forwardTotal + reach + own);
        QVERIFY(t.plan().share() < 1.0);
    }
}

void TestTrainingMethods::badOptionsAreRefusedWithTheirNames() {
    RandomBatches data(320, 2, 2, 8);
    const auto refused = [&](train::TrainOptions o, const char* words) {
        try {
            train::Trainer t(load("opt_tiny"), {2, 8}, o, data);
            QFAIL("expected an error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(words), e.what());
        }
    };
    train::TrainOptions o;
    o.method = train::Method::Lisa;
    o.lisaLayers = 3;
    refused(o, "--lisa-layers must be in [1, 2], got 3");
    o.method = train::Method::Badam;
    o.badamOrder = "sideways";
    refused(o, "--badam-order must be random, ascending or descending, got 'sideways'");
    o = {};
    o.method = train::Method::FreezeOut;
    o.freezeStart = 1.5;
    refused(o, "--freeze-start must be a share in [0, 1]");
    o = {};
    o.method = train::Method::Prefix;
    o.include = {"layers"};
    refused(o, "are for GreenTrainer, not prefix");
}

void TestTrainingMethods::resumedRunsEndBitForBit_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("prefix") << int(train::Method::Prefix);
    QTest::newRow("lisa") << int(train::Method::Lisa);
    QTest::newRow("badam") << int(train::Method::Badam);
    QTest::newRow("freezeout") << int(train::Method::FreezeOut);
}

void TestTrainingMethods::resumedRunsEndBitForBit() {
    QFETCH(int, method);
    RandomBatches data(320, 3, 2, 8);
    train::TrainOptions o;
    o.method = static_cast<train::Method>(method);
    o.lisaLayers = 1;
    o.lisaInterval = 2;
    o.badamInterval = 2;
    o.badamOrder = "random";
    o.prefixTokens = 3;
    o.maxSteps = 9;
    o.learningRate = 1e-3;
    auto straight = load("opt_tiny");
    train::Trainer a(straight, {2, 8}, o, data);
    std::vector<double> lossA;
    a.run({.onStep = [&](const train::StepMetrics& s) { lossA.push_back(s.loss); }});

    QTemporaryDir dir;
    const std::filesystem::path ckpt = (dir.path() + "/ckpt").toStdString();
    {
        auto first = load("opt_tiny");
        train::Trainer b(first, {2, 8}, o, data);
        std::atomic<bool> stop{false};
        b.run({.onStep =
                   [&](const train::StepMetrics& s) {
                       if (s.step == 4) { // a period boundary: the next step begins a round
                           b.saveCheckpoint(ckpt);
                           stop = true;
                       }
                   },
               .stop = &stop});
    }
    auto second = load("opt_tiny");
    train::Trainer c(second, {2, 8}, o, data);
    c.loadCheckpoint(ckpt);
    std::vector<double> lossC;
    c.run({.onStep = [&](const train::StepMetrics& s) { lossC.push_back(s.loss); }});
    QCOMPARE(lossC.size(), size_t{5});
    for (size_t k = 0; k < lossC.size(); ++k) // bit for bit (QCOMPARE on doubles is fuzzy)
        QVERIFY2(lossC[k] == lossA[k + 4], qPrintable(QString::number(k)));
    const auto pa = straight->parameters(), pc = second->parameters();
    for (size_t i = 0; i < pa.size(); ++i)
        QVERIFY2(torch::equal(pa[i], pc[i]), c.catalogue()[i].name.c_str());
    const auto sa = a.method().stateTensors(), sc = c.method().stateTensors();
    QCOMPARE(sa.size(), sc.size());
    for (size_t i = 0; i < sa.size(); ++i)
        QVERIFY2(torch::equal(sa[i].second, sc[i].second), sa[i].first.c_str());
    QCOMPARE(c.round(), a.round());
}

QTEST_GUILESS_MAIN(TestTrainingMethods)
#include "tst_training_methods.moc"
