/// \file
/// The unit of every IoT stream: a Record (one reading of one device at one
/// time and place) and a Window (T consecutive readings of one device stacked
/// into a [T, C] tensor, the input of a CNN or LSTM).
///
/// IoT data is streamed, heterogeneous and time- and space-correlated, so every
/// record carries a device id, a timestamp and a location. Missing readings
/// (lossy radio links, dropped packets) are stored as NaN in `values`: one
/// representation that survives copying into a Tensor, and `std::isnan` is the
/// single test for it (see is_missing()).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// One reading of one device.
struct Record {
    int device = 0;            ///< Sensor / subject / machine id.
    double timestamp_s = 0.0;  ///< Seconds since the start of the stream.
    float lat = 0.0f;          ///< Latitude in degrees.
    float lon = 0.0f;          ///< Longitude in degrees.
    std::vector<float> values; ///< One value per channel; NaN means missing.
    int label = 0;             ///< Class label (activity, anomaly type, failure-soon flag).
    float target = 0.0f;       ///< Regression target where there is one (remaining useful life), else 0.
};

/// True when a value was lost in transmission (stored as NaN).
inline bool is_missing(float v) { return std::isnan(v); }

/// T consecutive records of one device: x [T, C], row t is record t's values.
struct Window {
    Tensor x;               ///< [T, C] values.
    int label = 0;          ///< The window's class label.
    float target = 0.0f;    ///< The last record's regression target.
    int device = 0;         ///< Device the records came from.
    double t0 = 0.0;        ///< Timestamp of the first row.
};

/// A seed for sub-stream (a, b) of a simulator seeded with `seed`: the
/// splitmix64 finaliser of a mix of the three, so device 7's stream can be
/// built directly (O(1)) without generating devices 0..6 first, and devices
/// never share a stream.
inline uint64_t stream_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (a + 1) + 0xD1B54A32D192ED03ULL * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace iotgrad::iot
