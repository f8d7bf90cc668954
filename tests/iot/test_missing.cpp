#include <cmath>
#include <limits>
#include <vector>

#include "catch_compat.hpp"
#include "iot/missing.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
const float NaN = std::numeric_limits<float>::quiet_NaN();
// Channel 0: a gap inside; channel 1: missing at both ends.
Tensor sample() { return Tensor::from({5, 2}, {1, NaN, NaN, 2, NaN, NaN, 7, 8, 9, NaN}); }
}  // namespace

TEST_CASE("missing: forward fill uses the last earlier value, the first value at the start", "[iot][missing]") {
    const Tensor f = forward_fill(sample());
    CHECK(f.to_vector() == std::vector<float>{1, 2, 1, 2, 1, 2, 7, 8, 9, 8});
    const Tensor empty = forward_fill(Tensor::from({2, 1}, {NaN, NaN}));
    CHECK(empty.to_vector() == std::vector<float>{0, 0});
}

TEST_CASE("missing: interpolation is the straight line between neighbours", "[iot][missing]") {
    const Tensor f = interpolate_missing(sample());
    // channel 0: 1, _, _, 7 -> 1, 3, 5, 7; channel 1: _, 2, _, 8, _ -> 2, 2, 5, 8, 8
    CHECK(f.to_vector() == std::vector<float>{1, 2, 3, 2, 5, 5, 7, 8, 9, 8});
}

TEST_CASE("missing: drop removes incomplete rows; mask adds indicator channels", "[iot][missing]") {
    std::vector<int64_t> kept;
    const Tensor d = drop_missing(sample(), &kept);
    CHECK(kept == std::vector<int64_t>{3});
    CHECK(d.shape() == Shape{1, 2});
    CHECK(d.to_vector() == std::vector<float>{7, 8});
    CHECK(complete_rows(sample()) == std::vector<int64_t>{3});

    const Tensor m = mask_missing(sample());
    REQUIRE(m.shape() == Shape{5, 4});
    CHECK(m.to_vector() == std::vector<float>{1, 0, 0, 1,  0, 2, 1, 0,  0, 0, 1, 1,  7, 8, 0, 0,  9, 0, 0, 1});
    CHECK(channels_after(MissingStrategy::kMask, 3) == 6);
    CHECK(channels_after(MissingStrategy::kInterpolate, 3) == 3);

    CHECK(apply_missing(sample(), MissingStrategy::kInterpolate, &kept).to_vector() ==
          interpolate_missing(sample()).to_vector());
    CHECK(kept.size() == 5u);
    CHECK(parse_missing_strategy("mask") == MissingStrategy::kMask);
    CHECK(missing_strategy_name(MissingStrategy::kForwardFill) == "ffill");
    CHECK_THROWS_WITH(parse_missing_strategy("zero"), IOTGRAD_HAS("drop, ffill, interpolate, mask"));
    CHECK_THROWS_WITH(forward_fill(Tensor::zeros({2, 2, 2})), IOTGRAD_HAS("[T, C]"));
}
