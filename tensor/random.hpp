/// \file
/// The seeded random generator. Every random thing in iotgrad takes one
/// explicitly, so results never depend on what ran before.
#pragma once
#include <cstdint>

namespace iotgrad {

/// A small, portable, seeded generator (xoshiro256** seeded by splitmix64).
/// Portable on purpose: std::normal_distribution differs between standard
/// libraries, so the same seed would give different numbers on macOS and Linux.
class Generator {
public:
    explicit Generator(uint64_t seed = 0);
    /// Next raw 64 random bits.
    uint64_t next_u64();
    /// Uniform in [0, 1) with 24 random bits, the precision of a float.
    float uniform();
    /// Uniform in [lo, hi) (never hi itself, despite float rounding), for lo < hi.
    float uniform(float lo, float hi);
    /// Standard normal by the Box-Muller transform.
    float normal();
    /// Uniform integer in [0, n).
    uint64_t below(uint64_t n);
    /// A generator for a sub-task (a client, a worker) whose stream does not
    /// overlap this one's: seeded from this generator's next output.
    Generator split();

private:
    uint64_t s_[4];
    bool has_spare_ = false;
    float spare_ = 0.0f;
};

}  // namespace iotgrad
