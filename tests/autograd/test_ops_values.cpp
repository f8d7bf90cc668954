// Known values of the differentiable ops (forward and gradient at chosen
// points), their edge cases far in the tails, the errors they throw, and
// that shape ops return views of their input where the layout allows.
#include <cmath>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

using namespace iotgrad;

namespace {
// d a / d z at each element: backward of sum(f(z)).
template <class F>
std::vector<float> grad_of(F f, const std::vector<float>& z) {
    Variable v(Tensor::from({static_cast<int64_t>(z.size())}, z), true);
    sum(f(v)).backward();
    return v.grad().to_vector();
}
std::vector<float> values_of(const Variable& v) { return v.value().to_vector(); }
bool all_finite(const std::vector<float>& v) {
    for (float x : v)
        if (!std::isfinite(x)) return false;
    return true;
}
}  // namespace

// ---- activations, equation 5 ----------------------------------------------------------

TEST_CASE("sigmoid: 0.5 at 0, exactly saturated and finite at +-100", "[autograd][eq5]") {
    const auto a = values_of(sigmoid(Variable(Tensor::from({3}, {0.0f, 100.0f, -100.0f}))));
    CHECK(a[0] == 0.5f);
    CHECK(a[1] == 1.0f);
    CHECK(a[2] >= 0.0f);
    CHECK(a[2] < 1e-40f);
    const auto g = grad_of([](const Variable& z) { return sigmoid(z); }, {0.0f, 100.0f, -100.0f});
    REQUIRE(all_finite(g));
    CHECK(g[0] == Approx(0.25f));  // s(1 - s) at s = 1/2
    CHECK(g[1] == 0.0f);
    CHECK(g[2] == Approx(0.0f).margin(1e-30));
}

TEST_CASE("tanh: value and derivative 1 - a^2, saturating without NaN", "[autograd][eq5]") {
    const auto a = values_of(tanh(Variable(Tensor::from({3}, {0.0f, 0.5f, -50.0f}))));
    CHECK(a[0] == 0.0f);
    CHECK(a[1] == Approx(std::tanh(0.5)));
    CHECK(a[2] == -1.0f);
    const auto g = grad_of([](const Variable& z) { return tanh(z); }, {0.0f, 0.5f, -50.0f});
    CHECK(g[0] == 1.0f);
    CHECK(g[1] == Approx(1.0 - std::tanh(0.5) * std::tanh(0.5)));
    CHECK(g[2] == 0.0f);
}

TEST_CASE("relu: max(z, 0) with derivative 0 at 0 (PyTorch's choice)", "[autograd][eq5]") {
    CHECK(values_of(relu(Variable(Tensor::from({3}, {-1.0f, 0.0f, 2.0f})))) == std::vector<float>{0, 0, 2});
    CHECK(grad_of([](const Variable& z) { return relu(z); }, {-1.0f, 0.0f, 2.0f}) == std::vector<float>{0, 0, 1});
}

TEST_CASE("leaky_relu: slope alpha below 0", "[autograd][eq5]") {
    const auto f = [](const Variable& z) { return leaky_relu(z, 0.1f); };
    const auto a = values_of(f(Variable(Tensor::from({3}, {-2.0f, 0.0f, 3.0f}))));
    CHECK(a[0] == Approx(-0.2f));
    CHECK(a[1] == 0.0f);
    CHECK(a[2] == 3.0f);
    const auto g = grad_of(f, {-2.0f, 0.0f, 3.0f});
    CHECK(g[0] == Approx(0.1f));
    CHECK(g[1] == Approx(0.1f));  // z = 0 is on the negative side, as in PyTorch
    CHECK(g[2] == 1.0f);
    CHECK(values_of(leaky_relu(Variable(Tensor::scalar(-1.0f))))[0] == Approx(-0.01f));  // default slope
}

TEST_CASE("gelu: exact z Phi(z) and derivative Phi(z) + z phi(z)", "[autograd][eq5]") {
    const auto a = values_of(gelu(Variable(Tensor::from({4}, {1.0f, 0.0f, -1.0f, -30.0f}))));
    CHECK(a[0] == Approx(0.8413447f));
    CHECK(a[1] == 0.0f);
    CHECK(a[2] == Approx(-0.1586553f));
    CHECK(a[3] == Approx(0.0f).margin(1e-6));
    const auto g = grad_of([](const Variable& z) { return gelu(z); }, {1.0f, 0.0f, -1.0f, -30.0f});
    CHECK(g[0] == Approx(0.8413447 + 0.2419707));  // Phi(1) + phi(1)
    CHECK(g[1] == 0.5f);
    CHECK(g[2] == Approx(0.1586553 - 0.2419707));
    CHECK(g[3] == Approx(0.0f).margin(1e-6));
}

TEST_CASE("softplus: stable log(1 + e^z) and derivative sigmoid(z)", "[autograd][eq5]") {
    const auto a = values_of(softplus(Variable(Tensor::from({4}, {100.0f, -100.0f, 0.0f, 2.0f}))));
    CHECK(a[0] == 100.0f);
    CHECK(std::isfinite(a[1]));
    CHECK(a[1] >= 0.0f);
    CHECK(a[1] < 1e-40f);
    CHECK(a[2] == Approx(std::log(2.0)));
    CHECK(a[3] == Approx(std::log1p(std::exp(2.0))));
    const auto g = grad_of([](const Variable& z) { return softplus(z); }, {100.0f, -100.0f, 0.0f, 2.0f});
    REQUIRE(all_finite(g));
    CHECK(g[0] == 1.0f);
    CHECK(g[1] == Approx(0.0f).margin(1e-30));
    CHECK(g[2] == 0.5f);
    CHECK(g[3] == Approx(1.0 / (1.0 + std::exp(-2.0))));
}

// ---- elementwise math ---------------------------------------------------------------------

TEST_CASE("abs, clamp, maximum and minimum: gradients at their kinks", "[autograd]") {
    // abs: subgradient 0 at 0.
    CHECK(grad_of([](const Variable& x) { return abs(x); }, {-2.0f, 0.0f, 3.0f}) == std::vector<float>{-1, 0, 1});
    // clamp: a value exactly on a bound still passes its gradient (lo <= x <= hi, as in PyTorch).
    CHECK(grad_of([](const Variable& x) { return clamp(x, -1.0f, 1.0f); }, {-2.0f, -1.0f, 0.5f, 1.0f, 1.5f}) ==
          std::vector<float>{0, 1, 1, 1, 0});
    CHECK(values_of(clamp(Variable(Tensor::from({3}, {-5.0f, 0.25f, 5.0f})), -1.0f, 1.0f)) ==
          std::vector<float>{-1, 0.25f, 1});
    CHECK_THROWS_AS(clamp(Variable(Tensor::scalar(0.0f)), 1.0f, -1.0f), std::invalid_argument);
    // maximum / minimum: ties send the whole gradient to a.
    Variable a(Tensor::from({3}, {1.0f, 2.0f, 3.0f}), true), b(Tensor::from({3}, {2.0f, 2.0f, 2.0f}), true);
    sum(maximum(a, b)).backward();
    CHECK(a.grad().to_vector() == std::vector<float>{0, 1, 1});
    CHECK(b.grad().to_vector() == std::vector<float>{1, 0, 0});
    a.zero_grad();
    b.zero_grad();
    sum(minimum(a, b)).backward();
    CHECK(a.grad().to_vector() == std::vector<float>{1, 1, 0});
    CHECK(b.grad().to_vector() == std::vector<float>{0, 0, 1});
}

TEST_CASE("exp, log, pow, sqrt: values and gradients at known points", "[autograd]") {
    CHECK(grad_of([](const Variable& x) { return exp(x); }, {0.0f, 1.0f})[1] == Approx(std::exp(1.0)));
    CHECK(grad_of([](const Variable& x) { return log(x); }, {4.0f})[0] == Approx(0.25f));
    CHECK(grad_of([](const Variable& x) { return pow(x, 3.0f); }, {2.0f})[0] == Approx(12.0f));
    CHECK(grad_of([](const Variable& x) { return pow(x, 0.0f); }, {0.0f})[0] == 0.0f);  // not 0 * inf
    CHECK(grad_of([](const Variable& x) { return sqrt(x); }, {4.0f})[0] == Approx(0.25f));
    CHECK(values_of(pow(Variable(Tensor::from({2}, {3.0f, -2.0f})), 2.0f)) == std::vector<float>{9, 4});
}

TEST_CASE("where picks from a and b with broadcasting and routes the gradient the same way", "[autograd]") {
    const Tensor cond = Tensor::from({2, 1}, {1, 0});
    Variable a(Tensor::from({3}, {1, 2, 3}), true), b(Tensor::scalar(-1.0f), true);
    Variable y = where(cond, a, b);
    CHECK(y.shape() == Shape{2, 3});
    CHECK(values_of(y) == std::vector<float>{1, 2, 3, -1, -1, -1});
    sum(y).backward();
    CHECK(a.grad().to_vector() == std::vector<float>{1, 1, 1});
    CHECK(b.grad().item() == 3.0f);
}

// ---- reductions ---------------------------------------------------------------------------

TEST_CASE("reductions: values, keepdim shapes and gradients", "[autograd]") {
    Variable x(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}), true);
    CHECK(sum(x).item() == 21.0f);
    CHECK(sum(x).dim() == 0);
    CHECK(values_of(sum(x, {1})) == std::vector<float>{6, 15});
    CHECK(sum(x, {1}, true).shape() == Shape{2, 1});
    CHECK(sum(x, {0, 1}).dim() == 0);
    CHECK(values_of(mean(x, {0})) == std::vector<float>{2.5f, 3.5f, 4.5f});
    mean(x).backward();
    CHECK(x.grad().to_vector() == std::vector<float>(6, 1.0f / 6.0f));
    // var matches the tensor layer's two-pass variance, both divisors.
    CHECK(tensor::allclose(var(x, {1}).value(), tensor::var(x.value(), {1})));
    CHECK(tensor::allclose(var(x, {0, 1}, false, true).value(), tensor::var(x.value(), {0, 1}, false, true)));
    CHECK(var(x, {0, 1}, false, true).shape() == Shape{1, 1});
}

TEST_CASE("max and min split the gradient evenly between ties", "[autograd]") {
    Variable x(Tensor::from({2, 3}, {1, 3, 3, 7, 7, 7}), true);
    Variable m = max(x, {1});
    CHECK(values_of(m) == std::vector<float>{3, 7});
    sum(m).backward();
    const auto g = x.grad().to_vector();
    CHECK(g[0] == 0.0f);
    CHECK(g[1] == 0.5f);
    CHECK(g[2] == 0.5f);
    CHECK(g[3] == Approx(1.0f / 3));
    x.zero_grad();
    sum(min(x, {-1}, true)).backward();
    CHECK(x.grad().to_vector()[0] == 1.0f);
    CHECK(min(x, {-1}, true).shape() == Shape{2, 1});
}

// ---- shape ops ----------------------------------------------------------------------------

TEST_CASE("views share storage with their input in the forward", "[autograd]") {
    Variable x(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}), true);
    CHECK(reshape(x, {3, 2}).value().shares_storage(x.value()));
    CHECK(permute(x, {1, 0}).value().shares_storage(x.value()));
    CHECK(transpose(x, 0, 1).value().shares_storage(x.value()));
    CHECK(slice(x, 1, 0, 3, 2).value().shares_storage(x.value()));
    CHECK(select(x, 0, 1).value().shares_storage(x.value()));
    CHECK(unsqueeze(x, 0).value().shares_storage(x.value()));
    CHECK(expand(unsqueeze(x, 0), {4, 2, 3}).value().shares_storage(x.value()));
    // Reshaping a transposed tensor cannot be a view: it copies.
    CHECK_FALSE(reshape(transpose(x, 0, 1), {6}).value().shares_storage(x.value()));
    CHECK(values_of(reshape(transpose(x, 0, 1), {6})) == std::vector<float>{1, 4, 2, 5, 3, 6});
}

TEST_CASE("slice with a step and select: values and scattered gradients", "[autograd]") {
    Variable x(Tensor::arange(10).reshape({2, 5}), true);
    Variable s = slice(x, 1, 0, 5, 2);
    CHECK(values_of(s) == std::vector<float>{0, 2, 4, 5, 7, 9});
    sum(s).backward();
    CHECK(x.grad().to_vector() == std::vector<float>{1, 0, 1, 0, 1, 1, 0, 1, 0, 1});
    x.zero_grad();
    Variable r = select(x, 0, -1);
    CHECK(r.shape() == Shape{5});
    CHECK(values_of(r) == std::vector<float>{5, 6, 7, 8, 9});
    sum(r).backward();
    CHECK(x.grad().to_vector() == std::vector<float>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1});
}

TEST_CASE("concat and stack: values, shapes and gradients", "[autograd]") {
    Variable a(Tensor::from({2, 1}, {1, 2}), true), b(Tensor::from({2, 2}, {3, 4, 5, 6}), true);
    Variable c = concat({a, b}, -1);
    CHECK(c.shape() == Shape{2, 3});
    CHECK(values_of(c) == std::vector<float>{1, 3, 4, 2, 5, 6});
    c.backward(Tensor::from({2, 3}, {10, 20, 30, 40, 50, 60}));
    CHECK(a.grad().to_vector() == std::vector<float>{10, 40});
    CHECK(b.grad().to_vector() == std::vector<float>{20, 30, 50, 60});

    Variable p(Tensor::from({3}, {1, 2, 3})), q(Tensor::from({3}, {4, 5, 6}));
    CHECK(stack({p, q}, 0).shape() == Shape{2, 3});
    CHECK(values_of(stack({p, q}, 0)) == std::vector<float>{1, 2, 3, 4, 5, 6});
    CHECK(stack({p, q}, -1).shape() == Shape{3, 2});
    CHECK(values_of(stack({p, q}, -1)) == std::vector<float>{1, 4, 2, 5, 3, 6});
    CHECK(flatten(Variable(Tensor::zeros({2, 3, 4}))).shape() == Shape{2, 12});
    CHECK(flatten(Variable(Tensor::zeros({2, 3, 4})), 0).shape() == Shape{24});
    CHECK(squeeze(Variable(Tensor::zeros({2, 1, 3})), -2).shape() == Shape{2, 3});
}

TEST_CASE("index_select picks rows and accumulates the gradient of repeated indices", "[autograd]") {
    Variable table(Tensor::arange(10).reshape({5, 2}), true);
    Variable rows = index_select(table, 0, Tensor::from({4}, {4, 0, 4, 4}));
    CHECK(rows.shape() == Shape{4, 2});
    CHECK(values_of(rows) == std::vector<float>{8, 9, 0, 1, 8, 9, 8, 9});
    sum(rows).backward();
    CHECK(table.grad().to_vector() == std::vector<float>{1, 1, 0, 0, 0, 0, 0, 0, 3, 3});
    Variable cols = index_select(table, 1, Tensor::from({3}, {1, 1, 0}));
    CHECK(values_of(cols) == std::vector<float>{1, 1, 0, 3, 3, 2, 5, 5, 4, 7, 7, 6, 9, 9, 8});
}

TEST_CASE("shape ops throw ShapeError naming the op, the shapes and the bad value", "[autograd]") {
    Variable a(Tensor::zeros({2, 3})), b(Tensor::zeros({3, 4})), v(Tensor::zeros({4, 3}));
    CHECK_THROWS_AS(concat({a, b}, 0), ShapeError);
    CHECK_THROWS_WITH(concat({a, b}, 0), IOTGRAD_HAS("concat: shapes [2, 3] and [3, 4]"));
    CHECK_THROWS_WITH(concat({a, Variable(Tensor::zeros({2}))}, 0), IOTGRAD_HAS("[2, 3] and [2]"));
    CHECK_THROWS_WITH(concat({a, a}, 2), IOTGRAD_HAS("concat: axis 2 is out of range"));
    CHECK_THROWS_AS(concat({}, 0), std::invalid_argument);
    CHECK_THROWS_WITH(stack({a, b}, 0), IOTGRAD_HAS("stack: every variable needs the same shape"));
    CHECK_THROWS_AS(index_select(v, 0, Tensor::from({2}, {1, 4})), ShapeError);
    CHECK_THROWS_WITH(index_select(v, 0, Tensor::from({2}, {1, 4})),
                      IOTGRAD_HAS("index_select: index 4 is out of range for dimension 0 of size 4"));
    CHECK_THROWS_WITH(index_select(v, 0, Tensor::from({1}, {-1})), IOTGRAD_HAS("index -1 is out of range"));
    CHECK_THROWS_WITH(index_select(v, 0, Tensor::from({1}, {1.5f})), IOTGRAD_HAS("not an integer"));
    CHECK_THROWS_WITH(index_select(v, 0, Tensor::zeros({1, 1})), IOTGRAD_HAS("must be 1-d"));
    CHECK_THROWS_WITH(index_select(v, 2, Tensor::zeros({1})), IOTGRAD_HAS("index_select: axis 2 is out of range"));
    CHECK_THROWS_WITH(sum(a, {2}), IOTGRAD_HAS("sum: axis 2 is out of range"));
    CHECK_THROWS_WITH(mean(a, {2}, true), IOTGRAD_HAS("mean: axis 2 is out of range"));
    CHECK_THROWS_WITH(max(a, {-3}), IOTGRAD_HAS("max: axis -3 is out of range"));
    CHECK_THROWS_WITH(transpose(a, 0, 5), IOTGRAD_HAS("transpose: axis 5"));
    CHECK_THROWS_AS(permute(a, {0, 0}), ShapeError);
    CHECK_THROWS_WITH(reshape(a, {4, 2}), IOTGRAD_HAS("cannot reshape [2, 3]"));
    CHECK_THROWS_AS(expand(a, {2, 4}), ShapeError);
    CHECK_THROWS_WITH(maximum(a, b), IOTGRAD_HAS("maximum: shapes [2, 3] and [3, 4]"));
}

TEST_CASE("ops on variables that need no gradient record nothing", "[autograd]") {
    Variable c(Tensor::from({2}, {-1, 1}));
    CHECK(relu(c).is_leaf());
    CHECK(sum(concat({c, c}, 0)).is_leaf());
    Variable p(Tensor::from({2}, {-1, 1}), true);
    CHECK_FALSE(relu(p).is_leaf());
    NoGradGuard off;
    CHECK(relu(p).is_leaf());
}
