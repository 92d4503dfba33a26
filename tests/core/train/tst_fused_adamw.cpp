// The fused AdamW against LibTorch's own: the same parameters and moments after several
// steps (two parameter groups with their own learning rate and weight decay, a tensor that
// skips a step, one that is not contiguous and so takes the stock path), and its state is
// the stock state type, so a stock optimizer can continue from it.
#include "core/train/fused_adamw.h"

#include <QTest>

class TestFusedAdamW : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTheStockOptimizer();
    void nonContiguousTakesTheStockPath();

private:
    static std::vector<torch::Tensor> params(int seed) {
        torch::manual_seed(seed);
        return {torch::randn({300, 70}).requires_grad_(), torch::randn({70}).requires_grad_(),
                torch::randn({4096}).requires_grad_()};
    }
    static void grads(const std::vector<torch::Tensor>& ps, int step) {
        torch::manual_seed(1000 + step);
        for (size_t i = 0; i < ps.size(); ++i)
            ps[i].mutable_grad() = (i == 1 && step == 2) ? torch::Tensor() // skips a step
                                                         : torch::randn_like(ps[i]);
    }
};

void TestFusedAdamW::matchesTheStockOptimizer() {
    auto a = params(1), b = params(1);
    auto options = [](double lr, double wd) {
        return std::make_unique<torch::optim::AdamWOptions>(
            torch::optim::AdamWOptions(lr).weight_decay(wd).betas({0.85, 0.99}).eps(1e-6));
    };
    auto groups = [&](std::vector<torch::Tensor>& ps) {
        return std::vector<torch::optim::OptimizerParamGroup>{
            torch::optim::OptimizerParamGroup({ps[0], ps[1]}, options(1e-2, 0.1)),
            torch::optim::OptimizerParamGroup({ps[2]}, options(3e-3, 0.0))};
    };
    torch::optim::AdamW stock(groups(a), torch::optim::AdamWOptions(1e-3));
    gt::train::FusedAdamW fused(groups(b), torch::optim::AdamWOptions(1e-3));
    for (int step = 0; step < 6; ++step) {
        grads(a, step);
        grads(b, step);
        stock.step();
        fused.step();
    }
    for (size_t i = 0; i < a.size(); ++i) {
        QVERIFY2(torch::allclose(a[i], b[i], 1e-6, 1e-7), qPrintable(QString::number(i)));
        const auto key = [](const torch::Tensor& p) {
            return c10::guts::to_string(p.unsafeGetTensorImpl());
        };
        const auto& sa = static_cast<torch::optim::AdamWParamState&>(*stock.state().at(key(a[i])));
        const auto& sb = static_cast<torch::optim::AdamWParamState&>(*fused.state().at(key(b[i])));
        QCOMPARE(sb.step(), sa.step());
        // Moments of O(1): ATen's vector kernels fuse multiply-adds (one rounding), this loop
        // rounds twice, and m*b1 + (1-b1)*g cancels when the signs differ, so compare to a
        // few float32 ulps of the magnitude (1e-6) rather than of each element.
        QVERIFY(torch::allclose(sa.exp_avg(), sb.exp_avg(), 1e-6, 1e-6));
        QVERIFY(torch::allclose(sa.exp_avg_sq(), sb.exp_avg_sq(), 1e-6, 1e-7));
    }
    QCOMPARE(static_cast<torch::optim::AdamWParamState&>(
                 *fused.state().at(c10::guts::to_string(b[1].unsafeGetTensorImpl())))
                 .step(),
             int64_t{5});                       // the skipped step did not count
    QVERIFY(!torch::equal(a[0], params(1)[0])); // the parameters did move
}

void TestFusedAdamW::nonContiguousTakesTheStockPath() {
    torch::manual_seed(3);
    auto base = torch::randn({64, 32});
    auto a = base.clone().t().requires_grad_(); // a transposed view: not contiguous
    auto b = base.clone().t().requires_grad_();
    QVERIFY(!b.is_contiguous());
    torch::optim::AdamW stock({a}, torch::optim::AdamWOptions(1e-2).weight_decay(0.01));
    gt::train::FusedAdamW fused({b}, torch::optim::AdamWOptions(1e-2).weight_decay(0.01));
    for (int step = 0; step < 3; ++step) {
        torch::manual_seed(step);
        a.mutable_grad() = torch::randn_like(a);
        torch::manual_seed(step);
        b.mutable_grad() = torch::randn_like(b);
        stock.step();
        fused.step();
    }
    QVERIFY(torch::equal(a, b));
}

QTEST_GUILESS_MAIN(TestFusedAdamW)
#include "tst_fused_adamw.moc"
