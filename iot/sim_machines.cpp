#include "iot/sim_machines.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace iotgrad::iot {
namespace {

MachinePhysics draw_physics(const MachineConfig& c) {
    Generator g(stream_seed(c.seed, 2, 0));
    MachinePhysics p;
    for (int j = 0; j < c.sensors; ++j) {
        float b = g.uniform(5.0f, 500.0f);
        float s = 0.005f * b;
        float mag = g.uniform(3.0f, 8.0f) * s;  // wear moves a sensor 3-8 noise stds by failure
        p.base.push_back(b);
        p.sigma.push_back(s);
        p.sens.push_back(g.uniform() < 0.3f ? -mag : mag);
    }
    for (int r = 0; r < c.regimes; ++r) {
        for (int j = 0; j < c.sensors; ++j)
            p.regime_shift.push_back(r == 0 ? 0.0f : p.base[j] * g.uniform(-0.2f, 0.2f));
        // Altitude (kft), Mach number, throttle resolver angle, as in C-MAPSS.
        p.settings.push_back(r == 0 ? 0.0f : g.uniform(10.0f, 42.0f));
        p.settings.push_back(r == 0 ? 0.0f : g.uniform(0.25f, 0.84f));
        p.settings.push_back(r == 0 ? 100.0f : g.uniform(60.0f, 100.0f));
    }
    return p;
}

void validate(const MachineConfig& c) {
    if (c.machines < 1 || c.sensors < 1 || c.regimes < 1)
        throw std::invalid_argument("MachineConfig: machines, sensors and regimes must be >= 1");
    if (c.min_life < 2 || c.max_life < c.min_life)
        throw std::invalid_argument("MachineConfig: need 2 <= min_life <= max_life");
    if (c.noise < 0 || !(c.rul_cap > 0) || c.failure_horizon < 0 || c.missing_rate < 0 || c.missing_rate >= 1)
        throw std::invalid_argument(
            "MachineConfig: need noise >= 0, rul_cap > 0, failure_horizon >= 0, 0 <= missing_rate < 1");
}

}  // namespace

MachineStream::MachineStream(const MachineConfig& cfg, int machine)
    : cfg_(cfg), machine_(machine), gen_(stream_seed(cfg.seed, 3, static_cast<uint64_t>(machine))) {
    validate(cfg);
    if (machine < 0 || machine >= cfg.machines)
        throw std::invalid_argument("MachineStream: machine " + std::to_string(machine) + " not in 0.." +
                                    std::to_string(cfg.machines - 1));
    life_ = cfg.min_life + static_cast<int>(gen_.below(static_cast<uint64_t>(cfg.max_life - cfg.min_life + 1)));
    onset_ = static_cast<int>(static_cast<float>(life_) * gen_.uniform(0.2f, 0.6f));
    rate_ = gen_.uniform(0.02f, 0.06f);
    phys_ = draw_physics(cfg);
    const MachinePhysics& p = phys_;
    for (int j = 0; j < cfg.sensors; ++j) offset_.push_back(p.sigma[j] * gen_.normal());
    lat_ = gen_.uniform(30.0f, 50.0f);
    lon_ = gen_.uniform(-120.0f, -75.0f);
}

float MachineStream::degradation(int cycle) const {
    if (cycle <= onset_) return 0.0f;
    double num = std::expm1(static_cast<double>(rate_) * (cycle - onset_));
    double den = std::expm1(static_cast<double>(rate_) * (life_ - onset_));
    return static_cast<float>(num / den);
}

Record MachineStream::next() {
    if (done())
        throw std::out_of_range("MachineStream::next: machine " + std::to_string(machine_) + " failed at cycle " +
                                std::to_string(life_));
    const MachinePhysics& p = phys_;
    int r = static_cast<int>(gen_.below(static_cast<uint64_t>(cfg_.regimes)));
    float d = degradation(cycle_);
    Record rec;
    rec.device = machine_;
    rec.timestamp_s = cycle_ * cfg_.cycle_s;
    rec.lat = lat_;
    rec.lon = lon_;
    for (int k = 0; k < 3; ++k) rec.values.push_back(p.settings[3 * r + k] * (1.0f + 0.001f * gen_.normal()));
    for (int j = 0; j < cfg_.sensors; ++j) {
        float x = p.base[j] + p.regime_shift[static_cast<size_t>(r) * cfg_.sensors + j] + offset_[j] +
                  p.sens[j] * d + cfg_.noise * p.sigma[j] * gen_.normal();
        if (cfg_.missing_rate > 0 && gen_.uniform() < cfg_.missing_rate) x = std::numeric_limits<float>::quiet_NaN();
        rec.values.push_back(x);
    }
    int rul = life_ - cycle_;
    rec.target = std::min(static_cast<float>(rul), cfg_.rul_cap);
    rec.label = rul <= cfg_.failure_horizon ? 1 : 0;
    ++cycle_;
    return rec;
}

MachineSimulator::MachineSimulator(MachineConfig cfg) : cfg_(cfg), stream_(cfg, 0) {}

Record MachineSimulator::next() {
    if (!has_next()) throw std::out_of_range("MachineSimulator::next: the whole fleet has failed");
    Record r = stream_.next();
    if (stream_.done() && ++current_ < cfg_.machines) stream_ = MachineStream(cfg_, current_);
    return r;
}

MachinePhysics machine_physics(const MachineConfig& cfg) {
    validate(cfg);
    return draw_physics(cfg);
}

}  // namespace iotgrad::iot
