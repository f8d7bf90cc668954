/// \file
/// exp, sigmoid and tanh written so that a loop over them vectorizes: no
/// library call, no branch (both sides computed, then selected). The fused
/// recurrent and attention kernels call them on every gate and score, where
/// a scalar libm call per element would cost more than the matrix products.
/// Accuracy: within a few float32 ulps of std::exp / std::tanh (tested in
/// tests/tensor/test_fast_math.cpp). exp clamps its argument to
/// [-87.3, 88.3] (results about 1e-38 and 2e38: no denormals, no infinity),
/// so sigmoid and tanh never produce NaN.
#pragma once
#include <cstdint>
#include <cstring>

namespace iotgrad::fastmath {

/// \f$ e^x \f$ by range reduction \f$ x = n \ln 2 + r,\ |r| \le \ln 2 / 2 \f$,
/// a degree-6 polynomial for \f$ e^r \f$ (Cephes expf coefficients) and
/// \f$ 2^n \f$ built in the exponent bits.
inline float exp(float x) {
    x = x < -87.3f ? -87.3f : (x > 88.3f ? 88.3f : x);
    const float n = static_cast<float>(static_cast<int32_t>(x * 1.44269504088896341f + (x >= 0 ? 0.5f : -0.5f)));
    // r = x - n ln2, with ln2 split in two so the product is exact.
    const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float er = p * r * r + r + 1.0f;
    // 2^n for n in [-126, 127]: n + 127 in the exponent field.
    const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return er * scale;
}

/// \f$ \sigma(x) = 1 / (1 + e^{-x}) \f$.
inline float sigmoid(float x) { return 1.0f / (1.0f + fastmath::exp(-x)); }

/// \f$ \tanh x \f$: an odd polynomial for \f$ |x| < 0.625 \f$ (Cephes tanhf),
/// where \f$ 1 - 2/(e^{2|x|} + 1) \f$ would lose digits to cancellation; that
/// formula with the sign of x elsewhere.
inline float tanh(float x) {
    const float ax = x < 0 ? -x : x;
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = p * z * x + x;
    const float big = 1.0f - 2.0f / (fastmath::exp(2.0f * ax) + 1.0f);
    return ax < 0.625f ? small : (x < 0 ? -big : big);
}

/// Partial sums kept by sum() and dot(): one AVX-512 vector of floats. A
/// single running sum is a chain of dependent adds (4 cycles each), which
/// the compiler may not reorder; 16 independent ones vectorize.
constexpr int kLanes = 16;

/// \f$ \sum_i x_i \f$ in 16 interleaved partial sums, then added up (a
/// fixed order: the same numbers for any thread count).
inline float sum(const float* x, int64_t n) {
    float acc[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] += x[i + l];
    float s = 0.0f;
    for (; i < n; ++i) s += x[i];
    for (int l = 0; l < kLanes; ++l) s += acc[l];
    return s;
}

/// \f$ \sum_i x_i y_i \f$, partial sums as in sum().
inline float dot(const float* x, const float* y, int64_t n) {
    float acc[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] += x[i + l] * y[i + l];
    float s = 0.0f;
    for (; i < n; ++i) s += x[i] * y[i];
    for (int l = 0; l < kLanes; ++l) s += acc[l];
    return s;
}

/// \f$ \max_i x_i \f$ for n >= 1 (NaN inputs: unspecified which value wins).
inline float max(const float* x, int64_t n) {
    float acc[kLanes];
    for (int l = 0; l < kLanes; ++l) acc[l] = x[0];
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) acc[l] = x[i + l] > acc[l] ? x[i + l] : acc[l];
    float m = x[0];
    for (; i < n; ++i) m = x[i] > m ? x[i] : m;
    for (int l = 0; l < kLanes; ++l) m = acc[l] > m ? acc[l] : m;
    return m;
}

}  // namespace iotgrad::fastmath
