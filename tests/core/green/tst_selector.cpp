// Planning a GreenTrainer step on real model configs: budget, monotonicity, infeasible rho,
// the paper mode's achieved share, and the baselines.
#include "core/green/baseline_plans.h"
#include "core/green/budget.h"
#include "core/green/selector.h"
#include "tests/support/shared_data.h"

#include <QTest>

using namespace gt::green;
using gt::model::TensorCatalogue;

class TestSelector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exactPlansStayWithinBudgetAndGrowWithRho();
    void paperModeKeepsAboutRhoOnOpt27b();
    void infeasibleRhoNamesTheMinimum();
    void badArguments();
    void baselines();

private:
    gt::io::ModelConfig m_cfg;
    TensorCatalogue m_cat;
    CostTable m_exact, m_paper;
    std::vector<double> m_size; // size-proportional importance
};

void TestSelector::initTestCase() {
    GT_REQUIRE_SHARED(dir, "fixtures/configs/opt-2.7b");
    m_cfg = gt::io::loadModelConfig(dir.toStdString());
    m_cat = TensorCatalogue::fromConfig(m_cfg);
    m_exact = computeCosts(m_cat, m_cfg, {4, 512}, Accounting::Exact);
    m_paper = computeCosts(m_cat, m_cfg, {4, 512}, Accounting::Paper);
    for (const auto& t : m_cat.tensors())
        m_size.push_back(static_cast<double>(t.numel()));
}

void TestSelector::exactPlansStayWithinBudgetAndGrowWithRho() {
    double lastShare = 0.0, lastValue = 0.0;
    for (double rho = 0.36; rho <= 1.0001; rho += 0.02) {
        const Plan p = selectTensors(m_cat, m_exact, m_size, std::min(rho, 1.0));
        QVERIFY2(p.plannedMacs <= std::min(rho, 1.0) * p.fullMacs * (1 + 1e-12),
                 qPrintable(QString("rho %1: share %2").arg(rho).arg(p.share())));
        QVERIFY(p.share() >= lastShare - 1e-12);
        QVERIFY(p.importance >= lastValue);
        // Within 2% of the objective: rounding and the knapsack leave little unspent.
        QVERIFY2(p.share() > std::min(rho, 1.0) - 0.02,
                 qPrintable(QString("rho %1: share %2").arg(rho).arg(p.share())));
        lastShare = p.share();
        lastValue = p.importance;
    }
}

void TestSelector::paperModeKeepsAboutRhoOnOpt27b() {
    // method.md §4.6: for OPT the code's rounding errors roughly cancel (0.498 at rho 0.5,
    // 0.699 at 0.7 in a simulation of the code).
    SelectorOptions o;
    o.kind = SelectorKind::PaperDp;
    o.order = TensorOrder::Registration;
    for (double rho : {0.5, 0.7}) {
        const Plan p = selectTensors(m_cat, m_paper, m_size, rho, o);
        QVERIFY2(std::abs(p.share() - rho) < 0.01,
                 qPrintable(QString("rho %1: share %2").arg(rho).arg(p.share())));
        QCOMPARE(p.selector, std::string("paper-dp"));
    }
}

void TestSelector::infeasibleRhoNamesTheMinimum() {
    try {
        selectTensors(m_cat, m_exact, m_size, 0.3);
        QFAIL("expected InfeasibleRho");
    } catch (const InfeasibleRho& e) {
        // Forward alone is 1/3; reaching anything also pays the LM head's input gradient
        // (B*N*V*D, 1.6% of a step for OPT-2.7B) in exact accounting.
        QVERIFY2(e.minimumRho() > 1.0 / 3 && e.minimumRho() < 0.36,
                 qPrintable(QString::number(e.minimumRho())));
        QVERIFY2(QString(e.what()).contains("rho 0.3 is infeasible"), e.what());
        QVERIFY2(QString(e.what()).contains(QString::number(e.minimumRho(), 'f', 4)), e.what());
        // ... and the minimum itself is feasible.
        const Plan p = selectTensors(m_cat, m_exact, m_size, e.minimumRho() + 1e-9);
        QVERIFY(p.selectedCount() >= 1);
    }
}

void TestSelector::badArguments() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, selectTensors(m_cat, m_exact, m_size, 1.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             selectTensors(m_cat, m_exact, std::vector<double>(3, 1.0), 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSelector("greedy"));
}

void TestSelector::baselines() {
    const Plan full = fullFineTuningPlan(m_cat, m_exact);
    QCOMPARE(full.share(), 1.0);
    QCOMPARE(full.selectedCount(), static_cast<int>(m_cat.size()));
    const Plan top2 = topBlocksPlan(m_cat, m_paper, 2, TensorOrder::Registration);
    QCOMPARE(top2.selectedCount(), 2 * 16);
    // Backprop stops in block 30, so only the dY of the last two blocks and the head is paid.
    // (The paper's FT-Top2 figure, a 31% saving, charges every tensor's dY: method.md §6.3.)
    QCOMPARE(m_cat[top2.deepest].block, 30);
    QVERIFY2(top2.share() > 1.0 / 3 && top2.share() < 0.40,
             qPrintable(QString::number(top2.share())));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, topBlocksPlan(m_cat, m_exact, 33));
    const Plan fixed = fixedPlan(m_cat, m_exact, {"model.decoder.layers.31.fc2.weight"});
    QCOMPARE(fixed.selectedCount(), 1);
    QVERIFY(fixed.share() < 0.4);
    try {
        fixedPlan(m_cat, m_exact, {"model.decoder.layers.99.fc2.weight", "nope"});
        QFAIL("expected an error");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains("layers.99.fc2.weight, nope"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestSelector)
#include "tst_selector.moc"
