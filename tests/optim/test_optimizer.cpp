// The Optimizer base: parameter list checks, zero_grad, skipping parameters
// without a gradient, and state export / import.
#include "catch_compat.hpp"

#include "autograd/ops.hpp"
#include "optim/adam.hpp"
#include "optim/sgd.hpp"

using namespace iotgrad;
using namespace iotgrad::optim;

namespace {
Variable param(std::vector<float> v) { return Variable(Tensor::from({static_cast<int64_t>(v.size())}, v), true); }
void set_grad(Variable& p, std::vector<float> g) { p.grad() = Tensor::from(p.shape(), g); }
}  // namespace

TEST_CASE("zero_grad clears every gradient", "[optim]") {
    Variable a = param({1, 2}), b = param({3});
    SGD opt({a, b}, 0.1);
    Variable L = sum(a * a) + b * 2.0f;
    L.backward();
    REQUIRE(a.grad().defined());
    REQUIRE(b.grad().defined());
    opt.zero_grad();
    CHECK_FALSE(a.grad().defined());
    CHECK_FALSE(b.grad().defined());
}

TEST_CASE("parameters without a gradient are left untouched", "[optim]") {
    Variable a = param({1, 2}), b = param({3, 4});
    Adam opt({a, b}, 0.1);
    set_grad(a, {1, 1});
    opt.step();
    opt.step();
    CHECK(b.value().to_vector() == std::vector<float>{3, 4});
    CHECK(a.value().at({0}) < 1.0f);
    CHECK(opt.step_count(0) == 2);
    CHECK(opt.step_count(1) == 0);
    const OptimizerState s = opt.state();
    CHECK(s.find_tensor("exp_avg.1") == nullptr);
    CHECK(s.find_scalar("step.1") == nullptr);
}

TEST_CASE("the parameter list is checked when the optimizer is built", "[optim]") {
    Variable a = param({1});
    CHECK_THROWS_WITH(SGD(std::vector<Variable>{}, 0.1), IOTGRAD_HAS("SGD: got an empty parameter list"));
    CHECK_THROWS_WITH(SGD({a, a}, 0.1), IOTGRAD_HAS("parameter 1 appears more than once"));
    CHECK_THROWS_WITH(SGD({a, Variable()}, 0.1), IOTGRAD_HAS("parameter 1 is an undefined variable"));
    CHECK_THROWS_WITH(SGD({a * 2.0f}, 0.1), IOTGRAD_HAS("not a leaf"));
}

TEST_CASE("step checks contiguity and gradient shape before writing anything", "[optim]") {
    Variable ok = param({1, 2}), strided(Tensor::zeros({2, 3}).t(), true);
    SGD opt({ok, strided}, 0.1);
    set_grad(ok, {1, 1});
    strided.grad() = Tensor::ones({3, 2});
    CHECK_THROWS_WITH(opt.step(), IOTGRAD_HAS("parameter 1 has a non-contiguous value"));
    CHECK(ok.value().to_vector() == std::vector<float>{1, 2});

    Variable c = param({1, 2});
    SGD opt2({c}, 0.1);
    c.grad() = Tensor::ones({3});
    CHECK_THROWS_AS(opt2.step(), ShapeError);
    CHECK_THROWS_WITH(opt2.step(), IOTGRAD_HAS("value shape [2] but gradient shape [3]"));
    // A non-contiguous gradient of the right shape is fine.
    Variable m(Tensor::zeros({2, 2}), true);
    SGD opt3({m}, 1.0);
    m.grad() = Tensor::from({2, 2}, {1, 2, 3, 4}).t();
    opt3.step();
    CHECK(m.value().to_vector() == std::vector<float>{-1, -3, -2, -4});
}

TEST_CASE("Adam's state round-trips: a restored optimizer continues identically", "[optim][adam]") {
    Variable a = param({1.0f, -0.5f}), b = param({2.0f, 0.25f});
    Adam first({a}, 0.1);
    for (float g : {0.5f, -1.0f}) {
        set_grad(a, {g, 2 * g});
        first.step();
    }
    first.set_lr(0.05);
    const OptimizerState saved = first.state();
    CHECK(*saved.find_scalar("step.0") == 2.0);
    CHECK(*saved.find_scalar("lr") == 0.05);
    REQUIRE(saved.find_tensor("exp_avg.0") != nullptr);
    REQUIRE(saved.find_tensor("exp_avg_sq.0") != nullptr);
    // m_2 = 0.9 * (0.1 * 0.5) + 0.1 * (-1) = -0.055 for coordinate 0
    CHECK(saved.find_tensor("exp_avg.0")->at({0}) == Approx(-0.055f));

    b.value().copy_(a.value());
    Adam second({b}, 1.0);
    second.load_state(saved);
    CHECK(second.lr() == 0.05);
    CHECK(second.step_count(0) == 2);
    set_grad(a, {0.3f, 0.3f});
    set_grad(b, {0.3f, 0.3f});
    first.step();
    second.step();
    CHECK(b.value().to_vector() == a.value().to_vector());
    // The exported state is a copy: the step above did not change it.
    CHECK(saved.find_tensor("exp_avg.0")->at({0}) == Approx(-0.055f));
}

TEST_CASE("load_state rejects a state that does not fit", "[optim]") {
    Variable a = param({1.0f, 2.0f});
    Adam adam({a});
    set_grad(a, {1, 1});
    adam.step();
    OptimizerState s = adam.state();
    SGD sgd({a}, 0.1);
    CHECK_THROWS_WITH(sgd.load_state(s), IOTGRAD_HAS("written by 'Adam'"));

    Variable other = param({1.0f, 2.0f, 3.0f});
    Adam wrong_shape({other});
    CHECK_THROWS_AS(wrong_shape.load_state(s), ShapeError);

    OptimizerState unknown = s;
    unknown.tensors.emplace_back("velocity.0", Tensor::zeros({2}));
    CHECK_THROWS_WITH(adam.load_state(unknown), IOTGRAD_HAS("unknown buffer 'velocity.0'"));
    OptimizerState out_of_range = s;
    out_of_range.scalars.emplace_back("step.5", 1.0);
    CHECK_THROWS_WITH(adam.load_state(out_of_range), IOTGRAD_HAS("refers to parameter 5"));
    CHECK(adam.step_count(0) == 1);  // a rejected state changes nothing
}
