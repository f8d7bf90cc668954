#include "iot/sim_city.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace iotgrad::iot {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kFronts = 4;                  // weather centres c_k
constexpr double kWeatherMemory_s = 6 * 3600.0;
/// Typical spread of each channel, the unit anomaly sizes are measured in.
constexpr float kScale[kCityChannels] = {3.0f, 8.0f, 8.0f, 40.0f};

void validate(const CityConfig& c) {
    if (c.grid_w < 1 || c.grid_h < 1) throw std::invalid_argument("CityConfig: grid_w and grid_h must be >= 1");
    if (!(c.interval_s > 0) || c.noise < 0 || !(c.spatial_scale > 0))
        throw std::invalid_argument("CityConfig: need interval_s > 0, noise >= 0, spatial_scale > 0");
    if (c.missing_rate < 0 || c.missing_rate >= 1 || c.mean_burst < 1)
        throw std::invalid_argument("CityConfig: need 0 <= missing_rate < 1 and mean_burst >= 1");
    if (c.anomaly_rate < 0 || c.anomaly_rate > 1 || c.min_anomaly_len < 1 || c.max_anomaly_len < c.min_anomaly_len)
        throw std::invalid_argument("CityConfig: need 0 <= anomaly_rate <= 1 and 1 <= min_anomaly_len <= max_anomaly_len");
}

/// Rush hours at 8:00 and 17:30 over a daytime base, in [0, ~1.3].
double rush(double h) {
    double day = (h > 6 && h < 22) ? 0.3 : 0.0;
    return day + std::exp(-(h - 8) * (h - 8) / 2) + 0.9 * std::exp(-(h - 17.5) * (h - 17.5) / 4.5);
}

}  // namespace

CitySimulator::CitySimulator(CityConfig cfg) : cfg_(cfg), weather_gen_(stream_seed(cfg.seed, 4, 0)) {
    validate(cfg_);
    // p / (p + q) = missing_rate with q = 1 / mean_burst.
    p_recover_ = 1.0f / cfg_.mean_burst;
    p_lose_ = p_recover_ * cfg_.missing_rate / (1.0f - cfg_.missing_rate);
    std::vector<float> cx, cy;
    for (int k = 0; k < kFronts; ++k) {
        cx.push_back(weather_gen_.uniform(0.0f, static_cast<float>(cfg_.grid_w)));
        cy.push_back(weather_gen_.uniform(0.0f, static_cast<float>(cfg_.grid_h)));
    }
    for (int k = 0; k <= kFronts; ++k) z_.push_back(weather_gen_.normal());  // stationary start
    float l2 = 2 * cfg_.spatial_scale * cfg_.spatial_scale;
    for (int s = 0; s < sites(); ++s) {
        Site site;
        site.gen = Generator(stream_seed(cfg_.seed, 5, static_cast<uint64_t>(s)));
        int x = s % cfg_.grid_w, y = s / cfg_.grid_w;
        site.lat = cfg_.lat0 + cfg_.spacing_deg * static_cast<float>(y);
        site.lon = cfg_.lon0 + cfg_.spacing_deg * static_cast<float>(x);
        site.temp_offset = 0.5f * site.gen.normal();
        site.traffic_scale = site.gen.uniform(0.5f, 1.5f);
        for (int k = 0; k < kFronts; ++k) {
            float dx = static_cast<float>(x) - cx[k], dy = static_cast<float>(y) - cy[k];
            site.weights.push_back(std::exp(-(dx * dx + dy * dy) / l2));
        }
        site.lost = site.gen.uniform() < cfg_.missing_rate;  // the chain's stationary start
        site.last.assign(kCityChannels, 0.0f);
        sites_.push_back(std::move(site));
    }
}

/// \f$ z_k \leftarrow \phi z_k + \sqrt{1 - \phi^2}\,\varepsilon \f$, \f$\phi = e^{-\Delta t/\tau}\f$:
/// AR(1) with unit stationary variance and memory tau.
void CitySimulator::advance_weather() {
    float phi = static_cast<float>(std::exp(-cfg_.interval_s / kWeatherMemory_s));
    float innov = std::sqrt(1 - phi * phi);
    for (float& z : z_) z = phi * z + innov * weather_gen_.normal();
}

std::vector<float> CitySimulator::clean_values(Site& s) {
    double t = static_cast<double>(step_) * cfg_.interval_s;
    double h = std::fmod(t / 3600.0, 24.0);
    int weekday = static_cast<int>(std::fmod(t / 86400.0, 7.0));
    double days = t / 86400.0;
    float d = static_cast<float>(std::sin(2 * kPi * (h - 9) / 24));
    float w = z_[0];
    for (int k = 0; k < kFronts; ++k) w += s.weights[k] * z_[k + 1];
    float n = cfg_.noise;
    Generator& g = s.gen;
    float temp = 15 + 5 * d + cfg_.trend_per_day * static_cast<float>(days) + 1.5f * w + s.temp_offset +
                 0.3f * n * g.normal();
    float hum = std::clamp(60 - 12 * d - 4 * w + n * g.normal(), 0.0f, 100.0f);
    float weekly = weekday >= 5 ? 0.6f : 1.0f;  // days 5 and 6 are the weekend
    float traffic_mean = s.traffic_scale * 100 * weekly * static_cast<float>(0.1 + rush(h));
    // Counts: Poisson-like spread sqrt(mean).
    float traffic = std::max(0.0f, traffic_mean + n * std::sqrt(traffic_mean) * g.normal());
    // Stagnant (here: below-average) weather traps exhaust fumes.
    float pm = std::max(0.0f, 12 + 0.08f * traffic_mean - 3 * w + 1.5f * n * g.normal());
    return {temp, hum, pm, traffic};
}

void CitySimulator::maybe_start_anomaly(Site& s) {
    Generator& g = s.gen;
    if (s.left > 0 || !(g.uniform() < cfg_.anomaly_rate)) return;
    s.anomaly = 1 + static_cast<int>(g.below(4));
    s.channel = static_cast<int>(g.below(kCityChannels));
    int span = cfg_.max_anomaly_len - cfg_.min_anomaly_len + 1;
    s.left = s.anomaly == kSpike ? 1 : cfg_.min_anomaly_len + static_cast<int>(g.below(static_cast<uint64_t>(span)));
    s.age = 0;
    float sign = g.uniform() < 0.5f ? -1.0f : 1.0f;
    float sc = kScale[s.channel];
    if (s.anomaly == kSpike) s.magnitude = sign * g.uniform(3.0f, 6.0f) * sc;
    if (s.anomaly == kLevelShift) s.magnitude = sign * g.uniform(1.5f, 3.0f) * sc;
    if (s.anomaly == kDrift) s.magnitude = sign * g.uniform(2.0f, 4.0f) * sc / static_cast<float>(s.left);
    if (s.anomaly == kStuck) s.magnitude = s.last[s.channel];
}

Record CitySimulator::next() {
    if (site_ == 0 && step_ > 0) advance_weather();
    Site& s = sites_[site_];
    clean_ = clean_values(s);
    maybe_start_anomaly(s);
    std::vector<float> v = clean_;
    Record r;
    r.device = site_;
    r.timestamp_s = static_cast<double>(step_) * cfg_.interval_s;
    r.lat = s.lat;
    r.lon = s.lon;
    last_channel_ = -1;
    if (s.left > 0) {
        float& x = v[s.channel];
        if (s.anomaly == kSpike || s.anomaly == kLevelShift) x += s.magnitude;
        if (s.anomaly == kDrift) x += s.magnitude * static_cast<float>(s.age + 1);
        if (s.anomaly == kStuck) x = s.magnitude;
        r.label = s.anomaly;
        last_channel_ = s.channel;
        ++s.age;
        if (--s.left == 0) s.anomaly = kNormal;
    }
    s.last = v;
    // The radio: lost -> ok with q, ok -> lost with p.
    s.lost = s.lost ? !(s.gen.uniform() < p_recover_) : (s.gen.uniform() < p_lose_);
    if (s.lost) v.assign(kCityChannels, std::numeric_limits<float>::quiet_NaN());
    r.values = std::move(v);
    if (++site_ == sites()) {
        site_ = 0;
        ++step_;
    }
    return r;
}

}  // namespace iotgrad::iot
