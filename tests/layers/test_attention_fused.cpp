// MultiheadAttention's fused path (no mask, no dropout, no weights requested:
// one `attention` node) against its plain path (scaled_dot_product_attention
// built from matmul and softmax, taken when the weights are requested).
#include <cmath>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/attention.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

TEST_CASE("fused multi-head attention equals the plain path, values and gradients", "[layers][attention][fused]") {
    Generator gen(21);
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(8, 2).batch_first(true), gen);
    const Tensor x = Tensor::randn({3, 5, 8}, gen), up = Tensor::randn({3, 5, 8}, gen);
    auto run = [&](bool need_weights) {
        mha.zero_grad();
        Variable xv(x.clone(), true);
        nn::AttentionOutput out = mha.forward(xv, xv, xv, {}, need_weights);
        CHECK(out.weights.defined() == need_weights);
        out.output.backward(up);
        std::vector<Tensor> r{out.output.value(), xv.grad()};
        for (const Variable& p : mha.parameters()) r.push_back(p.grad());
        return r;
    };
    const std::vector<Tensor> fast = run(false), plain = run(true);
    REQUIRE(fast.size() == plain.size());
    for (size_t i = 0; i < fast.size(); ++i) {
        INFO("item " << i << " (0 = output, 1 = dL/dx, then the parameters' gradients)");
        CHECK(tensor::allclose(fast[i], plain[i], 1e-4f, 1e-5f));
    }
}

TEST_CASE("attention op equals softmax(s Q K^T) V by hand on one query", "[layers][attention][fused]") {
    // One query [1, 0] against keys [1, 0] and [0, 1] with scale 1:
    // weights softmax([1, 0]) = [e/(e+1), 1/(e+1)], output their mix of v = [[2], [4]].
    const Variable q(Tensor::from({1, 1, 2}, {1, 0})), k(Tensor::from({1, 2, 2}, {1, 0, 0, 1})),
        v(Tensor::from({1, 2, 1}, {2, 4}));
    const double e = std::exp(1.0), w0 = e / (e + 1), w1 = 1 / (e + 1);
    CHECK(attention(q, k, v, 1.0f).value().item() == Approx(2 * w0 + 4 * w1));
    CHECK_THROWS_WITH(attention(q, k, Variable(Tensor::zeros({1, 3, 1})), 1.0f), IOTGRAD_HAS("attention"));
}
