// Optimizer options against PyTorch (tests/fixtures/torch/gen_options.py):
// Adam(amsgrad=True), and Adam / SGD with two parameter groups of their own
// lr and weight_decay, on Linear(3, 4) -> tanh -> Linear(4, 2) with a mean
// squared error. Every weight after every step agrees to 1e-6 (absolute).
// Also: per-group learning rates under a schedule, and the groups' state.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/linear.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"
#include "optim/sgd.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;
using namespace iotgrad::optim;

namespace {

/// PyTorch's nn.Sequential(Linear(3, 4), Tanh(), Linear(4, 2)), keys "0.*" and "2.*".
struct Tiny {
    Generator gen{0};
    nn::Linear l0{3, 4, gen}, l2{4, 2, gen};
    std::vector<std::pair<std::string, Variable>> named() {
        return {{"0.weight", l0.weight}, {"0.bias", l0.bias}, {"2.weight", l2.weight}, {"2.bias", l2.bias}};
    }
    Variable operator()(const Variable& x) { return l2(tanh(l0(x))); }
};

/// Runs `steps` steps of the optimizer `make` builds and compares every weight after each.
void run_against_torch(const std::string& name, int steps,
                       const std::function<std::unique_ptr<Optimizer>(Tiny&)>& make) {
    INFO("fixture options_" << name);
    const auto f = iotgrad::test::torch_fixture("options_" + name);
    Tiny m;
    for (auto& [key, p] : m.named()) p.value().copy_(f.t("init." + key));
    auto opt = make(m);
    const Variable x(f.t("x")), t(f.t("target"));
    for (int s = 1; s <= steps; ++s) {
        opt->zero_grad();
        const Variable d = m(x) - t;
        mean(d * d).backward();
        opt->step();
        for (auto& [key, p] : m.named()) {
            INFO("step " << s << " " << key);
            CHECK(test::max_abs_diff(p.value(), f.t("step" + std::to_string(s) + "." + key)) < 1e-6f);
        }
    }
}

std::vector<ParamGroup> two_groups(Tiny& m) {
    return {ParamGroup{m.l0.parameters(), 0.05, 0.1}, ParamGroup{m.l2.parameters()}};
}
}  // namespace

TEST_CASE("Adam amsgrad matches torch.optim.Adam(amsgrad=True)", "[optim][adam][torch]") {
    run_against_torch("adam_amsgrad", 6, [](Tiny& m) {
        std::vector<Variable> params;
        for (auto& [key, p] : m.named()) params.push_back(p);
        return std::make_unique<Adam>(params, AdamOptions(0.1).betas(0.8, 0.9).weight_decay(0.01).amsgrad(true));
    });
}

TEST_CASE("Adam and SGD with two parameter groups match PyTorch", "[optim][torch]") {
    SECTION("Adam, group 0: lr 0.05, weight_decay 0.1; group 1: the defaults lr 0.01, no decay") {
        run_against_torch("adam_groups", 4,
                          [](Tiny& m) { return std::make_unique<Adam>(two_groups(m), AdamOptions(0.01)); });
    }
    SECTION("SGD momentum 0.9, group 0: lr 0.05, weight_decay 0.1; group 1: lr 0.2") {
        run_against_torch("sgd_groups", 4, [](Tiny& m) { return std::make_unique<SGD>(two_groups(m), 0.2, 0.9); });
    }
}

TEST_CASE("amsgrad keeps the running max of v and exports it", "[optim][adam]") {
    Variable w(Tensor::from({1}, {1.0f}), true);
    Adam opt({w}, AdamOptions(0.1).betas(0.0, 0.5).amsgrad(true));
    // beta1 = 0: m = g. beta2 = 0.5: v1 = 0.5 * 4 = 2, v2 = 0.5 * 2 + 0.5 * 0.01 = 1.005 < 2.
    w.grad() = Tensor::from({1}, {2.0f});
    opt.step();
    w.grad() = Tensor::from({1}, {0.1f});
    const float before = w.value().item();
    opt.step();
    const OptimizerState s = opt.state();
    REQUIRE(s.find_tensor("max_exp_avg_sq.0"));
    CHECK(s.find_tensor("max_exp_avg_sq.0")->item() == Approx(2.0f));
    CHECK(s.find_tensor("exp_avg_sq.0")->item() == Approx(1.005f));
    // step 2: w -= 0.1 * 0.1 / (sqrt(2 / (1 - 0.25)) + 1e-8)
    CHECK(before - w.value().item() == Approx(0.01 / std::sqrt(2.0 / 0.75)).epsilon(1e-5));
    CHECK(opt.amsgrad());
}

TEST_CASE("parameter groups: per-group lr, schedules scale each group, state round trip", "[optim][schedule]") {
    Variable a(Tensor::from({1}, {1.0f}), true), b(Tensor::from({1}, {1.0f}), true);
    SGD opt({ParamGroup{{a}, 0.1}, ParamGroup{{b}, std::nullopt, 0.5}}, 1.0);
    REQUIRE(opt.num_groups() == 2);
    CHECK(opt.group_lr(0) == 0.1);
    CHECK(opt.group_lr(1) == 1.0);
    CHECK(opt.group_weight_decay(0) == 0.0);
    CHECK(opt.group_weight_decay(1) == 0.5);
    CHECK(opt.group_of(1) == 1);
    a.grad() = Tensor::from({1}, {1.0f});
    b.grad() = Tensor::from({1}, {1.0f});
    opt.step();
    CHECK(a.value().item() == Approx(0.9f));         // 1 - 0.1 * 1
    CHECK(b.value().item() == Approx(1.0f - 1.5f));  // 1 - 1.0 * (1 + 0.5 * 1)

    StepLR sched(opt, 1, 0.5);
    CHECK(sched.base_lrs() == std::vector<double>{0.1, 1.0});
    sched.step();
    CHECK(opt.group_lr(0) == Approx(0.05));
    CHECK(opt.group_lr(1) == Approx(0.5));

    const OptimizerState s = opt.state();
    REQUIRE(s.find_scalar("group_lr.1"));
    CHECK(*s.find_scalar("group_lr.1") == Approx(0.5));
    opt.set_lr(3.0);  // every group
    CHECK(opt.group_lr(1) == 3.0);
    opt.load_state(s);
    CHECK(opt.group_lr(0) == Approx(0.05));
    CHECK(opt.group_lr(1) == Approx(0.5));

    CHECK_THROWS_WITH(opt.set_group_lr(2, 0.1), IOTGRAD_HAS("SGD: parameter group 2 out of range (2 groups)"));
    CHECK_THROWS_WITH(SGD({ParamGroup{{a}}, ParamGroup{{}}}, 0.1), IOTGRAD_HAS("parameter group 1 is empty"));
    CHECK_THROWS_WITH(Adam({ParamGroup{{a}, -1.0}}, AdamOptions()), IOTGRAD_HAS("Adam: learning rate"));
    CHECK_THROWS_WITH(SGD({ParamGroup{{a}}, ParamGroup{{a}}}, 0.1), IOTGRAD_HAS("appears more than once"));
}
