#include <cmath>
#include <limits>
#include <string>

#include "catch_compat.hpp"
#include "iot/train_guard.hpp"

using namespace iotgrad;

TEST_CASE("LossWatcher names the step and the last finite loss", "[iot][guard]") {
    iot::LossWatcher watch;
    watch(1.25);
    watch(0.5);
    CHECK(watch.step() == 2);
    try {
        watch(std::numeric_limits<double>::quiet_NaN());
        FAIL("NaN was not caught");
    } catch (const iot::NonFiniteLoss& e) {
        CHECK(std::string(e.what()) == "loss is NaN at step 3 (last finite loss: 0.5 at step 2)");
        CHECK(e.step() == 3);
        CHECK(std::isnan(e.loss()));
        CHECK(e.has_last_finite());
        CHECK(e.last_finite_loss() == 0.5);
    }
}

TEST_CASE("LossWatcher catches infinities, also on the first step", "[iot][guard]") {
    iot::LossWatcher watch;
    CHECK_THROWS_WITH(watch(std::numeric_limits<double>::infinity()),
                      "loss is +inf at step 1 (no finite loss before it)");
    iot::LossWatcher global;
    global.observe(100, 2.0);
    global(1.5);  // step 101
    CHECK(global.last_finite_step() == 101);
    CHECK_THROWS_WITH(global(-std::numeric_limits<double>::infinity()),
                      "loss is -inf at step 102 (last finite loss: 1.5 at step 101)");
    // A NonFiniteLoss is a std::runtime_error, so generic handlers catch it.
    CHECK_THROWS_AS(global(std::nan("")), std::runtime_error);
}
