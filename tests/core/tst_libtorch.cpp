// LibTorch as the engine uses it: forward and backward of a small network against hand-derived
// gradients, and the thread count the core configures (Debian's LibTorch starts with 1).
#include "core/model/threads.h"

#include <torch/torch.h>

#include <QTest>

class TestLibTorch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linearForwardBackwardMatchesAnalyticGradient();
    void twoLayerNetworkGradientsMatchFiniteDifferences();
    void configureThreadsSetsTheRequestedCount();
};

// y = x W^T + b, L = sum(y^2)/2  =>  dL/dW = (xW^T+b)^T x, dL/db = sum_rows(xW^T+b).
void TestLibTorch::linearForwardBackwardMatchesAnalyticGradient() {
    torch::manual_seed(7);
    torch::nn::Linear lin(4, 3);
    const auto x = torch::randn({5, 4});
    const auto y = lin(x);
    const auto loss = y.square().sum() / 2;
    loss.backward();
    const auto yd = y.detach();
    QVERIFY(torch::allclose(lin->weight.grad(), yd.t().mm(x), 1e-5, 1e-6));
    QVERIFY(torch::allclose(lin->bias.grad(), yd.sum(0), 1e-5, 1e-6));
}

void TestLibTorch::twoLayerNetworkGradientsMatchFiniteDifferences() {
    torch::manual_seed(11);
    auto opts = torch::TensorOptions().dtype(torch::kFloat64);
    auto w1 = torch::randn({6, 3}, opts).requires_grad_();
    auto w2 = torch::randn({2, 6}, opts).requires_grad_();
    const auto x = torch::randn({4, 3}, opts);
    auto f = [&] { return torch::gelu(x.mm(w1.t())).mm(w2.t()).tanh().sum(); };
    f().backward();
    const auto analytic = w1.grad().clone();
    torch::NoGradGuard guard;
    const double eps = 1e-6;
    for (int64_t i = 0; i < w1.numel(); ++i) {
        auto flat = w1.view(-1);
        const double orig = flat[i].item<double>();
        flat[i] = orig + eps;
        const double up = f().item<double>();
        flat[i] = orig - eps;
        const double down = f().item<double>();
        flat[i] = orig;
        QVERIFY2(std::abs((up - down) / (2 * eps) - analytic.view(-1)[i].item<double>()) < 1e-6,
                 qPrintable(QString("element %1").arg(i)));
    }
}

void TestLibTorch::configureThreadsSetsTheRequestedCount() {
    QCOMPARE(gt::model::configureTorchThreads(1), 1);
    QCOMPARE(at::get_num_threads(), 1);
    const int all = gt::model::configureTorchThreads(0);
    QCOMPARE(all, gt::model::hardwareThreads());
    QVERIFY(all >= 1);
}

QTEST_GUILESS_MAIN(TestLibTorch)
#include "tst_libtorch.moc"
