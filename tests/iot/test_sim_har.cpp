#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "catch_compat.hpp"
#include "iot/sim_har.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
constexpr double kPi = 3.14159265358979323846;

/// Frequency (Hz) of the largest DFT magnitude of x - mean(x), searched on a
/// 0.05 Hz grid in [1, 4.5] Hz (finer than the 0.39 Hz bins of a plain
/// 128-point FFT at 50 Hz), with a Hann taper against leakage.
double dominant_hz(const std::vector<double>& x, double fs) {
    double mean = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    double best_f = 0, best_p = -1;
    size_t n = x.size();
    std::vector<double> y(n);
    for (size_t i = 0; i < n; ++i)
        y[i] = (x[i] - mean) * (0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(i) / static_cast<double>(n - 1)));
    for (double f = 1.0; f <= 4.5; f += 0.05) {
        double re = 0, im = 0;
        for (size_t i = 0; i < n; ++i) {
            double a = 2 * kPi * f * static_cast<double>(i) / fs;
            re += y[i] * std::cos(a);
            im -= y[i] * std::sin(a);
        }
        if (re * re + im * im > best_p) best_p = re * re + im * im, best_f = f;
    }
    return best_f;
}

/// |total_acc| = |g + body_acc|, rotation invariant. (|body_acc| alone is the
/// magnitude of a zero-mean signal, which rectification puts at twice the step
/// frequency; with gravity added, |g + a| ~ 1 + a_vertical keeps the step rate.)
std::vector<double> total_magnitude(const Window& w) {
    std::vector<double> m;
    for (int64_t t = 0; t < w.x.size(0); ++t) {
        double ax = w.x.at({t, 6}), ay = w.x.at({t, 7}), az = w.x.at({t, 8});
        m.push_back(std::sqrt(ax * ax + ay * ay + az * az));
    }
    return m;
}

/// Mean of total_acc (channels 6..8) over a window: the gravity direction.
std::vector<double> mean_gravity(const Window& w) {
    std::vector<double> g(3, 0.0);
    for (int64_t t = 0; t < w.x.size(0); ++t)
        for (int c = 0; c < 3; ++c) g[c] += w.x.at({t, 6 + c}) / static_cast<double>(w.x.size(0));
    return g;
}

int dominant_axis(const std::vector<double>& g) {
    int a = 0;
    for (int c = 1; c < 3; ++c)
        if (std::fabs(g[c]) > std::fabs(g[a])) a = c;
    return a;
}
}  // namespace

TEST_CASE("HAR simulator: same seed gives the same stream, another seed another", "[iot][sim][har]") {
    HarSimulator a(HarConfig{}), b(HarConfig{});
    HarConfig other;
    other.seed = 1;
    HarSimulator c(other);
    auto wa = a.windows_for_subject(4, 5), wb = b.windows_for_subject(4, 5), wc = c.windows_for_subject(4, 5);
    for (size_t i = 0; i < wa.size(); ++i) {
        CHECK(wa[i].x.to_vector() == wb[i].x.to_vector());
        CHECK(wa[i].label == wb[i].label);
    }
    CHECK(wa[0].x.to_vector() != wc[0].x.to_vector());
    // A subject's stream does not depend on which other subjects are drawn.
    HarMultiStream multi(a, {7, 4});
    Window first7 = multi.next_window(), first4 = multi.next_window();
    CHECK(first4.x.to_vector() == wa[0].x.to_vector());
    CHECK(first7.device == 7);
    CHECK(first4.device == 4);
    CHECK_THROWS_AS(a.subject(30), std::invalid_argument);
}

TEST_CASE("HAR windows are [128, 9], labelled 0..5, and overlap by 50%", "[iot][sim][har]") {
    HarSimulator sim;
    HarSubjectStream s = sim.subject(0);
    Window prev = s.next_window();
    int overlapping_pairs = 0, labels_seen = 0;
    std::vector<bool> seen(kHarClasses, false);
    for (int i = 0; i < 60; ++i) {
        Window w = s.next_window();
        CHECK(w.x.shape() == Shape{128, 9});
        REQUIRE(w.label >= 0);
        REQUIRE(w.label < kHarClasses);
        seen[static_cast<size_t>(w.label)] = true;
        if (std::fabs(w.t0 - prev.t0 - 64.0 / 50.0) < 1e-9) {
            // Same bout: the second window starts 64 samples later.
            ++overlapping_pairs;
            CHECK(w.label == prev.label);
            CHECK(w.x.narrow(0, 0, 64).to_vector() == prev.x.narrow(0, 64, 64).to_vector());
        } else {
            CHECK(w.t0 >= prev.t0 + 128.0 / 50.0 - 1e-9);  // a new bout: no straddling
        }
        prev = w;
    }
    for (bool b : seen) labels_seen += b ? 1 : 0;
    CHECK(overlapping_pairs > 20);
    CHECK(labels_seen >= 4);
    CHECK(har_activity_name(kLying) == "lying");
}

TEST_CASE("HAR gait: walking's acceleration magnitude peaks at 1.6-2.2 Hz; upstairs slower than downstairs",
          "[iot][sim][har]") {
    HarSimulator sim;
    int walking = 0;
    double up_sum = 0, down_sum = 0;
    int up_n = 0, down_n = 0;
    for (int subj = 0; subj < 5; ++subj) {
        HarSubjectStream s = sim.subject(subj);
        for (int i = 0; i < 30; ++i) {
            Window w = s.next_window();
            if (w.label > kDownstairs) continue;
            double f = dominant_hz(total_magnitude(w), 50.0);
            if (w.label == kWalking) {
                ++walking;
                CHECK(f >= 1.6);
                CHECK(f <= 2.2);
            }
            if (w.label == kUpstairs) up_sum += f, ++up_n;
            if (w.label == kDownstairs) down_sum += f, ++down_n;
        }
    }
    CHECK(walking >= 5);
    REQUIRE(up_n > 0);
    REQUIRE(down_n > 0);
    CHECK(up_sum / up_n < down_sum / down_n);
}

TEST_CASE("HAR posture: lying puts gravity on another axis; sitting and standing overlap", "[iot][sim][har]") {
    HarSimulator sim;
    int lying = 0, standing = 0;
    double max_stand_tilt = 0, min_sit_tilt = 180, sit_sum = 0, stand_sum = 0;
    int sit_n = 0;
    for (int subj = 0; subj < 10; ++subj) {
        HarSubjectStream s = sim.subject(subj);
        for (int i = 0; i < 30; ++i) {
            Window w = s.next_window();
            std::vector<double> g = mean_gravity(w);
            double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
            double tilt = std::acos(std::fabs(g[0]) / norm) * 180 / kPi;  // angle from the x axis
            if (w.label == kLying) {
                ++lying;
                CHECK(dominant_axis(g) != 0);
            }
            if (w.label == kStanding) {
                ++standing;
                CHECK(dominant_axis(g) == 0);
                CHECK(norm == Approx(1.0).margin(0.05));
                max_stand_tilt = std::max(max_stand_tilt, tilt);
                stand_sum += tilt;
            }
            if (w.label == kSitting) {
                min_sit_tilt = std::min(min_sit_tilt, tilt);
                sit_sum += tilt;
                ++sit_n;
            }
        }
    }
    REQUIRE(lying > 0);
    REQUIRE(standing > 0);
    REQUIRE(sit_n > 0);
    CHECK(min_sit_tilt < max_stand_tilt);  // realistic confusion between the two
    CHECK(sit_sum / sit_n > stand_sum / standing);  // yet sitting leans more on average
}

TEST_CASE("HAR mounting: a proper rotation by at most rotation_deg; 0 gives the identity", "[iot][sim][har]") {
    HarSimulator sim;
    double max_angle = 0;
    for (int subj = 0; subj < 30; ++subj) {
        const std::array<float, 9> r = sim.subject(subj).traits().rotation;
        // R^T R = I and det R = +1.
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                double dot = r[i] * r[j] + r[3 + i] * r[3 + j] + r[6 + i] * r[6 + j];
                CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-5));
            }
        double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) +
                     r[2] * (r[3] * r[7] - r[4] * r[6]);
        CHECK(det == Approx(1.0).margin(1e-5));
        // The rotation angle from the trace: cos(alpha) = (tr R - 1) / 2.
        double c = std::min(1.0, std::max(-1.0, (r[0] + r[4] + r[8] - 1.0) / 2.0));
        max_angle = std::max(max_angle, std::acos(c) * 180 / kPi);
    }
    CHECK(max_angle <= 15.0 + 1e-3);
    CHECK(max_angle > 7.5);  // 30 draws uniform in [0, 15] degrees: one above half is near certain
    HarConfig flat;
    flat.rotation_deg = 0;
    const std::array<float, 9> id = HarSimulator(flat).subject(3).traits().rotation;
    for (int k = 0; k < 9; ++k) CHECK(id[k] == Approx(k % 4 == 0 ? 1.0 : 0.0).margin(1e-6));
}

TEST_CASE("HAR gait jitter: bouts of one activity vary in amplitude only when gait_jitter > 0", "[iot][sim][har]") {
    // With noise, rotation and gain switched off, a walking window's vertical
    // peak is A * bout amplitude; collect it per bout.
    auto peaks = [](float jitter) {
        HarConfig cfg;
        cfg.noise = 0;
        cfg.gait_jitter = jitter;
        cfg.rotation_deg = 0;
        cfg.gain_spread = 0;
        HarSubjectStream s = HarSimulator(cfg).subject(2);
        std::vector<double> out;
        double last_t0 = -100;
        for (int i = 0; i < 120; ++i) {
            Window w = s.next_window();
            bool new_bout = w.t0 > last_t0 + 64.0 / 50.0 + 1e-9;
            last_t0 = w.t0;
            if (w.label != kWalking || !new_bout) continue;
            double peak = 0;
            for (int64_t t = 0; t < 128; ++t) peak = std::max(peak, static_cast<double>(w.x.at({t, 0})));
            out.push_back(peak);
        }
        return out;
    };
    std::vector<double> fixed = peaks(0.0f), jittered = peaks(0.3f);
    REQUIRE(fixed.size() >= 2);
    REQUIRE(jittered.size() >= 2);
    auto spread = [](const std::vector<double>& v) {
        return *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
    };
    CHECK(spread(fixed) < 0.01);     // the same 0.30 g peak (sampled at 50 Hz) every bout
    CHECK(spread(jittered) > 0.03);  // amplitudes drawn from 1 +- 0.3
    for (double p : jittered) CHECK(p <= 0.30 * 1.3 + 1e-4);
    HarConfig bad;
    bad.gait_jitter = 1.0f;
    CHECK_THROWS_WITH(HarSimulator(bad), IOTGRAD_HAS("gait_jitter"));
}
