// Every error path of the tensor API: each mistake throws an exception derived
// from std::invalid_argument (ShapeError for shape, axis and index mistakes)
// whose message names the op and the shapes or values involved.
#include <cmath>
#include <limits>
#include <type_traits>

#include "catch_compat.hpp"

#include "tensor/elementwise.hpp"
#include "tensor/matmul.hpp"
#include "tensor/reduce.hpp"

using namespace iotgrad;
using namespace iotgrad::tensor;

static_assert(std::is_base_of<std::invalid_argument, ShapeError>::value, "ShapeError is an invalid_argument");

namespace {
constexpr int64_t kBig = std::numeric_limits<int64_t>::max();
}  // namespace

TEST_CASE("creation rejects negative sizes and too many dimensions or elements", "[tensor][errors]") {
    CHECK_THROWS_AS(Tensor::zeros({2, -1}), ShapeError);
    CHECK_THROWS_WITH(Tensor::zeros({2, -1}), IOTGRAD_HAS("zeros") && IOTGRAD_HAS("[2, -1]"));
    CHECK_THROWS_WITH(Tensor::ones({-3}), IOTGRAD_HAS("ones") && IOTGRAD_HAS("negative"));
    CHECK_THROWS_WITH(Tensor::full({-3}, 1.0f), IOTGRAD_HAS("full"));
    CHECK_THROWS_WITH(Tensor::empty({-3}), IOTGRAD_HAS("empty"));
    CHECK_THROWS_WITH(Tensor::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1}),
                      IOTGRAD_HAS("zeros") && IOTGRAD_HAS("rank 9") && IOTGRAD_HAS("maximum rank 8"));
    // The element count would overflow int64: refused before allocating.
    CHECK_THROWS_AS(Tensor::zeros({kBig, 2}), ShapeError);
    CHECK_THROWS_WITH(Tensor::zeros({int64_t{1} << 40, int64_t{1} << 40}), IOTGRAD_HAS("too many elements"));
    CHECK_THROWS_WITH(Tensor::eye(-2), IOTGRAD_HAS("eye") && IOTGRAD_HAS("-2"));
    CHECK_THROWS_AS(Tensor::eye(kBig), ShapeError);
    Generator gen(0);
    CHECK_THROWS_WITH(Tensor::randn({-1}, gen), IOTGRAD_HAS("randn"));
    CHECK_THROWS_WITH(Tensor::rand({-1}, gen), IOTGRAD_HAS("rand"));
    CHECK_THROWS_WITH(Tensor::bernoulli({-1}, 0.5f, gen), IOTGRAD_HAS("bernoulli"));
}

TEST_CASE("from and arange and linspace reject bad arguments", "[tensor][errors]") {
    CHECK_THROWS_AS(Tensor::from({2, 2}, {1, 2, 3}), ShapeError);
    CHECK_THROWS_WITH(Tensor::from({2, 2}, {1, 2, 3}), IOTGRAD_HAS("from: 3 values") && IOTGRAD_HAS("[2, 2]"));
    CHECK_THROWS_AS(Tensor::from({2, -2}, {1, 2, 3, 4}), ShapeError);
    CHECK_THROWS_AS(Tensor::from({}, std::vector<float>{}), ShapeError);  // rank 0 holds one value
    CHECK_THROWS_AS(Tensor::arange(0.0f, 5.0f, 0.0f), std::invalid_argument);
    CHECK_THROWS_WITH(Tensor::arange(0.0f, 5.0f, 0.0f), IOTGRAD_HAS("arange") && IOTGRAD_HAS("step"));
    CHECK_THROWS_AS(Tensor::arange(0.0f, INFINITY), std::invalid_argument);
    CHECK_THROWS_AS(Tensor::arange(NAN, 1.0f), std::invalid_argument);
    // A count beyond int64 would be undefined behaviour to convert: refused.
    CHECK_THROWS_WITH(Tensor::arange(0.0f, 3e38f, 1e-30f), IOTGRAD_HAS("arange") && IOTGRAD_HAS("too many"));
    CHECK(Tensor::arange(-1).numel() == 0);  // an empty range is not an error, as in numpy
}

TEST_CASE("random constructors reject impossible parameters", "[tensor][errors]") {
    Generator gen(0);
    CHECK_THROWS_WITH(Tensor::bernoulli({2}, 1.5f, gen), IOTGRAD_HAS("bernoulli: p must be in [0, 1]"));
    CHECK_THROWS_AS(Tensor::bernoulli({2}, -0.1f, gen), std::invalid_argument);
    CHECK_THROWS_AS(Tensor::bernoulli({2}, NAN, gen), std::invalid_argument);
    CHECK_THROWS_WITH(Tensor::rand({2}, gen, 1.0f, 0.0f), IOTGRAD_HAS("rand") && IOTGRAD_HAS("lo <= hi"));
    CHECK_THROWS_AS(Tensor::rand({2}, gen, 0.0f, INFINITY), std::invalid_argument);
    CHECK_THROWS_WITH(Tensor::randn({2}, gen, 0.0f, -1.0f), IOTGRAD_HAS("randn") && IOTGRAD_HAS("std"));
    CHECK_THROWS_AS(Tensor::randn({2}, gen, NAN, 1.0f), std::invalid_argument);
}

TEST_CASE("element access checks coordinates", "[tensor][errors]") {
    Tensor a = Tensor::zeros({2, 3});
    const Tensor& ca = a;
    CHECK_THROWS_AS(a.at({2, 0}), ShapeError);
    CHECK_THROWS_WITH(a.at({2, 0}), "at: index [2, 0] is out of range for shape [2, 3]");
    CHECK_THROWS_WITH(ca.at({0, 3}), IOTGRAD_HAS("[0, 3]") && IOTGRAD_HAS("[2, 3]"));
    CHECK_THROWS_AS(ca.at({-1, 0}), ShapeError);
    CHECK_THROWS_WITH(a.at({1}), "at: index [1] has 1 coordinates for a tensor of shape [2, 3]");
    CHECK_THROWS_AS(ca.at({0, 0, 0}), ShapeError);
    CHECK_THROWS_AS(Tensor::scalar(1.0f).at({0}), ShapeError);
    CHECK_THROWS_AS(Tensor::zeros({0}).at({0}), ShapeError);
    CHECK_THROWS_WITH(a.item(), "item: tensor of shape [2, 3] has 6 elements, not 1");
    CHECK_THROWS_AS(Tensor::zeros({0}).item(), ShapeError);
    CHECK_THROWS_WITH(a.size(2), IOTGRAD_HAS("size: axis 2 is out of range for a tensor of rank 2"));
    CHECK_THROWS_AS(a.size(-3), ShapeError);
    CHECK_THROWS_AS(Tensor::scalar(1.0f).size(0), ShapeError);
}

TEST_CASE("an undefined tensor is refused by name and never dereferenced", "[tensor][errors]") {
    Tensor u;
    const Tensor& cu = u;
    CHECK_THROWS_WITH(u.data(), IOTGRAD_HAS("data") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(cu.data(), IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(cu.at({}), IOTGRAD_HAS("at") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.at({}), IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.item(), IOTGRAD_HAS("item") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.to_vector(), IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.reshape({1}), IOTGRAD_HAS("reshape") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.view({1}), IOTGRAD_HAS("view") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.transpose(0, 1), IOTGRAD_HAS("transpose") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.permute({}), IOTGRAD_HAS("permute") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.slice(0, 0, 1), IOTGRAD_HAS("slice") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.narrow(0, 0, 1), IOTGRAD_HAS("narrow") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.select(0, 0), IOTGRAD_HAS("select") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.squeeze(0), IOTGRAD_HAS("squeeze") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.squeeze(), IOTGRAD_HAS("squeeze") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.unsqueeze(0), IOTGRAD_HAS("unsqueeze") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.expand({1}), IOTGRAD_HAS("expand") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.contiguous(), IOTGRAD_HAS("contiguous") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.clone(), IOTGRAD_HAS("clone") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.fill_(1.0f), IOTGRAD_HAS("fill_") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(u.copy_(Tensor::zeros({})), IOTGRAD_HAS("copy_") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(Tensor::zeros({2}).copy_(u), IOTGRAD_HAS("copy_") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(add(u, Tensor::zeros({2})), IOTGRAD_HAS("add") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(mul(Tensor::zeros({2}), u), IOTGRAD_HAS("mul") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(exp(u), IOTGRAD_HAS("exp") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(where(u, u, u), IOTGRAD_HAS("where") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(sum(u), IOTGRAD_HAS("sum") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(max(u), IOTGRAD_HAS("max") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(argmax(u, 0), IOTGRAD_HAS("argmax") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(var(u, {}), IOTGRAD_HAS("var") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(sum_to(u, {1}), IOTGRAD_HAS("sum_to") && IOTGRAD_HAS("undefined"));
    CHECK_THROWS_WITH(matmul(u, u), IOTGRAD_HAS("matmul") && IOTGRAD_HAS("undefined"));
    // All of them are std::invalid_argument.
    CHECK_THROWS_AS(u.reshape({1}), std::invalid_argument);
    CHECK_THROWS_AS(sum(u), std::invalid_argument);
}

TEST_CASE("reshape and view reject impossible shapes", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({2, 3});
    CHECK_THROWS_AS(a.reshape({4}), ShapeError);
    CHECK_THROWS_WITH(a.reshape({4}), "reshape: cannot reshape [2, 3] (6 elements) into [4]");
    CHECK_THROWS_WITH(a.view({5, -1}), IOTGRAD_HAS("view: cannot reshape [2, 3] into [5, -1]"));
    CHECK_THROWS_WITH(a.reshape({-1, -1}), IOTGRAD_HAS("only one size may be -1"));
    CHECK_THROWS_WITH(a.reshape({-2, -3}), IOTGRAD_HAS("reshape: invalid size in [-2, -3]"));
    CHECK_THROWS_AS(Tensor::zeros({0}).reshape({0, -1}), ShapeError);  // -1 is ambiguous next to 0
    CHECK_THROWS_AS(a.reshape({1, 1, 1, 1, 1, 1, 1, 2, 3}), ShapeError);  // rank 9
    CHECK_THROWS_WITH(a.reshape({kBig, kBig, 2}), IOTGRAD_HAS("reshape") && IOTGRAD_HAS("too many elements"));
    CHECK_THROWS_AS(a.view({kBig, -1}), ShapeError);
    CHECK_THROWS_WITH(a.t().view({6}), IOTGRAD_HAS("without a copy; use reshape()"));
}

TEST_CASE("transpose permute squeeze and unsqueeze check their axes", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({2, 3});
    CHECK_THROWS_AS(a.transpose(0, 2), ShapeError);
    CHECK_THROWS_WITH(a.transpose(0, 2), "transpose: axis 2 is out of range for a tensor of rank 2");
    CHECK_THROWS_AS(a.transpose(-3, 0), ShapeError);
    CHECK_THROWS_WITH(Tensor::zeros({3}).t(), IOTGRAD_HAS("transpose") && IOTGRAD_HAS("rank 1"));
    CHECK_THROWS_WITH(a.permute({0}), IOTGRAD_HAS("permute: [0] is not a permutation") && IOTGRAD_HAS("[2, 3]"));
    CHECK_THROWS_WITH(a.permute({1, 1}), IOTGRAD_HAS("permute: dimension 1 repeats in [1, 1]"));
    CHECK_THROWS_WITH(a.permute({1, -1}), IOTGRAD_HAS("repeats"));  // -1 is axis 1 again
    CHECK(a.permute({0, -1}).shape() == a.shape());                 // ... and 0, -1 is the identity
    CHECK_THROWS_AS(a.permute({0, 2}), ShapeError);
    CHECK_THROWS_WITH(a.squeeze(2), IOTGRAD_HAS("squeeze") && IOTGRAD_HAS("axis 2"));
    CHECK_THROWS_WITH(a.unsqueeze(3), IOTGRAD_HAS("unsqueeze") && IOTGRAD_HAS("axis 3"));
    CHECK_THROWS_AS(a.unsqueeze(-4), ShapeError);
    CHECK_THROWS_WITH(Tensor::zeros({1, 1, 1, 1, 1, 1, 1, 1}).unsqueeze(0), IOTGRAD_HAS("unsqueeze: rank would exceed 8"));
}

TEST_CASE("slice and narrow and select check ranges", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({4, 5});
    CHECK_THROWS_WITH(a.slice(2, 0, 1), IOTGRAD_HAS("slice: axis 2 is out of range"));
    CHECK_THROWS_AS(a.slice(0, 0, 4, 0), ShapeError);
    CHECK_THROWS_WITH(a.slice(0, 4, 0, -1), IOTGRAD_HAS("slice: step must be positive, got -1") && IOTGRAD_HAS("[4, 5]"));
    CHECK_THROWS_AS(a.narrow(0, 3, 2), ShapeError);
    CHECK_THROWS_WITH(a.narrow(1, 3, 3),
                      "narrow: start 3 and length 3 are out of range for dimension 1 of [4, 5]");
    CHECK_THROWS_AS(a.narrow(1, -1, 1), ShapeError);
    CHECK_THROWS_AS(a.narrow(1, 0, -1), ShapeError);
    CHECK_THROWS_AS(a.narrow(1, 6, 0), ShapeError);
    CHECK_THROWS_AS(a.narrow(1, 2, kBig), ShapeError);  // start + length would overflow
    CHECK_THROWS_AS(a.narrow(-3, 0, 1), ShapeError);
    CHECK_THROWS_AS(a.select(0, 4), ShapeError);
    CHECK_THROWS_WITH(a.select(1, -6), "select: index -6 is out of range for dimension 1 of [4, 5]");
    CHECK_THROWS_WITH(a.select(2, 0), IOTGRAD_HAS("select: axis 2"));
    CHECK_THROWS_AS(Tensor::zeros({0, 3}).select(0, 0), ShapeError);
    CHECK_THROWS_AS(Tensor::scalar(1.0f).select(0, 0), ShapeError);
}

TEST_CASE("expand only stretches size-1 dimensions", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({2, 1});
    CHECK_THROWS_WITH(a.expand({2, 3}).expand({4}), IOTGRAD_HAS("expand: cannot expand [2, 3] to fewer dimensions [4]"));
    CHECK_THROWS_WITH(a.expand({3, 3}),
                      "expand: cannot expand [2, 1] to [3, 3] (dimension 0 has size 2, not 1)");
    CHECK_THROWS_AS(a.expand({2, -2}), ShapeError);
    CHECK_THROWS_AS(a.expand({-1, 2, 3}), ShapeError);  // -1 only for existing dimensions
    CHECK_THROWS_AS(a.expand({kBig, 2, 3}), ShapeError);
}

TEST_CASE("fill_ and copy_ refuse shapes that do not fit and overlapping destinations", "[tensor][errors]") {
    Tensor a = Tensor::zeros({2, 3});
    CHECK_THROWS_AS(a.copy_(Tensor::zeros({4})), ShapeError);
    CHECK_THROWS_WITH(a.copy_(Tensor::zeros({4})), IOTGRAD_HAS("copy_") && IOTGRAD_HAS("[4]") && IOTGRAD_HAS("[2, 3]"));
    // [2, 2, 3] broadcasts with [2, 3], but not *to* it.
    CHECK_THROWS_WITH(a.copy_(Tensor::zeros({2, 2, 3})),
                      "copy_: source of shape [2, 2, 3] does not broadcast to [2, 3]");
    Tensor e = Tensor::zeros({1, 3}).expand({4, 3});
    CHECK_THROWS_AS(e.fill_(1.0f), std::invalid_argument);
    CHECK_THROWS_WITH(e.copy_(Tensor::ones({4, 3})), IOTGRAD_HAS("copy_") && IOTGRAD_HAS("expanded"));
    CHECK(a.to_vector() == std::vector<float>(6, 0.0f));  // nothing was written by the failed calls
}

TEST_CASE("elementwise ops name themselves in their errors", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({3, 2});
    CHECK_THROWS_WITH(add(a, b), "add: shapes [2, 3] and [3, 2] do not broadcast (dimension 0: 2 vs 3)");
    CHECK_THROWS_WITH(sub(a, b), IOTGRAD_HAS("sub: shapes [2, 3] and [3, 2]"));
    CHECK_THROWS_WITH(div(a, b), IOTGRAD_HAS("div:"));
    CHECK_THROWS_WITH(tensor::pow(a, b), IOTGRAD_HAS("pow:"));
    CHECK_THROWS_WITH(maximum(a, b), IOTGRAD_HAS("maximum:"));
    CHECK_THROWS_WITH(minimum(a, b), IOTGRAD_HAS("minimum:"));
    CHECK_THROWS_WITH(ge(a, b), IOTGRAD_HAS("ge:"));
    CHECK_THROWS_WITH(where(Tensor::zeros({2, 1}), a, b), IOTGRAD_HAS("where:"));
    CHECK_THROWS_WITH(clamp(a, 1.0f, 0.0f), IOTGRAD_HAS("clamp") && IOTGRAD_HAS("lo <= hi"));
    CHECK_THROWS_AS(clamp(a, NAN, 0.0f), std::invalid_argument);
    CHECK_THROWS_WITH(sum_to(a, {4}), "sum_to: cannot reduce [2, 3] to [4]");
    CHECK_THROWS_WITH(map(Tensor(), [](float x) { return x; }), IOTGRAD_HAS("map"));
    CHECK_THROWS_WITH(zip(a, b, [](float x, float) { return x; }, "my_op"), IOTGRAD_HAS("my_op: shapes"));
}

TEST_CASE("reductions check axes and refuse empty max and min", "[tensor][errors]") {
    const Tensor a = Tensor::zeros({2, 3});
    CHECK_THROWS_WITH(sum(a, {2}), "sum: axis 2 is out of range for a tensor of rank 2");
    CHECK_THROWS_WITH(mean(a, {-3}), IOTGRAD_HAS("mean: axis -3"));
    CHECK_THROWS_WITH(sum(a, {0, -2}), IOTGRAD_HAS("sum: axis -2 repeats"));
    CHECK_THROWS_WITH(max(a, {5}), IOTGRAD_HAS("max: axis 5"));
    CHECK_THROWS_WITH(min(a, {1, 1}), IOTGRAD_HAS("min") && IOTGRAD_HAS("repeats"));
    CHECK_THROWS_WITH(argmax(a, 2), IOTGRAD_HAS("argmax: axis 2"));
    CHECK_THROWS_WITH(var(a, {7}), IOTGRAD_HAS("var: axis 7"));
    CHECK_THROWS_AS(sum(Tensor::scalar(1.0f), {0}), ShapeError);
    CHECK_THROWS_AS(reduced_shape({2, 3}, {3}, false), ShapeError);
    const Tensor e = Tensor::zeros({3, 0});
    CHECK_THROWS_WITH(max(e, {1}), "max: reduction over a zero-size dimension of [3, 0] (the max of no elements is undefined)");
    CHECK_THROWS_WITH(min(e), IOTGRAD_HAS("min: reduction over a zero-size dimension of [3, 0]"));
    CHECK_THROWS_WITH(argmax(e, -1), IOTGRAD_HAS("argmax") && IOTGRAD_HAS("[3, 0]"));
}

TEST_CASE("matmul errors", "[tensor][errors]") {
    CHECK_THROWS_WITH(matmul(Tensor::zeros({3, 4}), Tensor::zeros({5, 2})),
                      "matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)");
    CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 4, 2})),
                      "matmul: batch dimensions [2] and [3] of shapes [2, 3, 4] and [3, 4, 2] do not broadcast");
    CHECK_THROWS_WITH(matmul(Tensor::zeros({2}), Tensor::scalar(1.0f)),
                      "matmul: both operands need at least one dimension, got [2] and []");
    CHECK_THROWS_AS(matmul(Tensor::zeros({4}), Tensor::zeros({3, 4})), ShapeError);
}
