#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "catch_compat.hpp"
#include "iot/resample.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
constexpr double kPi = 3.14159265358979323846;
const float kNaN = std::numeric_limits<float>::quiet_NaN();

/// sin(2 pi f t) sampled at fs for `seconds`.
TimedSeries sine(double f, double fs, double seconds) {
    TimedSeries s{"sine", {}, {}};
    for (int i = 0; i * (1.0 / fs) <= seconds + 1e-12; ++i) {
        double t = i / fs;
        s.t.push_back(t);
        s.v.push_back(static_cast<float>(std::sin(2 * kPi * f * t)));
    }
    return s;
}
}  // namespace

TEST_CASE("resample: a straight line sampled irregularly resamples exactly", "[iot][resample]") {
    TimedSeries line{"line", {0.0, 0.013, 0.05, 0.071, 0.11, 0.2, 0.23, 0.3}, {}};
    for (double t : line.t) line.v.push_back(static_cast<float>(3 * t + 1));
    Resampled r = resample_channels({line}, 100.0, ResampleMethod::kLinear);
    REQUIRE(r.t.size() == 31);  // 0, 0.01, ..., 0.30
    CHECK(r.x.shape() == Shape{31, 1});
    for (size_t k = 0; k < r.t.size(); ++k) {
        CHECK(r.t[k] == Approx(0.01 * static_cast<double>(k)).margin(1e-12));
        CHECK(r.x.at({static_cast<int64_t>(k), 0}) == Approx(3 * r.t[k] + 1).margin(1e-5));
    }
}

TEST_CASE("resample: a 2 Hz sine from 50 Hz to 25 Hz and to 30 Hz matches the analytic values", "[iot][resample]") {
    TimedSeries s = sine(2.0, 50.0, 2.0);
    // 25 Hz: every grid point is a 50 Hz sample, so both methods give sin exactly.
    for (ResampleMethod m : {ResampleMethod::kLinear, ResampleMethod::kHold}) {
        Resampled r = resample_channels({s}, 25.0, m);
        REQUIRE(r.t.size() == 51);
        for (size_t k = 0; k < r.t.size(); ++k)
            CHECK(r.x.at({static_cast<int64_t>(k), 0}) ==
                  Approx(std::sin(2 * kPi * 2.0 * static_cast<double>(k) / 25.0)).margin(1e-6));
    }
    // 30 Hz: grid points fall between samples. Linear interpolation of
    // A sin(2 pi f t) errs by at most A (pi f / fs)^2 / 2 = 0.0079 here.
    Resampled r = resample_channels({s}, 30.0, ResampleMethod::kLinear);
    REQUIRE(r.t.size() == 61);
    const double bound = std::pow(kPi * 2.0 / 50.0, 2) / 2;
    double worst = 0;
    for (size_t k = 0; k < r.t.size(); ++k) {
        double err = std::fabs(r.x.at({static_cast<int64_t>(k), 0}) - std::sin(2 * kPi * 2.0 * r.t[k]));
        worst = std::max(worst, err);
    }
    CHECK(worst <= bound + 1e-6);
    CHECK(worst > 0.1 * bound);  // not exact: the grid really falls between samples
}

TEST_CASE("resample: hold keeps the last value, never a future one", "[iot][resample]") {
    TimedSeries s{"state", {0.0, 1.0, 2.0}, {10.0f, 20.0f, 30.0f}};
    std::vector<float> v = resample(s, {0.0, 0.5, 0.999, 1.0, 1.75, 2.0, 3.5}, ResampleMethod::kHold);
    CHECK(v == std::vector<float>{10, 10, 10, 20, 20, 30, 30});
    std::vector<float> before = resample(s, {-0.5}, ResampleMethod::kHold);
    CHECK(std::isnan(before[0]));
    // A stale value is missing once it is older than max_gap_s.
    std::vector<float> stale = resample(s, {2.5, 3.5}, ResampleMethod::kHold, /*max_gap_s=*/1.0);
    CHECK(stale[0] == 30.0f);
    CHECK(std::isnan(stale[1]));
}

TEST_CASE("resample: missing values are skipped, gaps and the outside are NaN", "[iot][resample]") {
    TimedSeries s{"gappy", {0.0, 1.0, 2.0, 3.0}, {0.0f, kNaN, 4.0f, 5.0f}};
    std::vector<float> lin = resample(s, {1.0, 1.5, 3.0, 3.5, -1.0}, ResampleMethod::kLinear);
    CHECK(lin[0] == Approx(2.0));   // the line from (0, 0) to (2, 4)
    CHECK(lin[1] == Approx(3.0));
    CHECK(lin[2] == Approx(5.0));   // on the last sample
    CHECK(std::isnan(lin[3]));      // after it: no extrapolation
    CHECK(std::isnan(lin[4]));      // before the first
    std::vector<float> hold = resample(s, {1.5}, ResampleMethod::kHold);
    CHECK(hold[0] == 0.0f);         // the NaN at t = 1 did not arrive
    // With max_gap_s = 1.5 the 2-second hole stays a hole.
    std::vector<float> capped = resample(s, {1.0, 2.5}, ResampleMethod::kLinear, 1.5);
    CHECK(std::isnan(capped[0]));
    CHECK(capped[1] == Approx(4.5));
}

TEST_CASE("resample: channels at 50 Hz and 1 Hz share the grid they both cover", "[iot][resample]") {
    TimedSeries fast = sine(2.0, 50.0, 4.0);  // 0 .. 4 s
    fast.name = "fast";
    TimedSeries slow{"slow", {0.5, 1.5, 2.5, 3.5, 4.5}, {1, 2, 3, 4, 5}};  // a line of slope 1
    Resampled r = resample_channels({fast, slow}, 10.0, ResampleMethod::kLinear);
    REQUIRE(r.t.size() == 36);  // 0.5 .. 4.0 s (latest start, earliest end)
    CHECK(r.t.front() == Approx(0.5));
    CHECK(r.t.back() == Approx(4.0));
    CHECK(r.x.shape() == Shape{36, 2});
    for (int64_t k = 0; k < 36; ++k) {
        double t = r.t[static_cast<size_t>(k)];
        CHECK(r.x.at({k, 0}) == Approx(std::sin(2 * kPi * 2.0 * t)).margin(0.008));
        CHECK(r.x.at({k, 1}) == Approx(t + 0.5).margin(1e-5));
    }
    CHECK(parse_resample_method("hold") == ResampleMethod::kHold);
    CHECK(resample_method_name(ResampleMethod::kLinear) == "linear");
}

TEST_CASE("resample: bad channels and options are refused with the reason", "[iot][resample]") {
    TimedSeries ok{"ok", {0.0, 1.0}, {1, 2}};
    TimedSeries empty{"humidity", {}, {}};
    CHECK_THROWS_WITH(resample_channels({ok, empty}, 1.0, ResampleMethod::kLinear),
                      IOTGRAD_HAS("channel 'humidity' is empty"));
    TimedSeries repeat{"temp", {0.0, 1.0, 1.0}, {1, 2, 3}};
    CHECK_THROWS_WITH(resample(repeat, {0.5}, ResampleMethod::kHold),
                      IOTGRAD_HAS("channel 'temp': timestamp 2 (t = 1.000000 s) is not after timestamp 1"));
    TimedSeries backwards{"temp", {0.0, 2.0, 1.0}, {1, 2, 3}};
    CHECK_THROWS_WITH(resample(backwards, {0.5}, ResampleMethod::kLinear), IOTGRAD_HAS("must increase"));
    TimedSeries nan_time{"temp", {0.0, std::nan("")}, {1, 2}};
    CHECK_THROWS_WITH(check_series(nan_time), IOTGRAD_HAS("timestamp 1 is not finite"));
    TimedSeries uneven{"temp", {0.0, 1.0}, {1}};
    CHECK_THROWS_WITH(check_series(uneven), IOTGRAD_HAS("2 timestamps but 1 values"));
    CHECK_THROWS_WITH(resample_channels({ok}, 0.0, ResampleMethod::kLinear), IOTGRAD_HAS("rate_hz"));
    CHECK_THROWS_WITH(resample_channels({}, 1.0, ResampleMethod::kLinear), IOTGRAD_HAS("no channels"));
    TimedSeries later{"later", {5.0, 6.0}, {1, 2}};
    CHECK_THROWS_WITH(resample_channels({ok, later}, 1.0, ResampleMethod::kLinear), IOTGRAD_HAS("do not overlap"));
    CHECK_THROWS_WITH(resample(ok, {0.5}, ResampleMethod::kLinear, 0.0), IOTGRAD_HAS("max_gap_s"));
    CHECK_THROWS_WITH(parse_resample_method("cubic"), IOTGRAD_HAS("linear or hold"));
    CHECK_THROWS_WITH(resample_channels({ok}, 1e9, ResampleMethod::kLinear), IOTGRAD_HAS("1e8 grid points"));
}
