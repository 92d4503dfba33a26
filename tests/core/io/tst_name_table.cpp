// One table per enum, read both ways; aliases parse but never print; errors list the choices.
#include "core/green/cost_model.h"
#include "core/green/selector.h"
#include "core/io/name_table.h"
#include "core/store/run_records.h"
#include "core/train/train_options.h"

#include <QTest>

using namespace gt;

class TestNameTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsAndAliases();
    void unknownNameListsTheChoices();
    void projectEnumsRoundTrip();
};

namespace {
enum class Colour { Red, Green };
constexpr io::NameTable kColours("colour",
                                 std::array<io::EnumName<Colour>, 3>{{{Colour::Red, "red"},
                                                                      {Colour::Green, "green"},
                                                                      {Colour::Green, "verde"}}});
} // namespace

void TestNameTable::roundTripsAndAliases() {
    QCOMPARE(kColours.name(Colour::Green), std::string("green")); // the first spelling prints
    QCOMPARE(kColours.parse("verde"), Colour::Green);
    QCOMPARE(kColours.parse("red"), Colour::Red);
    QCOMPARE(kColours.choices(), std::string("red, green or verde"));
}

void TestNameTable::unknownNameListsTheChoices() {
    try {
        kColours.parse("blue");
        QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(std::string(e.what()),
                 std::string("unknown colour 'blue' (expected red, green or verde)"));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kColours.parse("Red")); // case matters
}

void TestNameTable::projectEnumsRoundTrip() {
    using namespace gt::green;
    for (auto a : {Accounting::Paper, Accounting::Exact})
        QCOMPARE(parseAccounting(accountingName(a)), a);
    for (auto o : {TensorOrder::Registration, TensorOrder::Execution})
        QCOMPARE(parseOrder(orderName(o)), o);
    for (auto k : {SelectorKind::ExactDp, SelectorKind::PaperDp})
        QCOMPARE(parseSelector(selectorName(k)), k);
    QCOMPARE(parseSelector("paper"), SelectorKind::PaperDp); // the CLI's short spelling
    using gt::train::Method;
    for (auto m : {Method::Full, Method::GreenTrainer, Method::TopBlocks, Method::Lora})
        QCOMPARE(gt::train::parseMethod(gt::train::methodName(m)), m);
    QCOMPARE(gt::train::methodName(gt::train::parseMethod("top-k")), std::string("top-k-blocks"));
    using gt::store::RunStatus;
    for (auto s : {RunStatus::Running, RunStatus::Finished, RunStatus::Stopped, RunStatus::Failed,
                   RunStatus::Interrupted})
        QCOMPARE(gt::store::parseStatus(gt::store::statusName(s)), s);
}

QTEST_GUILESS_MAIN(TestNameTable)
#include "tst_name_table.moc"
