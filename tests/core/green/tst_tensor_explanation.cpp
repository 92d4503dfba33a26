// "Why this tensor": each figure of an explanation checked against an independent route — the
// cost a tensor adds against plannedStepMacs of the plan with and without it, the flip rho
// against plans on every grid point in between, the displacement against the pinned plan and
// its importance summed here, the rank against a sort — on a one-block OPT (20 tensors).
#include "core/green/budget.h"
#include "core/green/tensor_explanation.h"
#include "tests/support/one_block_opt.h"

#include <QTest>

#include <algorithm>
#include <numeric>

using namespace gt::green;
using gt::model::TensorCatalogue;

class TestTensorExplanation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addedCostIsWhatThePlanPaysForIt();
    void flipRhoIsTheNearestGridPointThatFlips();
    void pinningTheOtherWayShowsWhatMoves();
    void rankCountsOnlyUsefulTensors();
    void pinnedTensorsAreExplainedAsPins();
    void linesSayItInWords();

private:
    Plan plan(double rho, const SelectorOptions& o = {}) const {
        return selectTensors(m_cat, m_costs, m_importance, rho, o);
    }
    double macsOf(std::vector<uint8_t> selected) const {
        return plannedStepMacs(m_costs, backpropChain(m_cat, m_costs), selected);
    }
    gt::io::ModelConfig m_cfg;
    TensorCatalogue m_cat;
    CostTable m_costs;
    std::vector<double> m_importance;
};

void TestTensorExplanation::initTestCase() {
    m_cfg = gt::test::oneBlockOpt(); // 20 tensors
    m_cat = TensorCatalogue::fromConfig(m_cfg);
    m_costs = computeCosts(m_cat, m_cfg, {4, 64}, Accounting::Exact);
    for (size_t i = 0; i < m_cat.size(); ++i)
        m_importance.push_back(static_cast<double>(m_cat[i].numel()) * (1.0 + 0.001 * i));
    m_importance[3] = 0.0; // one useless tensor
}

void TestTensorExplanation::addedCostIsWhatThePlanPaysForIt() {
    const Plan p = plan(0.6);
    int checked[2] = {0, 0};
    for (int t = 0; t < int(m_cat.size()); ++t) {
        const TensorExplanation e = explainTensor(m_cat, m_costs, m_importance, p, {}, t);
        QCOMPARE(e.selected, bool(p.selected[t]));
        QCOMPARE(e.dwMacs, m_costs.costs[t].dw);
        std::vector<uint8_t> with = p.selected, without = p.selected;
        with[t] = 1, without[t] = 0;
        const double added = macsOf(with) - macsOf(without);
        QVERIFY2(std::abs(e.addedMacs() - added) <= 1e-9 * m_costs.fullStep(),
                 qPrintable(QString::fromStdString(m_cat[t].name)));
        QVERIFY(std::abs(e.shareOfStep - added / m_costs.fullStep()) < 1e-12);
        if (e.importance > 0)
            QVERIFY(std::abs(e.valuePerGMac - e.importance / (added / 1e9)) <
                    1e-9 * e.valuePerGMac);
        ++checked[e.selected];
    }
    QVERIFY(checked[0] > 0 && checked[1] > 0); // both kinds of tensor at this rho
}

void TestTensorExplanation::flipRhoIsTheNearestGridPointThatFlips() {
    const Plan p = plan(0.6);
    int flips = 0;
    for (int t = 0; t < int(m_cat.size()); ++t) {
        const TensorExplanation e = explainTensor(m_cat, m_costs, m_importance, p, {}, t);
        if (!e.selected && e.importance <= 0) {
            QVERIFY(!e.flipRho); // never chosen: there is nothing to flip
            continue;
        }
        const int step = e.selected ? -1 : 1;
        const int end = e.flipRho ? int(std::lround(*e.flipRho * 100)) : (e.selected ? 0 : 101);
        for (int k = 60 + step; k != end; k += step) {
            try {
                QCOMPARE(bool(plan(k / 100.0).selected[t]), e.selected);
            } catch (const InfeasibleRho&) {
                QVERIFY(e.selected && !e.flipRho); // below rho_min: kept down to the minimum
                break;
            }
        }
        if (e.flipRho) {
            QCOMPARE(bool(plan(*e.flipRho).selected[t]), !e.selected);
            QVERIFY(e.selected ? *e.flipRho < 0.6 : *e.flipRho > 0.6);
            ++flips;
        }
    }
    QVERIFY(flips > 0);
}

void TestTensorExplanation::pinningTheOtherWayShowsWhatMoves() {
    const Plan p = plan(0.6);
    int displaced = 0;
    for (int t = 0; t < int(m_cat.size()); ++t) {
        const TensorExplanation e = explainTensor(m_cat, m_costs, m_importance, p, {}, t);
        QVERIFY(e.swapComputed);
        SelectorOptions o;
        o.pins.state.assign(m_cat.size(), Pin::Free);
        o.pins.state[t] = e.selected ? Pin::Out : Pin::In;
        Plan other;
        try {
            other = plan(0.6, o);
        } catch (const PinsExceedBudget& x) {
            QVERIFY(e.pinNeedsRho && std::abs(*e.pinNeedsRho - x.minimumRho()) < 1e-12);
            QVERIFY(*e.pinNeedsRho > 0.6);
            continue;
        }
        QVERIFY(!e.pinNeedsRho);
        double kept = 0;
        for (size_t i = 0; i < m_cat.size(); ++i) {
            if (other.selected[i]) kept += m_importance[i];
            if (int(i) == t) continue;
            const auto out = std::find(e.swappedOut.begin(), e.swappedOut.end(), int(i));
            const auto in = std::find(e.swappedIn.begin(), e.swappedIn.end(), int(i));
            QCOMPARE(out != e.swappedOut.end(), p.selected[i] && !other.selected[i]);
            QCOMPARE(in != e.swappedIn.end(), !p.selected[i] && other.selected[i]);
        }
        QVERIFY(std::abs(e.importanceLoss - (p.importance - kept)) < 1e-9 * p.importance);
        displaced += int(e.swappedOut.size());
    }
    QVERIFY(displaced > 0);
}

void TestTensorExplanation::rankCountsOnlyUsefulTensors() {
    const Plan p = plan(0.6);
    std::vector<double> useful;
    for (double v : m_importance)
        if (v > 0) useful.push_back(v);
    std::sort(useful.rbegin(), useful.rend());
    for (int t = 0; t < int(m_cat.size()); ++t) {
        const TensorExplanation e = explainTensor(m_cat, m_costs, m_importance, p, {}, t);
        QCOMPARE(e.usefulCount, int(useful.size()));
        if (m_importance[t] <= 0) {
            QCOMPARE(e.importanceRank, 0);
            continue;
        }
        const auto at = std::find(useful.begin(), useful.end(), m_importance[t]);
        QCOMPARE(e.importanceRank, int(at - useful.begin()) + 1);
    }
}

void TestTensorExplanation::pinnedTensorsAreExplainedAsPins() {
    SelectorOptions o;
    o.pins.state.assign(m_cat.size(), Pin::Free);
    o.pins.state[0] = Pin::In;
    o.pins.state[1] = Pin::Out;
    const Plan p = plan(0.9, o);
    const auto in = explainTensor(m_cat, m_costs, m_importance, p, o, 0);
    QCOMPARE(in.pin, Pin::In);
    QVERIFY(in.selected && !in.flipRho && !in.swapComputed);
    const auto out = explainTensor(m_cat, m_costs, m_importance, p, o, 1);
    QCOMPARE(out.pin, Pin::Out);
    QVERIFY(!out.selected && !out.flipRho && !out.swapComputed);
    QVERIFY(explanationLines(in, m_cat, p)[0].find("pinned in") != std::string::npos);
    // the paper's DP: the figures, but no re-planning
    SelectorOptions paper;
    paper.kind = SelectorKind::PaperDp;
    const Plan pp = plan(0.6, paper);
    const auto e = explainTensor(m_cat, m_costs, m_importance, pp, paper, 5);
    QVERIFY(!e.flipRho && !e.swapComputed && e.dwMacs > 0);
    QCOMPARE(explanationLines(e, m_cat, pp).back(),
             std::string("what would flip it: with the exact DP selector"));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                             explainTensor(m_cat, m_costs, m_importance, p, o, int(m_cat.size())));
}

void TestTensorExplanation::linesSayItInWords() {
    const Plan p = plan(0.6);
    bool sawNeeds = false, sawDisplace = false;
    for (int t = 0; t < int(m_cat.size()); ++t) {
        const auto e = explainTensor(m_cat, m_costs, m_importance, p, {}, t);
        std::string all;
        for (const auto& l : explanationLines(e, m_cat, p))
            all += l + "\n";
        QVERIFY(all.rfind(m_cat[t].name + " — ", 0) == 0);
        QVERIFY(all.find("at rho 0.60") != std::string::npos);
        if (!e.selected && e.flipRho) {
            char want[64];
            std::snprintf(want, sizeof want, "needs rho >= %.2f to be chosen", *e.flipRho);
            QVERIFY2(all.find(want) != std::string::npos, all.c_str());
            sawNeeds = true;
        }
        if (!e.selected && !e.swappedOut.empty()) {
            QVERIFY2(all.find("would displace " + m_cat[e.swappedOut[0]].name) != std::string::npos,
                     all.c_str());
            sawDisplace = true;
        }
        if (m_importance[t] <= 0)
            QVERIFY(all.find("never trained unless pinned in") != std::string::npos);
    }
    QVERIFY(sawNeeds && sawDisplace);
}

QTEST_GUILESS_MAIN(TestTensorExplanation)
#include "tst_tensor_explanation.moc"
