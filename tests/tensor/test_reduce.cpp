// Reductions over one, several or all axes, with keepdim, on known data and
// against loops written out here; zero-size dimensions; NaN; determinism of
// big (threaded) reductions.
#include <algorithm>
#include <cmath>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

using namespace iotgrad;
using namespace iotgrad::tensor;

namespace {
Tensor iota(const Shape& shape) { return Tensor::arange(numel_of(shape)).reshape(shape); }
// Irregular values with no ties.
Tensor sine(const Tensor& t) { return map(t, [](float x) { return std::sin(x); }); }
}  // namespace

TEST_CASE("sum over each axis and several axes and all axes of a 2x3x4 tensor", "[tensor][reduce]") {
    const Tensor a = iota({2, 3, 4});  // a[i][j][k] = 12i + 4j + k
    // Over axis 0: a[0] + a[1] = 2*(4j + k) + 12.
    const Tensor s0 = sum(a, {0});
    CHECK(s0.shape() == Shape{3, 4});
    for (int64_t j = 0; j < 3; ++j)
        for (int64_t k = 0; k < 4; ++k) CHECK(s0.at({j, k}) == static_cast<float>(2 * (4 * j + k) + 12));
    // Over axis 1: sum_j (12i + 4j + k) = 36i + 12 + 3k.
    const Tensor s1 = sum(a, {1});
    CHECK(s1.shape() == Shape{2, 4});
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t k = 0; k < 4; ++k) CHECK(s1.at({i, k}) == static_cast<float>(36 * i + 12 + 3 * k));
    // Over the last axis, by -1: 48i + 16j + 6.
    const Tensor s2 = sum(a, {-1});
    CHECK(s2.shape() == Shape{2, 3});
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 3; ++j) CHECK(s2.at({i, j}) == static_cast<float>(48 * i + 16 * j + 6));
    // Over axes 0 and 2: sum_i sum_k = 2*4*4j + 4*12 + 2*6 = 32j + 60.
    const Tensor s02 = sum(a, {2, 0});  // order does not matter
    CHECK(s02.shape() == Shape{3});
    CHECK(s02.to_vector() == std::vector<float>{60, 92, 124});
    CHECK(sum(a, {0, -1}).to_vector() == s02.to_vector());
    // All axes: 0 + 1 + ... + 23 = 276, as a rank-0 tensor.
    CHECK(sum(a).dim() == 0);
    CHECK(sum(a).item() == 276.0f);
    CHECK(sum(a, {}).item() == 276.0f);
    CHECK(sum(a, {0, 1, 2}).item() == 276.0f);
}

TEST_CASE("keepdim keeps reduced axes as size 1", "[tensor][reduce]") {
    const Tensor a = iota({2, 3, 4});
    CHECK(sum(a, {1}, true).shape() == Shape{2, 1, 4});
    CHECK(sum(a, {0, 2}, true).shape() == Shape{1, 3, 1});
    CHECK(sum(a, {}, true).shape() == Shape{1, 1, 1});
    CHECK(mean(a, {-1}, true).shape() == Shape{2, 3, 1});
    CHECK(max(a, {0}, true).shape() == Shape{1, 3, 4});
    CHECK(argmax(a, 1, true).shape() == Shape{2, 1, 4});
    CHECK(var(a, {1, 2}, true, true).shape() == Shape{2, 1, 1});
    // keepdim results broadcast back against the input.
    const Tensor centered = sub(a, mean(a, {2}, true));
    CHECK(sum(centered, {2}).to_vector() == std::vector<float>(6, 0.0f));
    CHECK(reduced_shape({2, 3, 4}, {-1, 0}, false) == Shape{3});
    CHECK(reduced_shape({2, 3, 4}, {1}, true) == Shape{2, 1, 4});
    CHECK(reduced_shape({2, 3, 4}, {}, false) == Shape{});
}

TEST_CASE("mean max and min on known data", "[tensor][reduce]") {
    const Tensor a = Tensor::from({2, 3}, {3, -1, 4, 1, 5, -9});
    CHECK(mean(a).item() == Approx(0.5f));
    CHECK(mean(a, {0}).to_vector() == std::vector<float>{2, 2, -2.5f});
    CHECK(mean(a, {1}).to_vector()[0] == Approx(2.0f));
    CHECK(mean(a, {1}).to_vector()[1] == Approx(-1.0f));
    CHECK(max(a).item() == 5.0f);
    CHECK(min(a).item() == -9.0f);
    CHECK(max(a, {0}).to_vector() == std::vector<float>{3, 5, 4});
    CHECK(min(a, {1}).to_vector() == std::vector<float>{-1, -9});
    CHECK(max(a, {-2, -1}).item() == 5.0f);
    // A rank-0 tensor reduces to itself.
    CHECK(sum(Tensor::scalar(2.5f)).item() == 2.5f);
    CHECK(max(Tensor::scalar(-2.5f)).item() == -2.5f);
    CHECK(mean(Tensor::scalar(2.5f)).item() == 2.5f);
}

TEST_CASE("argmax picks the first of tied maxima", "[tensor][reduce]") {
    const Tensor a = Tensor::from({3, 4}, {1, 7, 7, 2,    //
                                           5, 5, 5, 5,    //
                                           0, 1, 2, 3});
    CHECK(argmax(a, 1).to_vector() == std::vector<float>{1, 0, 3});
    CHECK(argmax(a, -1).to_vector() == std::vector<float>{1, 0, 3});
    CHECK(argmax(a, 0).to_vector() == std::vector<float>{1, 0, 0, 1});
    CHECK(argmax(a, 1, true).to_vector() == std::vector<float>{1, 0, 3});
    CHECK(argmax(Tensor::from({4}, {-3, -1, -1, -2}), 0).item() == 1.0f);
    // On a transposed view: columns of a.
    CHECK(argmax(a.t(), 1).to_vector() == std::vector<float>{1, 0, 0, 1});
}

TEST_CASE("max min and argmax propagate NaN", "[tensor][reduce]") {
    const Tensor a = Tensor::from({4}, {1, NAN, 3, 2});
    CHECK(std::isnan(max(a).item()));
    CHECK(std::isnan(min(a).item()));
    CHECK(std::isnan(max(Tensor::from({2}, {NAN, 1})).item()));  // NaN first, too
    CHECK(argmax(a, 0).item() == 1.0f);
    CHECK(argmax(Tensor::from({3}, {NAN, 5, NAN}), 0).item() == 0.0f);
    CHECK(std::isnan(sum(a).item()));
}

TEST_CASE("var is unbiased (n - 1) by default and biased (n) on request", "[tensor][reduce]") {
    const Tensor a = Tensor::from({4}, {1, 2, 3, 4});  // mean 2.5, squared deviations sum to 5
    CHECK(var(a, {}).item() == Approx(5.0f / 3.0f));
    CHECK(var(a, {}, false).item() == Approx(1.25f));
    const Tensor m = Tensor::from({2, 3}, {2, 4, 6, 1, 1, 1});
    CHECK(var(m, {1}).to_vector()[0] == Approx(4.0f));
    CHECK(var(m, {1}).to_vector()[1] == 0.0f);
    CHECK(var(m, {0}, false).to_vector() == std::vector<float>{0.25f, 2.25f, 6.25f});
    // Two passes in double: data far from zero keeps its small variance.
    // (E[x^2] - E[x]^2 in float would lose every digit here: x^2 ~ 1e8, float eps ~ 6e-8.)
    const Tensor far = Tensor::from({4}, {10000.1f, 10000.2f, 10000.3f, 10000.4f});
    double mu = 0, ss = 0;
    for (float x : far.to_vector()) mu += x / 4.0;
    for (float x : far.to_vector()) ss += (x - mu) * (x - mu);
    CHECK(ss / 3 == Approx(1.0 / 60.0).epsilon(0.01));  // the float inputs are only near .1, .2, ...
    CHECK(var(far, {0}).item() == Approx(ss / 3).epsilon(1e-5));
    // One element: the unbiased estimate divides by zero, giving NaN (like PyTorch); biased gives 0.
    CHECK(std::isnan(var(Tensor::from({1}, {3}), {0}).item()));
    CHECK(var(Tensor::from({1}, {3}), {0}, false).item() == 0.0f);
}

TEST_CASE("zero-size dimensions: empty sums are 0 and empty max throws", "[tensor][reduce]") {
    const Tensor e = Tensor::zeros({0});
    CHECK(sum(e).item() == 0.0f);
    CHECK(std::isnan(mean(e).item()));
    CHECK(std::isnan(var(e, {}).item()));
    CHECK_THROWS_AS(max(e), ShapeError);
    CHECK_THROWS_WITH(max(e), IOTGRAD_HAS("max") && IOTGRAD_HAS("[0]"));
    CHECK_THROWS_WITH(min(e), IOTGRAD_HAS("min") && IOTGRAD_HAS("zero-size"));
    CHECK_THROWS_WITH(argmax(e, 0), IOTGRAD_HAS("argmax") && IOTGRAD_HAS("[0]"));

    const Tensor m = Tensor::zeros({0, 3});
    CHECK(sum(m, {0}).to_vector() == std::vector<float>{0, 0, 0});  // three empty sums
    CHECK(sum(m, {1}).shape() == Shape{0});                      // no output elements
    CHECK(sum(m, {1}, true).shape() == Shape{0, 1});
    CHECK(max(m, {1}).shape() == Shape{0});  // reducing a non-empty axis is fine
    CHECK(argmax(m, 1).shape() == Shape{0});
    CHECK_THROWS_WITH(max(m, {0}), IOTGRAD_HAS("[0, 3]"));
    CHECK_THROWS_AS(min(m), ShapeError);
    CHECK(sum(m).item() == 0.0f);
}

TEST_CASE("reductions of non-contiguous views equal those of contiguous copies", "[tensor][reduce]") {
    const Tensor base = sine(iota({6, 8}));
    const std::vector<Tensor> views{base.t(), base.slice(1, 1, 8, 3), base.select(0, 2).unsqueeze(0).expand({4, 8}),
                                    base.reshape({2, 3, 8}).permute({2, 0, 1})};
    for (const Tensor& v : views) {
        const Tensor c = v.contiguous();
        CAPTURE(shape_str(v.shape()), shape_str(v.strides()));
        for (int64_t axis = 0; axis < v.dim(); ++axis) {
            CHECK(sum(v, {axis}).to_vector() == sum(c, {axis}).to_vector());
            CHECK(max(v, {axis}).to_vector() == max(c, {axis}).to_vector());
            CHECK(min(v, {axis}, true).to_vector() == min(c, {axis}, true).to_vector());
            CHECK(argmax(v, axis).to_vector() == argmax(c, axis).to_vector());
            CHECK(var(v, {axis}).to_vector() == var(c, {axis}).to_vector());
        }
        CHECK(mean(v).item() == mean(c).item());
    }
}

TEST_CASE("big reductions equal a serial double-accumulating loop exactly", "[tensor][reduce][parallel]") {
    // 1e6 elements: rows are reduced in parallel, each row by one thread in
    // index order, so the result is the serial loop's, bit for bit.
    const int64_t n = 1000;
    const Tensor a = sine(mul(iota({n, n}), 0.001f));
    const float* p = a.data();
    const std::vector<float> rows = sum(a, {1}).to_vector(), cols = sum(a, {0}).to_vector();
    const std::vector<float> maxes = max(a, {1}).to_vector();
    int64_t bad_rows = 0, bad_cols = 0, bad_max = 0;
    for (int64_t i = 0; i < n; ++i) {
        double r = 0, c = 0;
        float m = p[i * n];
        for (int64_t j = 0; j < n; ++j) {
            r += p[i * n + j];
            c += p[j * n + i];
            m = std::max(m, p[i * n + j]);
        }
        bad_rows += rows[static_cast<size_t>(i)] != static_cast<float>(r);
        bad_cols += cols[static_cast<size_t>(i)] != static_cast<float>(c);
        bad_max += maxes[static_cast<size_t>(i)] != m;
    }
    CHECK(bad_rows == 0);
    CHECK(bad_cols == 0);
    CHECK(bad_max == 0);
    double total = 0;
    for (int64_t i = 0; i < n * n; ++i) total += p[i];
    CHECK(sum(a).item() == static_cast<float>(total));
    CHECK(mean(a).item() == static_cast<float>(total / static_cast<double>(n * n)));
    // Run twice: same bits.
    CHECK(sum(a, {1}).to_vector() == rows);
    CHECK(var(a, {0}).to_vector() == var(a, {0}).to_vector());
}
