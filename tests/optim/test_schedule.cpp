// Learning-rate schedules against PyTorch's closed forms.
#include <cmath>
#include <memory>

#include "catch_compat.hpp"

#include "optim/schedule.hpp"
#include "optim/sgd.hpp"

using namespace iotgrad;
using namespace iotgrad::optim;

namespace {
Variable one() { return Variable(Tensor::from({1}, {0.0f}), true); }

/// Checks the optimizer's rate at steps 0..expected.size()-1.
void check_rates(LRSchedule& s, const Optimizer& opt, const std::vector<double>& expected) {
    for (std::size_t t = 0; t < expected.size(); ++t) {
        if (t > 0) s.step();
        INFO("step " << t);
        CHECK(s.last_step() == static_cast<int64_t>(t));
        CHECK(s.lr() == Approx(expected[t]));
        CHECK(opt.lr() == Approx(expected[t]));
    }
}
}  // namespace

TEST_CASE("StepLR: lr0 gamma^floor(t / step_size)", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    StepLR s(opt, 3, 0.5);
    check_rates(s, opt, {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025});
}

TEST_CASE("ExponentialLR: lr0 gamma^t", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    ExponentialLR s(opt, 0.9);
    check_rates(s, opt, {0.1, 0.09, 0.081, 0.0729, 0.06561});
}

TEST_CASE("CosineAnnealingLR: eta_min + (lr0 - eta_min)(1 + cos(pi t / T)) / 2", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    CosineAnnealingLR s(opt, 10, 0.001);
    CHECK(opt.lr() == Approx(0.1));
    for (int t = 0; t < 3; ++t) s.step();
    // t = 3: cos(0.3 pi) = 0.5877853, 0.001 + 0.099 * 1.5877853 / 2 = 0.0795954
    CHECK(opt.lr() == Approx(0.0795954));
    for (int t = 3; t < 5; ++t) s.step();
    CHECK(opt.lr() == Approx(0.0505));  // t = 5: cos(pi/2) = 0, 0.001 + 0.099 / 2
    for (int t = 5; t < 10; ++t) s.step();
    CHECK(opt.lr() == Approx(0.001));   // t = T_max: cos(pi) = -1
}

TEST_CASE("LinearWarmup ramps from start_factor to 1, then holds", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    LinearWarmup s(opt, 4, 0.25);
    // 0.1 * (0.25 + 0.75 * min(t, 4) / 4)
    check_rates(s, opt, {0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1});
}

TEST_CASE("LinearWarmup then cosine restarts the cosine's count after warm-up", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    LinearWarmup s(opt, 2, 0.5, std::make_unique<CosineAnnealingLR>(opt, 4));
    // warm-up: 0.05, 0.075; cosine at t' = 0..4: 0.1, 0.1 (1 + cos(pi/4)) / 2 = 0.0853553, 0.05, 0.0146447, 0
    check_rates(s, opt, {0.05, 0.075, 0.1, 0.0853553, 0.05, 0.0146447});
    s.step();
    CHECK(opt.lr() == Approx(0.0).margin(1e-12));
}

TEST_CASE("a schedule's rate is the one the optimizer steps with", "[optim][schedule][sgd]") {
    Variable w = one();
    SGD opt({w}, 1.0);
    StepLR s(opt, 1, 0.5);
    for (float expect : {-1.0f, -1.5f, -1.75f}) {  // steps of 1, 0.5, 0.25 against g = 1
        w.grad() = Tensor::ones({1});
        opt.step();
        s.step();
        CHECK(w.value().item() == Approx(expect));
    }
}

TEST_CASE("schedules reject bad arguments with a message", "[optim][schedule]") {
    Variable w = one();
    SGD opt({w}, 0.1);
    CHECK_THROWS_WITH(StepLR(opt, 0), IOTGRAD_HAS("StepLR: step_size must be >= 1"));
    CHECK_THROWS_WITH(ExponentialLR(opt, -0.5), IOTGRAD_HAS("gamma"));
    CHECK_THROWS_WITH(CosineAnnealingLR(opt, 0), IOTGRAD_HAS("T_max"));
    CHECK_THROWS_WITH(LinearWarmup(opt, 5, 0.0), IOTGRAD_HAS("start_factor must be in (0, 1]"));
    CHECK_THROWS_AS(LinearWarmup(opt, 0), std::invalid_argument);
}
