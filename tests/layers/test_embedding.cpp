// Embedding: row lookup by integer index of any shape, PyTorch's layout and
// N(0, 1) init, and gradients that add up for repeated indices.
#include <cmath>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/embedding.hpp"

using namespace iotgrad;
using iotgrad::testing::check_values;

TEST_CASE("Embedding looks up rows for indices of any shape", "[layers][embedding]") {
    Generator gen(0);
    nn::Embedding emb(4, 2, gen);
    emb.weight.value().copy_(Tensor::from({4, 2}, {0, 1, 10, 11, 20, 21, 30, 31}));
    const Variable y = emb(Tensor::from({2, 2}, {0, 2, 2, 3}));
    check_values(y.value(), {2, 2, 2}, {0, 1, 20, 21, 20, 21, 30, 31});
    check_values(emb(Tensor::from({1}, {1})).value(), {1, 2}, {10, 11});
    CHECK(emb(Variable(Tensor::from({3}, {3, 3, 0}))).shape() == Shape{3, 2});

    // Row 2 was picked twice: it collects both positions' gradients.
    sum(y * Variable(Tensor::arange(8).reshape({2, 2, 2}))).backward();
    check_values(emb.weight.grad(), {4, 2}, {0, 1, 0, 0, 2 + 4, 3 + 5, 6, 7});
}

TEST_CASE("Embedding has PyTorch's layout, name and N(0, 1) init", "[layers][embedding]") {
    Generator gen(1);
    nn::Embedding emb(100, 50, gen);
    CHECK(emb.weight.shape() == Shape{100, 50});
    CHECK(emb.named_parameters()[0].first == "weight");
    CHECK(emb.extra_repr() == "100, 50");
    double mean = 0, sq = 0;
    const std::vector<float> w = emb.weight.value().to_vector();
    for (float v : w) mean += v, sq += double(v) * v;
    mean /= w.size();
    CHECK(std::fabs(mean) < 0.05);
    CHECK(std::sqrt(sq / w.size() - mean * mean) == Approx(1).margin(0.05));
}

TEST_CASE("Embedding rejects indices out of range or not integers", "[layers][embedding]") {
    Generator gen(0);
    nn::Embedding emb(10, 3, gen);
    CHECK_THROWS_AS(emb(Tensor::from({2}, {1, 10})), ShapeError);
    CHECK_THROWS_WITH(emb(Tensor::from({2}, {1, 10})), IOTGRAD_HAS("Embedding(10, 3)"));
    CHECK_THROWS_AS(emb(Tensor::from({1}, {-1})), ShapeError);
    CHECK_THROWS_AS(emb(Tensor::from({1}, {1.5f})), std::invalid_argument);
}

TEST_CASE("Embedding's gradient matches finite differences", "[layers][embedding][gradcheck]") {
    Generator gen(2);
    nn::Embedding emb(5, 3, gen);
    const Tensor idx = Tensor::from({2, 3}, {4, 0, 4, 1, 1, 2});
    const auto r = gradcheck([&](const std::vector<Variable>&) { return emb(idx); }, {emb.weight});
    INFO(r.message);
    CHECK(r.ok);
}
