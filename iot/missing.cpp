#include "iot/missing.hpp"

#include <cmath>
#include <stdexcept>

#include "tensor/shape.hpp"

namespace iotgrad::iot {
namespace {

/// The [T, C] block as a contiguous copy; throws ShapeError for another rank.
Tensor as_matrix(const Tensor& x, const char* op) {
    if (x.dim() != 2)
        throw ShapeError(std::string(op) + ": expected a [T, C] tensor, got " + shape_str(x.shape()));
    return x.contiguous().clone();
}

}  // namespace

MissingStrategy parse_missing_strategy(const std::string& name) {
    if (name == "drop") return MissingStrategy::kDrop;
    if (name == "ffill") return MissingStrategy::kForwardFill;
    if (name == "interpolate") return MissingStrategy::kInterpolate;
    if (name == "mask") return MissingStrategy::kMask;
    throw std::invalid_argument("missing-value strategy must be one of drop, ffill, interpolate, mask; got '" +
                                name + "'");
}

std::string missing_strategy_name(MissingStrategy s) {
    switch (s) {
        case MissingStrategy::kDrop: return "drop";
        case MissingStrategy::kForwardFill: return "ffill";
        case MissingStrategy::kInterpolate: return "interpolate";
        case MissingStrategy::kMask: return "mask";
    }
    return "?";
}

int64_t channels_after(MissingStrategy s, int64_t channels) {
    return s == MissingStrategy::kMask ? 2 * channels : channels;
}

std::vector<int64_t> complete_rows(const Tensor& x) {
    const Tensor m = as_matrix(x, "complete_rows");
    const int64_t T = m.size(0), C = m.size(1);
    const float* p = m.data();
    std::vector<int64_t> rows;
    for (int64_t t = 0; t < T; ++t) {
        bool ok = true;
        for (int64_t c = 0; c < C && ok; ++c) ok = !std::isnan(p[t * C + c]);
        if (ok) rows.push_back(t);
    }
    return rows;
}

Tensor drop_missing(const Tensor& x, std::vector<int64_t>* kept) {
    const Tensor m = as_matrix(x, "drop_missing");
    const std::vector<int64_t> rows = complete_rows(m);
    const int64_t C = m.size(1);
    Tensor out = Tensor::zeros({static_cast<int64_t>(rows.size()), C});
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (int64_t c = 0; c < C; ++c) out.data()[static_cast<int64_t>(r) * C + c] = m.data()[rows[r] * C + c];
    if (kept) *kept = rows;
    return out;
}

Tensor forward_fill(const Tensor& x) {
    Tensor m = as_matrix(x, "forward_fill");
    const int64_t T = m.size(0), C = m.size(1);
    float* p = m.data();
    for (int64_t c = 0; c < C; ++c) {
        int64_t first = 0;
        while (first < T && std::isnan(p[first * C + c])) ++first;
        const float lead = first < T ? p[first * C + c] : 0.0f;  // nothing earlier: the first value
        float last = lead;
        for (int64_t t = 0; t < T; ++t) {
            float& v = p[t * C + c];
            if (std::isnan(v)) v = last;
            else last = v;
        }
    }
    return m;
}

Tensor interpolate_missing(const Tensor& x) {
    Tensor m = as_matrix(x, "interpolate_missing");
    const int64_t T = m.size(0), C = m.size(1);
    float* p = m.data();
    for (int64_t c = 0; c < C; ++c) {
        int64_t prev = -1;  // last observed row
        for (int64_t t = 0; t <= T; ++t) {
            if (t < T && std::isnan(p[t * C + c])) continue;
            // rows prev+1 .. t-1 are a gap between observed rows prev and t (either may be missing)
            for (int64_t g = prev + 1; g < t; ++g) {
                float v = 0.0f;
                if (prev >= 0 && t < T) {
                    const float a = p[prev * C + c], b = p[t * C + c];
                    v = a + (b - a) * static_cast<float>(g - prev) / static_cast<float>(t - prev);
                } else if (prev >= 0) {
                    v = p[prev * C + c];
                } else if (t < T) {
                    v = p[t * C + c];
                }
                p[g * C + c] = v;
            }
            prev = t;
        }
    }
    return m;
}

Tensor mask_missing(const Tensor& x) {
    const Tensor m = as_matrix(x, "mask_missing");
    const int64_t T = m.size(0), C = m.size(1);
    Tensor out = Tensor::zeros({T, 2 * C});
    for (int64_t t = 0; t < T; ++t)
        for (int64_t c = 0; c < C; ++c) {
            const float v = m.data()[t * C + c];
            const bool miss = std::isnan(v);
            out.data()[t * 2 * C + c] = miss ? 0.0f : v;
            out.data()[t * 2 * C + C + c] = miss ? 1.0f : 0.0f;
        }
    return out;
}

Tensor apply_missing(const Tensor& x, MissingStrategy s, std::vector<int64_t>* kept) {
    if (s == MissingStrategy::kDrop) return drop_missing(x, kept);
    if (kept) {
        kept->resize(static_cast<std::size_t>(x.dim() == 2 ? x.size(0) : 0));
        for (std::size_t i = 0; i < kept->size(); ++i) (*kept)[i] = static_cast<int64_t>(i);
    }
    switch (s) {
        case MissingStrategy::kForwardFill: return forward_fill(x);
        case MissingStrategy::kInterpolate: return interpolate_missing(x);
        default: return mask_missing(x);
    }
}

}  // namespace iotgrad::iot
