// Selective backpropagation on a real (fixture) model: a plan trains exactly its tensors, their
// gradients equal full backprop's, the importance probe restores what it touches, re-selection
// follows the interval, and bad losses stop the run with a message.
#include "core/green/importance_probe.h"
#include "core/model/causal_lm.h"
#include "core/model/threads.h"
#include "core/train/trainer.h"
#include "tests/support/random_batches.h"
#include "tests/support/shared_data.h"

#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace gt;
using gt::test::RandomBatches;

namespace {

std::vector<torch::Tensor> snapshot(model::CausalLMImpl& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m.parameters())
        out.push_back(p.detach().clone());
    return out;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void planTrainsExactlyItsTensors();
    void selectedGradientsEqualFullBackprop();
    void probeRestoresWeightsAndOptimizer();
    void stoppedProbeLeavesNothingChanged();
    void reselectionFollowsTheInterval();
    void lossFallsOnARepeatedBatch();
    void nonFiniteLossStopsWithAMessage();
    void stopFlagEndsTheRun();
    void resumeFromACheckpointEndsWithTheSameWeights();

private:
    std::shared_ptr<model::CausalLMImpl> model() {
        return model::loadCausalLM((gt::test::sharedDir() + "/fixtures/hf/opt_tiny").toStdString());
    }
    QString m_dir;
};

void TestTrainer::initTestCase() {
    GT_REQUIRE_SHARED(dir, "fixtures/hf/opt_tiny");
    m_dir = dir;
    model::configureTorchThreads(1);
}

void TestTrainer::planTrainsExactlyItsTensors() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 3, 2, 16);
    train::TrainOptions o;
    o.rho = 0.55;
    o.epochs = 1;
    o.learningRate = 1e-3;
    train::Trainer t(m, {2, 16}, o, data);
    const auto before = snapshot(*m);
    t.run();
    const auto& sel = t.plan().selected;
    int trained = 0, frozen = 0;
    const auto after = m->parameters();
    for (size_t i = 0; i < sel.size(); ++i) {
        const auto name = t.catalogue()[i].name;
        if (sel[i]) {
            QVERIFY2(!torch::equal(before[i], after[i]), name.c_str());
            ++trained;
        } else {
            QVERIFY2(torch::equal(before[i], after[i]), name.c_str()); // bit-identical
            ++frozen;
        }
    }
    QVERIFY(trained > 0 && frozen > 0);
    QCOMPARE(t.stepsDone(), int64_t{3});
}

void TestTrainer::selectedGradientsEqualFullBackprop() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 1, 2, 16);
    const auto b = data.batch(0, 0);
    model::LmInput in;
    in.inputIds = b.inputIds;
    in.attentionMask = b.attentionMask;
    in.labels = b.labels;
    m->forward(in).loss.backward(); // full backprop
    std::vector<torch::Tensor> full;
    for (const auto& p : m->parameters())
        full.push_back(p.grad().clone());
    train::TrainOptions o;
    o.rho = 0.5;
    train::Trainer t(m, {2, 16}, o, data);
    t.select(0);
    m->forward(in).loss.backward(); // selective
    const auto params = m->parameters();
    const auto& sel = t.plan().selected;
    bool embedReached = false;
    for (size_t i = 0; i < params.size(); ++i) {
        if (!sel[i]) {
            QVERIFY(!params[i].grad().defined());
            continue;
        }
        QVERIFY2(torch::allclose(params[i].grad(), full[i], 1e-5, 1e-5),
                 t.catalogue()[i].name.c_str());
        embedReached |= t.catalogue()[i].role == model::TensorRole::Embed;
    }
    QVERIFY(!embedReached); // rho 0.5 cannot afford backprop down to the embedding
}

void TestTrainer::probeRestoresWeightsAndOptimizer() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 2, 2, 16);
    torch::optim::AdamW opt(m->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    // one real step so the optimizer has moments to preserve
    model::LmInput in;
    const auto b = data.batch(0, 0);
    in.inputIds = b.inputIds;
    in.attentionMask = b.attentionMask;
    in.labels = b.labels;
    m->forward(in).loss.backward();
    opt.step();
    for (auto p : m->parameters())
        p.mutable_grad() = torch::Tensor();
    const auto weights = snapshot(*m);
    auto stepOf = [&](const torch::Tensor& p) {
        return static_cast<torch::optim::AdamWParamState&>(
                   *opt.state().at(c10::guts::to_string(p.unsafeGetTensorImpl())))
            .step();
    };
    const auto first = m->parameters()[0];
    const auto avg = static_cast<torch::optim::AdamWParamState&>(
                         *opt.state().at(c10::guts::to_string(first.unsafeGetTensorImpl())))
                         .exp_avg()
                         .clone();
    const auto imp = green::probeImportance(*m, opt, {data.batch(1, 0)});
    const auto now = m->parameters();
    for (size_t i = 0; i < now.size(); ++i)
        QVERIFY(torch::equal(weights[i], now[i]));
    QCOMPARE(stepOf(first), int64_t{1});
    QVERIFY(
        torch::equal(avg, static_cast<torch::optim::AdamWParamState&>(
                              *opt.state().at(c10::guts::to_string(first.unsafeGetTensorImpl())))
                              .exp_avg()));
    double largest = 0;
    for (double v : imp)
        largest = std::max(largest, std::abs(v));
    QCOMPARE(largest, 1.0); // normalised
    QVERIFY(std::count_if(imp.begin(), imp.end(), [](double v) { return v > 0; }) >
            static_cast<long>(imp.size()) / 2);
    // paper mode: weights still restored, the optimizer left two steps ahead
    green::ProbeOptions paper;
    paper.restoreOptimizer = false;
    green::probeImportance(*m, opt, {data.batch(1, 0)}, paper);
    const auto again = m->parameters();
    for (size_t i = 0; i < again.size(); ++i)
        QVERIFY(torch::equal(weights[i], again[i]));
    QCOMPARE(stepOf(first), int64_t{3});
}

void TestTrainer::stoppedProbeLeavesNothingChanged() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 2, 2, 16);
    torch::optim::AdamW opt(m->parameters(), torch::optim::AdamWOptions(1e-3));
    const auto weights = snapshot(*m);
    // Stop after g(w) of both batches: the AdamW step has moved the weights and created the
    // optimizer's moments, which must all be undone, even in paper mode.
    std::atomic<bool> stop{false};
    green::ProbeOptions o;
    o.restoreOptimizer = false;
    o.stop = &stop;
    std::vector<std::pair<int, int>> passes;
    o.onPass = [&](int done, int total) {
        passes.emplace_back(done, total);
        if (done == 2) stop = true;
    };
    QVERIFY_THROWS_EXCEPTION(
        green::ProbeStopped,
        green::probeImportance(*m, opt, {data.batch(0, 0), data.batch(0, 1)}, o));
    QCOMPARE(passes.size(), size_t(2));
    QCOMPARE(passes.back(), std::make_pair(2, 4));
    const auto now = m->parameters();
    for (size_t i = 0; i < now.size(); ++i) {
        QVERIFY(torch::equal(weights[i], now[i]));
        QVERIFY(!now[i].grad().defined());
        QVERIFY(now[i].requires_grad());
    }
    QVERIFY(opt.state().empty());
    // Not stopped, the same call reports all four passes and returns importance.
    stop = false;
    passes.clear();
    o.onPass = [&](int done, int total) { passes.emplace_back(done, total); };
    QCOMPARE(green::probeImportance(*m, opt, {data.batch(0, 0), data.batch(0, 1)}, o).size(),
             now.size());
    QCOMPARE(passes.back(), std::make_pair(4, 4));
}

void TestTrainer::reselectionFollowsTheInterval() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 2, 2, 8);
    train::TrainOptions o;
    o.epochs = 5;
    o.reselectEveryEpochs = 2;
    train::Trainer t(m, {2, 8}, o, data);
    std::vector<int> rounds;
    std::vector<int64_t> stepsAtPlan;
    int steps = 0;
    t.run({.onStep =
               [&](const train::StepMetrics& s) {
                   ++steps;
                   QVERIFY(s.plannedMacs <= 0.5 * s.fullMacs * (1 + 1e-12));
                   QVERIFY(s.stepMillis > 0 && s.tokensPerSecond > 0);
               },
           .onPlan =
               [&](const green::Plan& p, int round, const std::vector<double>& imp) {
                   rounds.push_back(round);
                   stepsAtPlan.push_back(t.stepsDone());
                   QCOMPARE(imp.size(), p.selected.size());
               }});
    QCOMPARE(rounds, (std::vector<int>{0, 1, 2})); // epochs 0, 2, 4
    QCOMPARE(stepsAtPlan, (std::vector<int64_t>{0, 4, 8}));
    QCOMPARE(steps, 10);
    train::TrainOptions full = o;
    full.method = train::Method::Full;
    train::Trainer f(model(), {2, 8}, full, data);
    int plans = 0;
    f.run({.onPlan = [&](const green::Plan& p, int, const std::vector<double>&) {
        ++plans;
        QCOMPARE(p.share(), 1.0);
    }});
    QCOMPARE(plans, 1);
}

void TestTrainer::lossFallsOnARepeatedBatch() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 4, 2, 16, /*fixed=*/true);
    train::TrainOptions o;
    o.rho = 0.6;
    o.epochs = 5;
    o.learningRate = 3e-3;
    train::Trainer t(m, {2, 16}, o, data);
    std::vector<double> losses;
    t.run({.onStep = [&](const train::StepMetrics& s) { losses.push_back(s.loss); }});
    QCOMPARE(losses.size(), size_t{20});
    QVERIFY2(losses.back() < losses.front() - 0.5,
             qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
}

void TestTrainer::nonFiniteLossStopsWithAMessage() {
    auto m = model();
    {
        torch::NoGradGuard g;
        m->named_parameters()["model.decoder.layers.1.fc2.weight"].fill_(
            std::numeric_limits<float>::quiet_NaN());
    }
    RandomBatches data(m->config().vocabSize, 2, 2, 8);
    train::TrainOptions o;
    o.method = train::Method::Full;
    train::Trainer t(m, {2, 8}, o, data);
    try {
        t.run();
        QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("loss became nan at step 1"), e.what());
    }
}

void TestTrainer::stopFlagEndsTheRun() {
    auto m = model();
    RandomBatches data(m->config().vocabSize, 5, 2, 8);
    train::TrainOptions o;
    o.method = train::Method::TopBlocks;
    o.topBlocks = 1;
    train::Trainer t(m, {2, 8}, o, data);
    std::atomic<bool> stop{false};
    const bool stopped = t.run({.onStep =
                                    [&](const train::StepMetrics& s) {
                                        if (s.step == 2) stop = true;
                                    },
                                .stop = &stop});
    QVERIFY(stopped);
    QCOMPARE(t.stepsDone(), int64_t{2});
}

void TestTrainer::resumeFromACheckpointEndsWithTheSameWeights() {
    RandomBatches data(320, 2, 2, 12); // opt_tiny's vocabulary; 2 batches per epoch
    train::TrainOptions o;
    o.rho = 0.6;
    o.epochs = 3;
    o.reselectEveryEpochs = 1;
    o.learningRate = 1e-3;
    auto straight = model();
    train::Trainer a(straight, {2, 12}, o, data);
    a.run();
    QCOMPARE(a.stepsDone(), int64_t{6});

    QTemporaryDir dir;
    const std::filesystem::path ckpt = (dir.path() + "/ckpt").toStdString();
    {
        auto first = model();
        train::Trainer b(first, {2, 12}, o, data);
        std::atomic<bool> stop{false};
        b.run({.onStep =
                   [&](const train::StepMetrics& s) {
                       if (s.step == 3) { // mid-epoch 1
                           b.saveCheckpoint(ckpt, R"({"note": "kept"})");
                           stop = true;
                       }
                   },
               .stop = &stop});
        QCOMPARE(b.stepsDone(), int64_t{3});
    }
    QVERIFY(std::filesystem::exists(ckpt / "state.json"));
    QVERIFY(!std::filesystem::exists(ckpt.string() + ".tmp-" + std::to_string(getpid())));
    auto second = model(); // a fresh process would start from the original weights too
    train::Trainer c(second, {2, 12}, o, data);
    QCOMPARE(QString::fromStdString(c.loadCheckpoint(ckpt)), QString(R"({"note":"kept"})"));
    QCOMPARE(c.stepsDone(), int64_t{3});
    c.run();
    QCOMPARE(c.stepsDone(), int64_t{6});
    const auto pa = straight->parameters(), pc = second->parameters();
    for (size_t i = 0; i < pa.size(); ++i)
        QVERIFY2(torch::equal(pa[i], pc[i]), c.catalogue()[i].name.c_str());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.loadCheckpoint(dir.path().toStdString()));
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
