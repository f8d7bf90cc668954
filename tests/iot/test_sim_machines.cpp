#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "catch_compat.hpp"
#include "iot/sim_machines.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

TEST_CASE("machine fleet: same seed gives the same stream, another seed another", "[iot][sim][machines]") {
    MachineConfig cfg;
    cfg.machines = 3;
    MachineSimulator a(cfg), b(cfg);
    cfg.seed = 9;
    MachineSimulator c(cfg);
    bool differs = false;
    for (int i = 0; i < 200; ++i) {
        Record ra = a.next(), rb = b.next(), rc = c.next();
        REQUIRE(ra.values == rb.values);
        CHECK(ra.target == rb.target);
        differs = differs || ra.values != rc.values;
    }
    CHECK(differs);
}

TEST_CASE("machine fleet: RUL falls by 1 per cycle to 0 at failure, capped at 125", "[iot][sim][machines]") {
    MachineConfig cfg;
    cfg.machines = 4;
    cfg.min_life = 150;  // longer than the cap, so the flat part shows
    MachineSimulator sim(cfg);
    int records = 0, machines_seen = 0, expected = 0, cycle = 0, life = 0;
    Record prev;
    while (sim.has_next()) {
        Record r = sim.next();
        ++records;
        REQUIRE(r.values.size() == 3u + 14u);
        if (records == 1 || r.device != prev.device) {
            if (records > 1) CHECK(prev.target == 0.0f);  // the previous machine's failure cycle
            life = sim.machine(r.device).life();
            expected += life;
            ++machines_seen;
            cycle = 0;
        } else {
            CHECK(r.timestamp_s - prev.timestamp_s == Approx(cfg.cycle_s));
            if (prev.target < 125.0f) CHECK(r.target == prev.target - 1.0f);
        }
        ++cycle;
        CHECK(r.target == std::min(125.0f, static_cast<float>(life - cycle)));
        CHECK(r.label == (life - cycle <= cfg.failure_horizon ? 1 : 0));
        prev = r;
    }
    CHECK(prev.target == 0.0f);
    CHECK(machines_seen == 4);
    CHECK(records == expected);
    CHECK_THROWS_AS(sim.next(), std::out_of_range);
}

TEST_CASE("machine fleet: hidden degradation moves the sensors along their wear response",
          "[iot][sim][machines]") {
    MachineConfig cfg;
    cfg.machines = 5;
    cfg.regimes = 1;  // one operating condition, so only wear moves the sensors
    MachinePhysics phys = machine_physics(cfg);
    for (int m = 0; m < cfg.machines; ++m) {
        MachineStream s(cfg, m);
        CHECK(s.degradation(s.onset()) == 0.0f);
        CHECK(s.degradation(s.life()) == Approx(1.0f));
        CHECK(s.degradation(s.life() - 20) < s.degradation(s.life() - 10));
        std::vector<Record> rs;
        while (!s.done()) rs.push_back(s.next());
        REQUIRE(static_cast<int>(rs.size()) == s.life());
        for (int j = 0; j < cfg.sensors; ++j) {
            double early = 0, late = 0;
            for (int i = 0; i < 10; ++i) {
                early += rs[static_cast<size_t>(i)].values[3 + j] / 10.0;
                late += rs[rs.size() - 1 - static_cast<size_t>(i)].values[3 + j] / 10.0;
            }
            // The last 10 cycles average D ~ 0.7; |k_j| >= 3 sigma_j, the mean's noise is sigma_j / sqrt(10).
            double shift = (late - early) / phys.sens[j];
            CHECK(shift > 0.3);
            CHECK(shift < 1.3);
        }
    }
}

TEST_CASE("machine fleet: operating regimes shift the sensors; missing readings are NaN", "[iot][sim][machines]") {
    MachineConfig cfg;
    cfg.machines = 1;
    cfg.regimes = 3;
    cfg.missing_rate = 0.1f;
    MachineStream s(cfg, 0);
    int missing = 0, total = 0;
    std::vector<float> altitudes;
    while (!s.done()) {
        Record r = s.next();
        for (int j = 3; j < 17; ++j) missing += std::isnan(r.values[j]) ? 1 : 0, ++total;
        bool found = false;
        for (float a : altitudes) found = found || std::fabs(a - r.values[0]) < 0.5f;
        if (!found) altitudes.push_back(r.values[0]);
    }
    CHECK(altitudes.size() == 3u);  // three distinct operating settings
    CHECK(static_cast<double>(missing) / total == Approx(0.1).margin(0.03));
    CHECK_THROWS_AS(MachineStream(cfg, 1), std::invalid_argument);
}
