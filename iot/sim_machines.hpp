/// \file
/// A simulated fleet of industrial machines run to failure, standing in for
/// NASA's C-MAPSS turbofan data (Saxena et al. 2008): one record per
/// operating cycle, a few operating settings, noisy sensors, and the remaining
/// useful life (RUL) as the target.
///
/// What it imitates. Each machine has a life L (cycles until failure) and a
/// hidden degradation that is zero until a random onset cycle s and then grows
/// exponentially, reaching 1 exactly at failure:
/// \f$ D(t) = \frac{e^{\lambda (t - s)} - 1}{e^{\lambda (L - s)} - 1} \f$ for
/// \f$ t \ge s \f$, 0 before. Sensor j reads
/// \f$ x_j(t) = b_j + o_{j,r(t)} + m_j + k_j D(t) + \sigma_j \varepsilon \f$:
/// a fleet baseline \f$b_j\f$, a shift \f$o_{j,r}\f$ for the cycle's operating
/// regime r(t) (drawn per cycle, as in C-MAPSS FD002/FD004, and usually much
/// larger than the degradation: normalise per regime), a machine's
/// manufacturing offset \f$m_j\f$, the wear response \f$k_j D\f$ (most sensors
/// rise with wear, some fall, like C-MAPSS's temperatures and its fuel-flow
/// ratio), and noise.
///
/// Record layout: values = [3 operating settings, `sensors` sensor readings];
/// device = machine id, timestamp = cycle * cycle_s, location = the machine's
/// site; target = RUL capped at rul_cap (the piecewise-linear target used in
/// the literature: flat at the cap early in life, then falling 1 per cycle to
/// 0 at failure); label = 1 when the machine fails within failure_horizon
/// cycles (true RUL <= horizon), else 0. Missing readings (NaN) are optional.
#pragma once
#include <cstdint>
#include <vector>

#include "iot/record.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot {

struct MachineConfig {
    int machines = 100;        ///< Fleet size (C-MAPSS FD001 has 100 training engines).
    uint64_t seed = 0;
    int sensors = 14;          ///< C-MAPSS has 14 informative sensors of 21.
    int regimes = 3;           ///< Discrete operating conditions (1 = FD001-like).
    float noise = 1.0f;        ///< Scales the sensor noise.
    int min_life = 128;        ///< Cycles to failure drawn from [min_life, max_life].
    int max_life = 360;
    float rul_cap = 125.0f;
    int failure_horizon = 30;  ///< label = 1 when failing within this many cycles.
    float missing_rate = 0.0f; ///< Independent chance that a sensor reading is lost.
    double cycle_s = 3600.0;   ///< Seconds per cycle (one flight).
};

/// The fleet's shared physics (see the file comment), drawn from its own
/// sub-stream of the seed so every machine, built independently, agrees on it.
struct MachinePhysics {
    std::vector<float> base, sigma, sens;  ///< b_j, sigma_j, k_j per sensor
    std::vector<float> regime_shift;       ///< o_{j,r}, [regimes][sensors]
    std::vector<float> settings;           ///< [regimes][3] operating settings
};
MachinePhysics machine_physics(const MachineConfig& cfg);

/// One machine's life, cycle by cycle, until failure.
class MachineStream {
public:
    MachineStream(const MachineConfig& cfg, int machine);
    bool done() const { return cycle_ > life_; }
    /// The next cycle's record; throws std::out_of_range after failure.
    Record next();
    int life() const { return life_; }
    int onset() const { return onset_; }
    /// Hidden degradation D(t) of the given cycle (0 before onset, 1 at failure).
    float degradation(int cycle) const;

private:
    MachineConfig cfg_;
    int machine_;
    Generator gen_;
    int life_ = 0, onset_ = 0, cycle_ = 1;
    float rate_ = 0;
    MachinePhysics phys_;
    std::vector<float> offset_;  // manufacturing offsets m_j
    float lat_ = 0, lon_ = 0;
};

/// The fleet: per-fleet sensor physics, and the machines one after another
/// (machine 0's whole life, then machine 1's, ... like C-MAPSS's train file).
class MachineSimulator {
public:
    explicit MachineSimulator(MachineConfig cfg = {});
    const MachineConfig& config() const { return cfg_; }
    /// Machine m's life from its first cycle (0 <= m < machines).
    MachineStream machine(int m) const { return MachineStream(cfg_, m); }
    bool has_next() const { return current_ < cfg_.machines; }
    /// The next record of the sequential fleet stream.
    Record next();


private:
    MachineConfig cfg_;
    int current_ = 0;
    MachineStream stream_;
};

}  // namespace iotgrad::iot
