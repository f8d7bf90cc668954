// The branch-free exp, sigmoid and tanh of tensor/fast_math.hpp against the
// standard library over the range the kernels see (and beyond, where they saturate).
#include <cmath>

#include "catch_compat.hpp"
#include "tensor/fast_math.hpp"

using namespace iotgrad;

TEST_CASE("fast exp, sigmoid and tanh are within a few ulps of std", "[tensor][fast_math]") {
    double worst_exp = 0, worst_sig = 0, worst_tanh = 0;
    for (float x = -80.0f; x < 80.0f; x += 0.0137f) {
        worst_exp = std::max(worst_exp, std::fabs(double(fastmath::exp(x)) - std::exp(double(x))) / std::exp(double(x)));
        const double s = 1.0 / (1.0 + std::exp(-double(x)));
        worst_sig = std::max(worst_sig, std::fabs(fastmath::sigmoid(x) - s) / s);
        const double t = std::tanh(double(x));
        worst_tanh = std::max(worst_tanh, std::fabs(fastmath::tanh(x) - t) / std::max(std::fabs(t), 1e-30));
    }
    CHECK(worst_exp < 5e-7);
    CHECK(worst_sig < 5e-7);
    CHECK(worst_tanh < 5e-7);
    // Exact points and the odd symmetry.
    CHECK(fastmath::exp(0.0f) == 1.0f);
    CHECK(fastmath::tanh(0.0f) == 0.0f);
    CHECK(fastmath::sigmoid(0.0f) == 0.5f);
    CHECK(fastmath::tanh(-0.3f) == -fastmath::tanh(0.3f));
}

TEST_CASE("fast exp saturates without infinity or NaN", "[tensor][fast_math]") {
    CHECK(std::isfinite(fastmath::exp(1000.0f)));
    CHECK(fastmath::exp(-1000.0f) < 1e-37f);
    CHECK(fastmath::sigmoid(-1000.0f) < 1e-37f);
    CHECK(fastmath::sigmoid(1000.0f) == 1.0f);
    CHECK(fastmath::tanh(1000.0f) == 1.0f);
    CHECK(fastmath::tanh(-1000.0f) == -1.0f);
    CHECK(fastmath::tanh(1e-8f) == Approx(1e-8f));
}
