/// \file
/// A simulated smart-city sensor grid (environment monitoring), standing in
/// for the Intel Berkeley Lab sensor streams (54 motes, temperature and
/// humidity every ~31 s, lossy radio) and the Numenta Anomaly Benchmark (NAB:
/// real streams with labelled anomalies, 5-minute sampling).
///
/// What it imitates. A grid_w x grid_h grid of sites, each reading four
/// channels every interval_s: 0 temperature (°C), 1 relative humidity (%),
/// 2 air quality as PM2.5 (µg/m³), 3 traffic count (vehicles per interval).
///  - Seasonality: a daily cycle \f$ d(h) = \sin(2\pi (h - 9)/24) \f$ (warmest
///    at 15:00, humidity the mirror image), rush-hour traffic peaks at 8:00
///    and 17:30, and a weekly cycle (weekend traffic x0.6).
///  - Trend: temperature rises trend_per_day °C per day.
///  - Space: a shared weather field \f$ W_s(t) = z_0(t) + \sum_k w_k(s) z_k(t) \f$,
///    \f$ w_k(s) = e^{-|s - c_k|^2 / 2\ell^2} \f$, with \f$z_k\f$ AR(1)
///    processes (6 h memory) and \f$c_k\f$ random centres: nearby sites share
///    weather, far ones less. Each site adds its own offset and noise.
///  - Lossy transmission: each site's radio is a two-state Markov chain
///    (ok -> lost with p, lost -> ok with q = 1 / mean_burst), whose long-run
///    loss rate is \f$ p/(p+q) \f$ = missing_rate. A lost packet turns all
///    of the record's values into NaN.
///  - Anomalies: at each step a site without one starts one with probability
///    anomaly_rate, on one random channel: a spike (one sample), a level shift,
///    a drift (offset growing linearly) or stuck-at (the last reading repeated),
///    lasting min..max_anomaly_len samples. The record's label is its anomaly
///    type (CityAnomaly; 0 = normal), also while its values are lost.
/// Records come in time order, all sites of one step before the next step.
/// device = site id (row-major), location = the site's latitude/longitude.
#pragma once
#include <cstdint>
#include <vector>

#include "iot/record.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot {

enum CityAnomaly : int { kNormal = 0, kSpike, kLevelShift, kDrift, kStuck };
constexpr int kCityChannels = 4;

struct CityConfig {
    int grid_w = 4, grid_h = 4;
    uint64_t seed = 0;
    double interval_s = 300.0;     ///< Seconds between readings (NAB's 5 minutes).
    float noise = 1.0f;            ///< Scales the local noise of every channel.
    float trend_per_day = 0.02f;   ///< Temperature trend, °C per day.
    float spatial_scale = 1.5f;    ///< Weather correlation length, in grid cells.
    float missing_rate = 0.05f;    ///< Long-run fraction of lost records.
    float mean_burst = 6.0f;       ///< Mean length of a loss burst, in records.
    float anomaly_rate = 0.002f;   ///< Per site and step, chance an anomaly starts.
    int min_anomaly_len = 6, max_anomaly_len = 36;
    float lat0 = 37.87f, lon0 = -122.26f, spacing_deg = 0.005f;  ///< Grid placement.
};

class CitySimulator {
public:
    explicit CitySimulator(CityConfig cfg = {});
    const CityConfig& config() const { return cfg_; }
    int sites() const { return cfg_.grid_w * cfg_.grid_h; }
    /// The next record (site by site, then the next step). Never ends.
    Record next();
    /// Ground truth of the last record: its values without anomaly and loss.
    const std::vector<float>& last_clean() const { return clean_; }
    /// The channel the last record's anomaly acts on, -1 when it has none.
    int last_anomaly_channel() const { return last_channel_; }

private:
    struct Site {
        Generator gen;
        float lat, lon, temp_offset, traffic_scale;
        std::vector<float> weights;   // w_k(s)
        bool lost = false;
        int anomaly = kNormal, channel = -1, left = 0, age = 0;
        float magnitude = 0.0f;       // spike / shift size or drift slope
        std::vector<float> last;      // last measured values (for stuck-at)
    };
    void advance_weather();
    std::vector<float> clean_values(Site& s);
    void maybe_start_anomaly(Site& s);

    CityConfig cfg_;
    Generator weather_gen_;
    std::vector<float> z_;            // z_0 .. z_K
    std::vector<Site> sites_;
    int64_t step_ = 0;
    int site_ = 0;
    float p_lose_ = 0, p_recover_ = 1;
    std::vector<float> clean_;
    int last_channel_ = -1;
};

}  // namespace iotgrad::iot
