// The fused replacements inside the models against the plain LibTorch they stand for:
// the attention-score clamp (HF's torch.max with finfo.min) with maximum()'s exact gradient,
// and the tied-embedding lookup whose sparse gradient lands in the LM head's dense one.
#include "core/model/layers.h"

#include <QTest>

#include <limits>

using namespace gt;

class TestLayers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clampMatchesMaximumExactly();
    void tiedLookupGradientEqualsTheDenseOne();
};

void TestLayers::clampMatchesMaximumExactly() {
    const float lowest = std::numeric_limits<float>::lowest();
    torch::manual_seed(7);
    auto base = torch::randn({2, 3, 16, 16});
    // ties at the minimum (fully masked rows) and -inf (a key both future and padding)
    base.index_put_({0, 1}, lowest);
    base.index_put_({1, 2, 5}, -std::numeric_limits<float>::infinity());
    base.index_put_({1, 0, 3, 7}, lowest);
    for (bool contiguous : {true, false}) {
        auto a = (contiguous ? base.clone() : base.clone().transpose(2, 3)).requires_grad_();
        auto b = (contiguous ? base.clone() : base.clone().transpose(2, 3)).requires_grad_();
        QCOMPARE(a.is_contiguous(), contiguous);
        auto want = torch::maximum(a, torch::tensor(lowest));
        auto got = model::clampToMaskValue(b);
        QVERIFY(torch::equal(want, got));
        auto g = torch::randn_like(want);
        want.backward(g);
        got.backward(g);
        QVERIFY(torch::equal(a.grad(), b.grad()));
    }
}

void TestLayers::tiedLookupGradientEqualsTheDenseOne() {
    torch::manual_seed(3);
    for (bool withPadding : {false, true}) {
        auto o = torch::nn::EmbeddingOptions(50, 8);
        if (withPadding) o.padding_idx(1);
        torch::nn::Embedding dense(o), tied(o);
        tied->weight.data().copy_(dense->weight.data());
        auto ids = torch::tensor({{1, 4, 4, 9}, {0, 1, 49, 4}}, torch::kLong);
        auto headInput = torch::randn({2, 4, 8});
        auto loss = [&](torch::nn::Embedding& e, const torch::Tensor& x) {
            // the lookup and the LM head both use the weight, as in a tied model
            return ((x + headInput).matmul(e->weight.t()).log_softmax(-1) * 0.3).sum();
        };
        loss(dense, dense(ids)).backward();
        loss(tied, model::tiedEmbeddingLookup(tied, ids)).backward();
        QVERIFY(!tied->weight.grad().is_sparse());
        QVERIFY(torch::allclose(dense->weight.grad(), tied->weight.grad(), 1e-6, 1e-6));
    }
}

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"
