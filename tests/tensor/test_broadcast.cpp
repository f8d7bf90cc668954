// Elementwise ops with NumPy broadcasting. Results are compared with a
// reference that computes each output element from its own index with at()
// (no strided loops), over many shape pairs, on contiguous tensors and on
// transposed, strided and expanded views, small and big (threaded) sizes.
#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/elementwise.hpp"
#include "tensor/parallel.hpp"
#include "tensor/reduce.hpp"

using namespace iotgrad;
using namespace iotgrad::tensor;

namespace {
using Binary = std::function<float(float, float)>;

// Row-major multi-index of flat position i in shape.
std::vector<int64_t> unravel(int64_t i, const Shape& shape) {
    std::vector<int64_t> idx(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        idx[d] = i % shape[d];
        i /= shape[d];
    }
    return idx;
}

// The element of `t` that output index `out_idx` (of rank >= t's) reads under broadcasting.
float broadcast_at(const Tensor& t, const std::vector<int64_t>& out_idx) {
    const size_t lead = out_idx.size() - static_cast<size_t>(t.dim());
    std::vector<int64_t> idx(static_cast<size_t>(t.dim()));
    for (size_t d = 0; d < idx.size(); ++d) idx[d] = t.shape()[d] == 1 ? 0 : out_idx[lead + d];
    return t.at(idx);
}

Tensor reference(const Tensor& a, const Tensor& b, const Shape& out_shape, const Binary& f) {
    Tensor out = Tensor::zeros(out_shape);
    for (int64_t i = 0; i < out.numel(); ++i) {
        const std::vector<int64_t> idx = unravel(i, out_shape);
        out.at(idx) = f(broadcast_at(a, idx), broadcast_at(b, idx));
    }
    return out;
}

// Distinct, nonzero, mixed-sign values so that a wrong pairing shows.
Tensor values(const Shape& shape, float seed) {
    Tensor t = Tensor::zeros(shape);
    float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = std::sin(seed + 0.7f * static_cast<float>(i)) * 3.0f + 0.01f;
    return t;
}

struct NamedOp {
    const char* name;
    Tensor (*op)(const Tensor&, const Tensor&);
    Binary f;
};

const std::vector<NamedOp>& binary_ops() {
    static const std::vector<NamedOp> ops{
        {"add", add, [](float x, float y) { return x + y; }},
        {"sub", sub, [](float x, float y) { return x - y; }},
        {"mul", mul, [](float x, float y) { return x * y; }},
        {"div", div, [](float x, float y) { return x / y; }},
        {"maximum", maximum, [](float x, float y) { return std::max(x, y); }},
        {"minimum", minimum, [](float x, float y) { return std::min(x, y); }},
        {"pow", tensor::pow, [](float x, float y) { return std::pow(std::fabs(x), y); }},
        {"eq", eq, [](float x, float y) { return float(x == y); }},
        {"ne", ne, [](float x, float y) { return float(x != y); }},
        {"lt", lt, [](float x, float y) { return float(x < y); }},
        {"le", le, [](float x, float y) { return float(x <= y); }},
        {"gt", gt, [](float x, float y) { return float(x > y); }},
        {"ge", ge, [](float x, float y) { return float(x >= y); }},
    };
    return ops;
}

// Exact comparison (both sides do the same float operation on the same inputs).
void check_same(const Tensor& got, const Tensor& want) {
    REQUIRE(got.shape() == want.shape());
    const std::vector<float> g = got.to_vector(), w = want.to_vector();
    int64_t mismatches = 0, first = -1;
    for (size_t i = 0; i < g.size(); ++i)
        if (std::isnan(w[i]) ? !std::isnan(g[i]) : g[i] != w[i]) {
            if (first < 0) first = static_cast<int64_t>(i);
            ++mismatches;
        }
    CAPTURE(first);
    CHECK(mismatches == 0);
}
}  // namespace

TEST_CASE("broadcast_shapes aligns on the right and stretches size 1", "[tensor][broadcast]") {
    CHECK(broadcast_shapes({3}, {2, 3}, "add") == Shape{2, 3});
    CHECK(broadcast_shapes({2, 1, 4}, {3, 1}, "add") == Shape{2, 3, 4});
    CHECK(broadcast_shapes({}, {2, 3}, "add") == Shape{2, 3});
    CHECK(broadcast_shapes({2, 3}, {}, "add") == Shape{2, 3});
    CHECK(broadcast_shapes({}, {}, "add") == Shape{});
    CHECK(broadcast_shapes({5, 1, 1}, {1, 4, 1}, "add") == Shape{5, 4, 1});
    CHECK(broadcast_shapes({0}, {1}, "add") == Shape{0});
    CHECK(broadcast_shapes({2, 0, 3}, {1, 3}, "add") == Shape{2, 0, 3});
    CHECK(broadcast_shapes({1}, {0}, "add") == Shape{0});
    CHECK_THROWS_AS(broadcast_shapes({0}, {2}, "add"), ShapeError);  // 0 is not 1: no stretching
    CHECK_THROWS_WITH(broadcast_shapes({2, 3}, {4, 3}, "mul"),
                      "mul: shapes [2, 3] and [4, 3] do not broadcast (dimension 0: 2 vs 4)");
}

TEST_CASE("binary ops match the broadcasting reference on many shape pairs", "[tensor][broadcast]") {
    const std::vector<std::pair<Shape, Shape>> pairs{
        {{3}, {2, 3}},          {{2, 3}, {3}},          {{2, 1, 4}, {3, 1}}, {{}, {2, 3}},
        {{2, 3}, {}},           {{}, {}},               {{1}, {4, 1, 2}},    {{5, 1, 1}, {1, 4, 1}},
        {{4, 1}, {1, 5}},       {{2, 3, 4}, {2, 3, 4}}, {{1, 1}, {1}},       {{0}, {1}},
        {{2, 0, 3}, {1, 3}},    {{2, 0, 3}, {2, 1, 1}}, {{3, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 3}},
    };
    for (const auto& [sa, sb] : pairs) {
        const Tensor a = values(sa, 0.3f), b = values(sb, 1.9f);
        const Shape out = broadcast_shapes(sa, sb, "test");
        for (const NamedOp& op : binary_ops()) {
            CAPTURE(shape_str(sa), shape_str(sb), op.name);
            // pow of a negative base to a fractional power is NaN; use |a| for it.
            const Tensor x = std::string(op.name) == "pow" ? abs(a) : a;
            check_same(op.op(x, b), reference(x, b, out, op.f));
        }
    }
}

TEST_CASE("incompatible shapes throw a ShapeError naming the op and both shapes", "[tensor][broadcast]") {
    const Tensor a = Tensor::zeros({3}), b = Tensor::zeros({4});
    for (const NamedOp& op : binary_ops()) {
        CAPTURE(op.name);
        CHECK_THROWS_AS(op.op(a, b), ShapeError);
        CHECK_THROWS_WITH(op.op(a, b), IOTGRAD_HAS(std::string(op.name) + ": shapes [3] and [4] do not broadcast"));
    }
    CHECK_THROWS_WITH(add(Tensor::zeros({2, 3}), Tensor::zeros({3, 2})),
                      IOTGRAD_HAS("add") && IOTGRAD_HAS("[2, 3]") && IOTGRAD_HAS("[3, 2]"));
    CHECK_THROWS_WITH(add(Tensor::zeros({2, 0}), Tensor::zeros({3})), IOTGRAD_HAS("[2, 0] and [3]"));
    CHECK_THROWS_AS(where(Tensor::zeros({2}), Tensor::zeros({3}), Tensor::zeros({1})), ShapeError);
    CHECK_THROWS_WITH(where(Tensor::zeros({2}), Tensor::zeros({3}), Tensor::zeros({1})), IOTGRAD_HAS("where"));
    // ShapeError is an std::invalid_argument.
    CHECK_THROWS_AS(mul(a, b), std::invalid_argument);
}

TEST_CASE("where and comparisons broadcast and produce 0/1 masks", "[tensor][broadcast]") {
    const Tensor x = Tensor::from({2, 3}, {1, 5, 3, 4, 2, 6});
    const Tensor thr = Tensor::from({3}, {2, 2, 5});
    CHECK(gt(x, thr).to_vector() == std::vector<float>{0, 1, 0, 1, 0, 1});
    CHECK(le(x, thr).to_vector() == std::vector<float>{1, 0, 1, 0, 1, 0});
    CHECK(eq(x, Tensor::scalar(3.0f)).to_vector() == std::vector<float>{0, 0, 1, 0, 0, 0});
    const Tensor cond = Tensor::from({2, 1}, {1, 0});
    const Tensor w = where(cond, x, Tensor::scalar(-1.0f));
    CHECK(w.to_vector() == std::vector<float>{1, 5, 3, -1, -1, -1});
    // cond [3, 1] with a [1, 4] and a scalar b: shape [3, 4].
    const Tensor c3 = Tensor::from({3, 1}, {0, 2, 0});
    const Tensor a4 = Tensor::from({1, 4}, {1, 2, 3, 4});
    const Tensor r = where(c3, a4, Tensor::scalar(0.5f));
    CHECK(r.shape() == Shape{3, 4});
    CHECK(r.to_vector() == std::vector<float>{0.5f, 0.5f, 0.5f, 0.5f, 1, 2, 3, 4, 0.5f, 0.5f, 0.5f, 0.5f});
    // A NaN condition is nonzero, so it picks a (like C's truthiness of NaN).
    CHECK(where(Tensor::scalar(NAN), Tensor::scalar(1.0f), Tensor::scalar(2.0f)).item() == 1.0f);
    const Tensor nan = Tensor::scalar(NAN);
    CHECK(eq(nan, nan).item() == 0.0f);
    CHECK(ne(nan, nan).item() == 1.0f);
}

TEST_CASE("unary ops give the known values", "[tensor][broadcast]") {
    const Tensor x = Tensor::from({5}, {-2.0f, -0.5f, 0.0f, 0.5f, 2.0f});
    CHECK(neg(x).to_vector() == std::vector<float>{2.0f, 0.5f, -0.0f, -0.5f, -2.0f});
    CHECK(abs(x).to_vector() == std::vector<float>{2.0f, 0.5f, 0.0f, 0.5f, 2.0f});
    CHECK(relu(x).to_vector() == std::vector<float>{0, 0, 0, 0.5f, 2.0f});
    CHECK(clamp(x, -1.0f, 1.0f).to_vector() == std::vector<float>{-1, -0.5f, 0, 0.5f, 1});
    CHECK(add(x, 1.0f).to_vector() == std::vector<float>{-1.0f, 0.5f, 1.0f, 1.5f, 3.0f});
    CHECK(mul(x, -2.0f).to_vector() == std::vector<float>{4.0f, 1.0f, -0.0f, -1.0f, -4.0f});
    CHECK(tensor::pow(x, 2.0f).to_vector() == std::vector<float>{4.0f, 0.25f, 0.0f, 0.25f, 4.0f});
    CHECK(tensor::pow(Tensor::from({2}, {8.0f, 27.0f}), 1.0f / 3.0f).to_vector()[1] == Approx(3.0f));
    const std::vector<float> e = exp(x).to_vector(), t = tanh(x).to_vector(), s = sigmoid(x).to_vector();
    const std::vector<float> xs = x.to_vector();
    for (size_t i = 0; i < xs.size(); ++i) {
        CHECK(e[i] == Approx(std::exp(xs[i])));
        CHECK(t[i] == Approx(std::tanh(xs[i])));
        CHECK(s[i] == Approx(1.0 / (1.0 + std::exp(-static_cast<double>(xs[i])))));
    }
    CHECK(log(Tensor::from({3}, {1.0f, std::exp(1.0f), 0.0f})).to_vector()[1] == Approx(1.0f));
    CHECK(std::isinf(log(Tensor::scalar(0.0f)).item()));
    CHECK(sqrt(Tensor::from({2}, {9.0f, 0.25f})).to_vector() == std::vector<float>{3.0f, 0.5f});
    // Sigmoid is stable at the extremes: exactly 0 or 1, never NaN.
    const std::vector<float> ext = sigmoid(Tensor::from({4}, {-1000.0f, -100.0f, 100.0f, 1000.0f})).to_vector();
    CHECK(ext[0] == 0.0f);
    CHECK(ext[1] >= 0.0f);
    CHECK(ext[1] < 1e-40f);
    CHECK(ext[2] == 1.0f);
    CHECK(ext[3] == 1.0f);
    // Rank 0 in, rank 0 out; size 0 in, size 0 out.
    CHECK(exp(Tensor::scalar(0.0f)).dim() == 0);
    CHECK(exp(Tensor::scalar(0.0f)).item() == 1.0f);
    CHECK(relu(Tensor::zeros({0, 4})).shape() == Shape{0, 4});
}

TEST_CASE("ops on transposed or strided or expanded views equal ops on contiguous copies",
          "[tensor][broadcast]") {
    // Small (one thread) and big sizes: for the big one even the half-width
    // strided view has n * n/2 elements at cost 4 each, above kParallelThreshold.
    const int64_t big = static_cast<int64_t>(std::sqrt(kParallelThreshold / 2.0)) + 4;
    for (int64_t n : {int64_t{7}, big}) {
        CAPTURE(n);
        const Tensor base = values({n, n + 2}, 0.4f);
        const Tensor t = base.t();                                  // [n+2, n], strides [1, n+2]
        const Tensor s = base.slice(1, 1, n + 2, 2);                // every other column
        const Tensor e = values({n}, 2.0f).unsqueeze(0).expand({n, n});  // stride-0 rows
        const Tensor tsq = base.slice(1, 0, n).t();                // square, transposed
        check_same(exp(t), exp(t.contiguous()));
        check_same(neg(s), neg(s.contiguous()));
        check_same(sigmoid(e), sigmoid(e.contiguous()));
        check_same(add(tsq, e), add(tsq.contiguous(), e.contiguous()));
        check_same(mul(tsq, tsq.t()), mul(tsq.contiguous(), tsq.t().contiguous()));
        check_same(div(s, s.select(0, 0)), div(s.contiguous(), s.select(0, 0).contiguous()));
        check_same(where(gt(tsq, e), tsq, e), where(gt(tsq, e).contiguous(), tsq.contiguous(), e.contiguous()));
        check_same(maximum(t.slice(0, 0, n + 2, 3), Tensor::scalar(0.5f)),
                   maximum(t.slice(0, 0, n + 2, 3).contiguous(), Tensor::scalar(0.5f)));
    }
}

TEST_CASE("a 1e6-element op gives the serial loop's numbers exactly", "[tensor][broadcast][parallel]") {
    // One op per comparison: the serial side must do the very same float
    // operation (a fused x*y+z in this file would round differently).
    const int64_t n = 1000000;
    const Tensor a = values({1000, 1000}, 0.1f), b = values({1000}, 0.9f);
    const Tensor m = mul(a, b), e = exp(neg(abs(a))), r = add(m, e);
    const float *pa = a.data(), *pb = b.data(), *pm = m.data(), *pe = e.data(), *pr = r.data();
    int64_t bad_mul = 0, bad_exp = 0, bad_add = 0;
    for (int64_t i = 0; i < n; ++i) {
        bad_mul += pm[i] != pa[i] * pb[i % 1000];
        bad_exp += pe[i] != std::exp(-std::fabs(pa[i]));
        bad_add += pr[i] != pm[i] + pe[i];
    }
    CHECK(bad_mul == 0);
    CHECK(bad_exp == 0);
    CHECK(bad_add == 0);
    // Same numbers on a second run and through a transposed (non-contiguous) operand.
    CHECK(add(mul(a, b), exp(neg(abs(a)))).to_vector() == r.to_vector());
    const Tensor tt = add(a.t(), Tensor::scalar(1.0f));
    const float* pt = tt.data();
    int64_t bad_t = 0;
    for (int64_t i = 0; i < 1000; ++i)
        for (int64_t j = 0; j < 1000; ++j) bad_t += pt[i * 1000 + j] != pa[j * 1000 + i] + 1.0f;
    CHECK(bad_t == 0);
}

TEST_CASE("parallel_for runs small loops once and splits big ones into a partition", "[tensor][broadcast][parallel]") {
    std::vector<std::pair<int64_t, int64_t>> calls;
    std::mutex mu;
    auto record = [&](int64_t b, int64_t e) {
        std::lock_guard<std::mutex> lock(mu);
        calls.emplace_back(b, e);
    };
    parallel_for(1000, 1, record);  // 1000 * 1 < kParallelThreshold: serial
    REQUIRE(calls.size() == 1);
    CHECK(calls[0] == std::make_pair(int64_t{0}, int64_t{1000}));
    calls.clear();
    parallel_for(0, 100, record);
    CHECK(calls.empty());

    const int64_t n = 4 * kParallelThreshold;
    set_num_threads(2);  // explicit: the automatic count may be 1 on a busy machine
    parallel_for(n, 1, record);
    set_num_threads(0);
    std::sort(calls.begin(), calls.end());
    REQUIRE(!calls.empty());
    CHECK(calls.front().first == 0);
    CHECK(calls.back().second == n);
    for (size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first == calls[i - 1].second);  // no gap, no overlap
#if defined(_OPENMP)
    CHECK(calls.size() == 2);  // above the threshold the work is split, one chunk per thread
#endif
}

TEST_CASE("sum_to reverses broadcasting", "[tensor][broadcast]") {
    const Tensor g = values({2, 3, 4}, 0.2f);
    CHECK(sum_to(g, {2, 3, 4}).shares_storage(g));  // nothing to do
    check_same(sum_to(g, {4}), sum(g, {0, 1}));
    check_same(sum_to(g, {3, 1}), sum(g, {0, 2}, true).reshape({3, 1}));
    check_same(sum_to(g, {1, 3, 1}), sum(g, {0, 2}, true));
    check_same(sum_to(g, {}), sum(g));
    CHECK_THROWS_AS(sum_to(g, {5}), ShapeError);
    CHECK_THROWS_WITH(sum_to(g, {2, 4}), IOTGRAD_HAS("sum_to") && IOTGRAD_HAS("[2, 3, 4]") && IOTGRAD_HAS("[2, 4]"));
    CHECK_THROWS_AS(sum_to(g, {1, 2, 3, 4, 5}), ShapeError);
}

TEST_CASE("allclose compares within tolerance and rejects NaN and shape mismatch", "[tensor][broadcast]") {
    const Tensor a = Tensor::from({3}, {1.0f, 2.0f, 3.0f});
    CHECK(allclose(a, a));
    CHECK(allclose(a, Tensor::from({3}, {1.0f, 2.0f, 3.000001f})));
    CHECK_FALSE(allclose(a, Tensor::from({3}, {1.0f, 2.0f, 3.1f})));
    CHECK(allclose(a, Tensor::from({3}, {1.0f, 2.0f, 3.1f}), 0.0f, 0.2f));
    CHECK_FALSE(allclose(a, a.reshape({3, 1})));
    CHECK_FALSE(allclose(Tensor::scalar(NAN), Tensor::scalar(NAN)));
    const Tensor m = Tensor::from({2, 2}, {1, 2, 3, 4});
    CHECK(allclose(m.t().contiguous(), m.t()));
    CHECK_FALSE(allclose(m.t(), m));
}
