#include "iot/sim_har.hpp"

#include <cmath>
#include <stdexcept>

namespace iotgrad::iot {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr float kDeg = static_cast<float>(kPi / 180.0);
constexpr double kMetresPerDegree = 111320.0;

/// Per-activity gait: step-frequency multiplier, vertical amplitude (g),
/// impact sharpness kappa, forward and lateral amplitudes (g), gyro amplitude
/// (rad/s), forward lean (degrees), walking speed (m/s).
struct Gait {
    float f_mult, a_v, kappa, a_f, a_l, gyro, lean_deg, speed;
};
constexpr Gait kGaits[3] = {
    {1.00f, 0.30f, 2.0f, 0.12f, 0.06f, 0.50f, 5.0f, 1.3f},   // walking
    {0.88f, 0.40f, 1.5f, 0.08f, 0.08f, 0.60f, 10.0f, 0.5f},  // upstairs: slower, more vertical
    {1.10f, 0.50f, 4.0f, 0.16f, 0.14f, 0.70f, 2.0f, 0.7f},   // downstairs: faster, sharper, more sway
};

/// Modified Bessel function I0 by its power series \f$\sum_k (x/2)^{2k}/(k!)^2\f$
/// (std::cyl_bessel_i is missing from libc++).
double bessel_i0(double x) {
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < 30; ++k) {
        term *= (x / 2) * (x / 2) / (static_cast<double>(k) * k);
        sum += term;
    }
    return sum;
}

/// The zero-mean heel-strike pulse normalised to peak 1 (see the header).
double heel_pulse(double psi, double kappa) {
    double i0 = bessel_i0(kappa);
    return (std::exp(kappa * std::cos(psi)) - i0) / (std::exp(kappa) - i0);
}

/// Rotation by angle \f$\alpha\f$ about the unit axis u (Rodrigues' formula),
/// \f$ R = I\cos\alpha + \sin\alpha\,[u]_\times + (1-\cos\alpha)\,u u^T \f$, row-major.
std::array<float, 9> axis_rotation(const float* u, float a) {
    float c = std::cos(a), s = std::sin(a), k = 1 - c;
    return {c + k * u[0] * u[0],        k * u[0] * u[1] - s * u[2], k * u[0] * u[2] + s * u[1],
            k * u[1] * u[0] + s * u[2], c + k * u[1] * u[1],        k * u[1] * u[2] - s * u[0],
            k * u[2] * u[0] - s * u[1], k * u[2] * u[1] + s * u[0], c + k * u[2] * u[2]};
}

void rotate(const std::array<float, 9>& r, const float* v, float* out) {
    for (int i = 0; i < 3; ++i) out[i] = r[3 * i] * v[0] + r[3 * i + 1] * v[1] + r[3 * i + 2] * v[2];
}

void validate(const HarConfig& c) {
    if (c.subjects < 1) throw std::invalid_argument("HarConfig: subjects must be >= 1");
    if (c.window < 1 || c.step < 1 || c.step > c.window)
        throw std::invalid_argument("HarConfig: need 1 <= step <= window");
    if (c.min_bout_windows < 1 || c.max_bout_windows < c.min_bout_windows)
        throw std::invalid_argument("HarConfig: need 1 <= min_bout_windows <= max_bout_windows");
    if (!(c.sample_hz > 0) || c.noise < 0 || c.gain_spread < 0 || c.gain_spread >= 1)
        throw std::invalid_argument("HarConfig: need sample_hz > 0, noise >= 0, 0 <= gain_spread < 1");
    if (c.gait_jitter < 0 || c.gait_jitter >= 1 || c.rotation_deg < 0)
        throw std::invalid_argument("HarConfig: need 0 <= gait_jitter < 1 and rotation_deg >= 0");
}

}  // namespace

std::string har_activity_name(int activity) {
    static const char* names[kHarClasses] = {"walking", "upstairs", "downstairs", "sitting", "standing", "lying"};
    if (activity < 0 || activity >= kHarClasses)
        throw std::invalid_argument("har_activity_name: activity " + std::to_string(activity) + " not in 0..5");
    return names[activity];
}

HarSubjectStream::HarSubjectStream(const HarConfig& cfg, int subject)
    : cfg_(cfg), subject_(subject), gen_(stream_seed(cfg.seed, 1, static_cast<uint64_t>(subject))) {
    validate(cfg);
    if (subject < 0 || subject >= cfg.subjects)
        throw std::invalid_argument("HarSubjectStream: subject " + std::to_string(subject) + " not in 0.." +
                                    std::to_string(cfg.subjects - 1));
    traits_.cadence_hz = gen_.uniform(1.8f, 2.0f);
    traits_.gain = 1.0f + cfg.gain_spread * gen_.uniform(-1.0f, 1.0f);
    // Mounting: a rotation by up to rotation_deg about a random axis (uniform on the sphere).
    float u[3] = {gen_.normal(), gen_.normal(), gen_.normal()};
    float un = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]) + 1e-12f;
    for (float& x : u) x /= un;
    traits_.rotation = axis_rotation(u, cfg.rotation_deg * kDeg * gen_.uniform(-1.0f, 1.0f));
    traits_.acc_noise = 0.015f * cfg.noise * gen_.uniform(0.7f, 1.3f);
    traits_.gyro_noise = 0.02f * cfg.noise * gen_.uniform(0.7f, 1.3f);
    // Genoa, where UCI HAR was recorded, give or take a kilometre.
    traits_.lat = 44.40f + gen_.uniform(-0.01f, 0.01f);
    traits_.lon = 8.95f + gen_.uniform(-0.01f, 0.01f);
    lat_ = traits_.lat;
    lon_ = traits_.lon;
}

void HarSubjectStream::start_bout() {
    ++bout_id_;
    activity_ = static_cast<int>(gen_.below(kHarClasses));
    int span = cfg_.max_bout_windows - cfg_.min_bout_windows + 1;
    int windows = cfg_.min_bout_windows + static_cast<int>(gen_.below(static_cast<uint64_t>(span)));
    // k windows `step` apart need (k - 1) * step + window samples.
    bout_left_ = static_cast<int64_t>(windows - 1) * cfg_.step + cfg_.window;
    roll_ = 3.0f * kDeg * gen_.normal();
    heading_ = gen_.uniform(0.0f, static_cast<float>(2 * kPi));
    if (activity_ <= kDownstairs) {
        bout_f_ = traits_.cadence_hz * kGaits[activity_].f_mult * (1.0f + gen_.uniform(-0.015f, 0.015f));
        pitch_ = (kGaits[activity_].lean_deg + 2.0f * gen_.normal()) * kDeg;
        bout_amp_ = 1.0f + cfg_.gait_jitter * gen_.uniform(-1.0f, 1.0f);
        bout_kappa_ = 1.0f + cfg_.gait_jitter * gen_.uniform(-1.0f, 1.0f);
    } else if (activity_ == kStanding) {
        pitch_ = (5.0f + 3.0f * gen_.normal()) * kDeg;
    } else if (activity_ == kSitting) {
        pitch_ = (5.0f + cfg_.sit_stand_gap_deg + 4.0f * gen_.normal()) * kDeg;
    } else {  // lying: on the back or either side
        pitch_ = (85.0f + 4.0f * gen_.normal()) * kDeg;
        roll_ = gen_.uniform(-40.0f, 40.0f) * kDeg;
    }
}

std::array<float, 9> HarSubjectStream::sample() {
    if (bout_left_ == 0) start_bout();
    --bout_left_;
    double dt = 1.0 / cfg_.sample_hz;
    double t = static_cast<double>(n_) * dt;
    float body[3] = {0, 0, 0}, gyro[3] = {0, 0, 0};  // x vertical, y lateral, z forward
    if (activity_ <= kDownstairs) {
        const Gait& g = kGaits[activity_];
        phase_ += 2 * kPi * bout_f_ * dt;
        double psi = phase_;
        double a = bout_amp_;
        body[0] = static_cast<float>(a * g.a_v * heel_pulse(psi, bout_kappa_ * g.kappa));
        body[1] = static_cast<float>(a * g.a_l * std::sin(psi / 2));
        body[2] = static_cast<float>(a * g.a_f * (std::sin(psi + 0.6) + 0.3 * std::sin(2 * psi)));
        gyro[0] = static_cast<float>(a * g.gyro * std::sin(psi / 2 + 0.3));  // yaw with the stride
        gyro[1] = static_cast<float>(a * 0.5 * g.gyro * std::sin(psi / 2 + 1.2));
        gyro[2] = static_cast<float>(a * 0.8 * g.gyro * std::sin(psi + 1.0));  // pitch with each step
        double m = g.speed * dt / kMetresPerDegree;
        lat_ += m * std::cos(heading_);
        lon_ += m * std::sin(heading_) / std::cos(lat_ * kDeg);
    } else if (activity_ != kLying) {
        // Breathing and postural sway at ~0.25 Hz, weaker when sitting.
        float sway = activity_ == kStanding ? 0.012f : 0.006f;
        body[0] = sway * static_cast<float>(std::sin(2 * kPi * 0.25 * t));
        body[2] = 0.5f * sway * static_cast<float>(std::sin(2 * kPi * 0.17 * t + 1.0));
    }
    for (int i = 0; i < 3; ++i) {
        body[i] *= traits_.gain;
        gyro[i] *= traits_.gain;
    }
    float grav[3] = {std::cos(pitch_) * std::cos(roll_), std::sin(roll_), std::sin(pitch_) * std::cos(roll_)};
    std::array<float, 9> out;
    rotate(traits_.rotation, body, &out[0]);
    rotate(traits_.rotation, gyro, &out[3]);
    rotate(traits_.rotation, grav, &out[6]);
    for (int i = 0; i < 3; ++i) {
        out[i] += traits_.acc_noise * gen_.normal();
        out[3 + i] += traits_.gyro_noise * gen_.normal();
        out[6 + i] += out[i];  // total = gravity + body (same noisy reading)
    }
    ++n_;
    return out;
}

Record HarSubjectStream::next_record() {
    std::array<float, 9> v = sample();
    Record r;
    r.device = subject_;
    r.timestamp_s = static_cast<double>(n_ - 1) / cfg_.sample_hz;
    r.lat = static_cast<float>(lat_);
    r.lon = static_cast<float>(lon_);
    r.values.assign(v.begin(), v.end());
    r.label = activity_;
    return r;
}

Window HarSubjectStream::next_window() {
    for (;;) {
        std::array<float, 9> v = sample();
        if (bout_id_ != buf_bout_) {  // a new bout: windows never straddle two
            buf_.clear();
            buf_bout_ = bout_id_;
        }
        if (buf_.empty()) buf_t0_ = static_cast<double>(n_ - 1) / cfg_.sample_hz;
        buf_.push_back(v);
        if (static_cast<int>(buf_.size()) < cfg_.window) continue;
        Window w;
        w.x = Tensor::empty({cfg_.window, kHarChannels});
        float* p = w.x.data();
        for (const auto& row : buf_)
            for (float x : row) *p++ = x;
        w.label = activity_;
        w.device = subject_;
        w.t0 = buf_t0_;
        buf_.erase(buf_.begin(), buf_.begin() + cfg_.step);
        buf_t0_ += cfg_.step / static_cast<double>(cfg_.sample_hz);
        return w;
    }
}

HarSimulator::HarSimulator(HarConfig cfg) : cfg_(cfg) { validate(cfg_); }

HarSubjectStream HarSimulator::subject(int s) const { return HarSubjectStream(cfg_, s); }

std::vector<Window> HarSimulator::windows_for_subject(int s, int n) const {
    HarSubjectStream st = subject(s);
    std::vector<Window> out;
    out.reserve(static_cast<size_t>(n > 0 ? n : 0));
    for (int i = 0; i < n; ++i) out.push_back(st.next_window());
    return out;
}

HarMultiStream::HarMultiStream(const HarSimulator& sim, const std::vector<int>& subjects) {
    if (subjects.empty()) throw std::invalid_argument("HarMultiStream: no subjects given");
    for (int s : subjects) streams_.push_back(sim.subject(s));
}

Window HarMultiStream::next_window() {
    Window w = streams_[turn_].next_window();
    turn_ = (turn_ + 1) % streams_.size();
    return w;
}

}  // namespace iotgrad::iot
