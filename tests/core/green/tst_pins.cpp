// Pinned tensors: patterns resolve to the tensors they name (errors name the pattern and show
// real names), and the exact selector with pins is the true optimum among the selections that
// train every pinned-in tensor and no pinned-out one, checked by brute force over all 2^20
// selections of a one-block OPT, never over budget, with a clear error when the pins alone
// exceed it.
#include "core/green/budget.h"
#include "core/green/selector.h"
#include "tests/support/one_block_opt.h"

#include <QTest>

using namespace gt::green;
using gt::model::TensorCatalogue;

class TestPins : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void patternsNameTheirTensors();
    void badPatternsAreExplained();
    void exactNamePatternMatchesOneTensor();
    void pinnedPlansAreTheOptimumAroundThePins();
    void pinsBeyondTheBudgetSayByHowMuch();
    void pinsNeedTheExactSelector();

private:
    gt::io::ModelConfig m_cfg;
    TensorCatalogue m_cat;
    CostTable m_costs;
    std::vector<double> m_importance;
};

void TestPins::initTestCase() {
    m_cfg = gt::test::oneBlockOpt(); // 20 tensors
    m_cat = TensorCatalogue::fromConfig(m_cfg);
    QCOMPARE(m_cat.size(), size_t{20});
    m_costs = computeCosts(m_cat, m_cfg, {4, 64}, Accounting::Exact);
    for (size_t i = 0; i < m_cat.size(); ++i) // distinct values: no ties
        m_importance.push_back(static_cast<double>(m_cat[i].numel()) * (1.0 + 0.001 * i));
}

void TestPins::patternsNameTheirTensors() {
    const Pins pins = pinsFromPatterns(m_cat, {"layers\\.0\\.fc1\\."}, {"self_attn\\.(q|k)_proj"});
    QCOMPARE(pins.state.size(), m_cat.size());
    for (size_t i = 0; i < m_cat.size(); ++i) {
        const std::string& n = m_cat[i].name;
        const Pin want =
            n.find("layers.0.fc1.") != std::string::npos ? Pin::In
            : n.find("q_proj") != std::string::npos || n.find("k_proj") != std::string::npos
                ? Pin::Out
                : Pin::Free;
        QVERIFY2(pins.state[i] == want, n.c_str());
    }
    QCOMPARE(pins.count(Pin::In), 2);  // weight and bias
    QCOMPARE(pins.count(Pin::Out), 4); // q and k, weights and biases
    QVERIFY(!pinsFromPatterns(m_cat, {}, {}).any());
}

void TestPins::badPatternsAreExplained() {
    try {
        pinsFromPatterns(m_cat, {"decoder\\.layers\\.7\\."}, {});
        QFAIL("a pattern that matches nothing was accepted");
    } catch (const PinError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("--include 'decoder\\.layers\\.7\\.'") != std::string::npos, e.what());
        QVERIFY2(what.find(m_cat[0].name) != std::string::npos, e.what()); // real names
    }
    QVERIFY_THROWS_EXCEPTION(PinError, pinsFromPatterns(m_cat, {"fc1"}, {"layers\\.0\\.fc1"}));
    try {
        pinsFromPatterns(m_cat, {}, {"fc1("});
        QFAIL("a broken regular expression was accepted");
    } catch (const PinError& e) {
        QVERIFY2(std::string(e.what()).find("--exclude 'fc1(': not a regular expression") !=
                     std::string::npos,
                 e.what());
    }
}

void TestPins::exactNamePatternMatchesOneTensor() {
    for (size_t i = 0; i < m_cat.size(); ++i) {
        const Pins pins = pinsFromPatterns(m_cat, {exactNamePattern(m_cat[i].name)}, {});
        QCOMPARE(pins.count(Pin::In), 1);
        QVERIFY(pins.state[i] == Pin::In);
    }
    QCOMPARE(exactNamePattern("a.b(c)"), std::string("^a\\.b\\(c\\)$"));
}

void TestPins::pinnedPlansAreTheOptimumAroundThePins() {
    const std::vector<int> chain = backpropChain(m_cat, m_costs);
    // pin in fc1 of the only block (deep: backprop must reach it), pin out the LM head side's
    // most valuable tensor
    const int fc1 = m_cat.find("model.decoder.layers.0.fc1.weight");
    const int embed = m_cat.find("model.decoder.embed_tokens.weight");
    QVERIFY(fc1 >= 0 && embed >= 0);
    SelectorOptions o;
    o.pins.state.assign(m_cat.size(), Pin::Free);
    o.pins.state[fc1] = Pin::In;
    o.pins.state[embed] = Pin::Out;
    std::vector<uint8_t> sel(m_cat.size());
    struct Selection {
        double cost, value;
        int count;
    };
    std::vector<Selection> allowed; // the selections the pins allow
    for (uint32_t mask = 0; mask < (1u << 20); ++mask) {
        if (!((mask >> fc1) & 1u) || ((mask >> embed) & 1u)) continue;
        Selection s{0, 0, 0};
        for (size_t i = 0; i < m_cat.size(); ++i) {
            sel[i] = (mask >> i) & 1u;
            s.value += sel[i] ? m_importance[i] : 0.0;
            s.count += sel[i];
        }
        s.cost = plannedStepMacs(m_costs, chain, sel);
        allowed.push_back(s);
    }
    double cheapest = 1e300;
    for (const Selection& s : allowed)
        cheapest = std::min(cheapest, s.cost);
    const double unit = m_costs.backwardTotal() / 10000;
    int checked = 0;
    for (int percent = 30; percent <= 100; ++percent) {
        const double rho = percent / 100.0, budget = rho * m_costs.fullStep();
        if (budget < cheapest) {
            QVERIFY_THROWS_EXCEPTION(PinsExceedBudget,
                                     selectTensors(m_cat, m_costs, m_importance, rho, o));
            continue;
        }
        const Plan p = selectTensors(m_cat, m_costs, m_importance, rho, o);
        QVERIFY(p.selected[fc1] && !p.selected[embed]);
        QVERIFY(p.plannedMacs <= budget * (1 + 1e-12));
        double optimum = 0, rounded = 0;
        for (const Selection& s : allowed) {
            if (s.cost <= budget) optimum = std::max(optimum, s.value);
            if (s.cost + (s.count + 2) * unit <= budget) rounded = std::max(rounded, s.value);
        }
        QVERIFY(p.importance <= optimum * (1 + 1e-12));
        QVERIFY2(p.importance >= rounded * (1 - 1e-12),
                 qPrintable(QString("rho %1: %2 below the rounded optimum %3")
                                .arg(rho)
                                .arg(p.importance)
                                .arg(rounded)));
        ++checked;
    }
    QVERIFY(checked > 30);
}

void TestPins::pinsBeyondTheBudgetSayByHowMuch() {
    SelectorOptions o;
    o.pins = pinsFromPatterns(m_cat, {"embed_tokens"}, {}); // the input end: reach everything
    const std::vector<int> chain = backpropChain(m_cat, m_costs);
    std::vector<uint8_t> sel(m_cat.size(), 0);
    sel[m_cat.find("model.decoder.embed_tokens.weight")] = 1;
    const double need = plannedStepMacs(m_costs, chain, sel) / m_costs.fullStep();
    try {
        selectTensors(m_cat, m_costs, m_importance, need - 0.05, o);
        QFAIL("pins over budget were accepted");
    } catch (const PinsExceedBudget& e) {
        QVERIFY(std::abs(e.minimumRho() - need) < 1e-12);
        QVERIFY2(std::string(e.what()).find("pinned-in tensor cost rho") != std::string::npos,
                 e.what());
        QVERIFY2(std::string(e.what()).find("0.0500 over") != std::string::npos, e.what());
    }
    const Plan p = selectTensors(m_cat, m_costs, m_importance, need, o); // exactly enough
    QVERIFY(p.selected[m_cat.find("model.decoder.embed_tokens.weight")]);
    QVERIFY(p.plannedMacs <= need * p.fullMacs * (1 + 1e-12));
}

void TestPins::pinsNeedTheExactSelector() {
    SelectorOptions o;
    o.kind = SelectorKind::PaperDp;
    o.pins = pinsFromPatterns(m_cat, {"fc2"}, {});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             selectTensors(m_cat, m_costs, m_importance, 0.8, o));
    o.kind = SelectorKind::ExactDp;
    o.pins.state.pop_back(); // pins of another model
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             selectTensors(m_cat, m_costs, m_importance, 0.8, o));
}

QTEST_MAIN(TestPins)
#include "tst_pins.moc"
