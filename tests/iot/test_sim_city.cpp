#include <cmath>
#include <vector>

#include "catch_compat.hpp"
#include "iot/sim_city.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
/// Pearson correlation of x[i] and y[i] over pairs where both are present.
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i])) continue;
        sx += x[i], sy += y[i], sxx += x[i] * x[i], syy += y[i] * y[i], sxy += x[i] * y[i], n += 1;
    }
    double cov = sxy / n - sx / n * sy / n;
    return cov / std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
}

double lag_correlation(const std::vector<double>& x, size_t lag) {
    std::vector<double> a(x.begin(), x.end() - static_cast<long>(lag)), b(x.begin() + static_cast<long>(lag), x.end());
    return correlation(a, b);
}
}  // namespace

TEST_CASE("city grid: same seed gives the same stream, another seed another", "[iot][sim][city]") {
    CityConfig cfg;
    CitySimulator a(cfg), b(cfg);
    cfg.seed = 3;
    CitySimulator c(cfg);
    int differ = 0;
    for (int i = 0; i < 2000; ++i) {
        Record ra = a.next(), rb = b.next(), rc = c.next();
        REQUIRE(ra.device == rb.device);
        REQUIRE(ra.label == rb.label);
        for (size_t k = 0; k < ra.values.size(); ++k) {
            bool same = ra.values[k] == rb.values[k] || (std::isnan(ra.values[k]) && std::isnan(rb.values[k]));
            REQUIRE(same);
            differ += ra.values[k] != rc.values[k] ? 1 : 0;
        }
        REQUIRE(ra.timestamp_s == (i / 16) * 300.0);
        REQUIRE(ra.device == i % 16);
    }
    CHECK(differ > 1000);
}

TEST_CASE("city grid: lossy links lose the configured fraction, in bursts", "[iot][sim][city]") {
    CityConfig cfg;
    cfg.missing_rate = 0.1f;
    cfg.mean_burst = 5.0f;
    cfg.anomaly_rate = 0.0f;
    CitySimulator sim(cfg);
    const int steps = 8000;
    std::vector<bool> was_lost(16, false);
    long lost = 0, bursts = 0, total = 0, partial = 0;
    for (int i = 0; i < steps * 16; ++i) {
        Record r = sim.next();
        bool l = std::isnan(r.values[0]);
        for (float v : r.values) partial += std::isnan(v) != l ? 1 : 0;
        lost += l ? 1 : 0;
        bursts += (l && !was_lost[static_cast<size_t>(r.device)]) ? 1 : 0;
        was_lost[static_cast<size_t>(r.device)] = l;
        ++total;
    }
    CHECK(partial == 0);  // a lost packet loses every channel
    CHECK(static_cast<double>(lost) / total == Approx(0.1).margin(0.01));
    CHECK(static_cast<double>(lost) / bursts == Approx(5.0).margin(0.5));
}

TEST_CASE("city grid: anomalies occur exactly at the labelled records", "[iot][sim][city]") {
    CityConfig cfg;
    cfg.missing_rate = 0.0f;
    cfg.anomaly_rate = 0.01f;
    CitySimulator sim(cfg);
    std::vector<int> per_type(5, 0);
    int wrong = 0;
    for (int i = 0; i < 3000 * 16; ++i) {
        Record r = sim.next();
        const std::vector<float>& clean = sim.last_clean();
        int ch = sim.last_anomaly_channel();
        ++per_type[static_cast<size_t>(r.label)];
        if (r.label == kNormal) {
            wrong += (ch != -1 || r.values != clean) ? 1 : 0;
        } else {
            REQUIRE(ch >= 0);
            for (int k = 0; k < kCityChannels; ++k)  // only the anomalous channel deviates
                wrong += ((k == ch) == (r.values[k] == clean[k])) ? 1 : 0;
        }
    }
    CHECK(wrong == 0);
    for (int t = kSpike; t <= kStuck; ++t) CHECK(per_type[static_cast<size_t>(t)] > 0);
    CHECK(per_type[kNormal] > 40000);
}

TEST_CASE("city grid: daily and weekly seasonality, spatial correlation", "[iot][sim][city]") {
    CityConfig cfg;
    cfg.anomaly_rate = 0.0f;
    CitySimulator sim(cfg);
    const int steps = 14 * 288;  // two weeks of 5-minute readings
    std::vector<std::vector<double>> temp(16);
    double weekday_traffic = 0, weekend_traffic = 0;
    int weekday_n = 0, weekend_n = 0;
    for (int i = 0; i < steps * 16; ++i) {
        Record r = sim.next();
        temp[static_cast<size_t>(r.device)].push_back(r.values[0]);
        if (std::isnan(r.values[3])) continue;
        int day = static_cast<int>(r.timestamp_s / 86400) % 7;
        if (day >= 5) weekend_traffic += r.values[3], ++weekend_n;
        else weekday_traffic += r.values[3], ++weekday_n;
    }
    CHECK(lag_correlation(temp[0], 288) > 0.5);   // one day later: the same phase
    CHECK(lag_correlation(temp[0], 144) < 0.0);   // half a day later: the opposite phase
    CHECK(weekend_traffic / weekend_n < 0.8 * weekday_traffic / weekday_n);
    // Removing the shared daily cycle leaves weather, more alike next door than across the grid.
    auto anomaly = [&](size_t s) {
        std::vector<double> x = temp[s];
        for (size_t t = 0; t < x.size(); ++t)
            x[t] -= 5 * std::sin(2 * 3.14159265358979 * ((t * 300.0 / 3600.0) - 9) / 24);
        return x;
    };
    double near = correlation(anomaly(0), anomaly(1)), far = correlation(anomaly(0), anomaly(15));
    CHECK(near > far);
    CHECK(near > 0.5);
}
