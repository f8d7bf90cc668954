/// \file
/// Loops over strided, broadcast operands. Every elementwise kernel in
/// iotgrad is one of these loops with a small function inside, so the
/// index arithmetic lives in one place.
#pragma once
#include <array>
#include <cstdint>

#include "tensor/parallel.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::strided {

/// Calls kernel(ptrs, n, inner_strides) once per run along the last
/// dimension, for K operands that all have `shape` (already broadcast: a
/// broadcast dimension has stride 0). When every operand is contiguous the
/// whole tensor is one run with stride 1, which the compiler vectorizes.
template <size_t K, class Kernel>
void for_each_run(const Shape& shape, const std::array<float*, K>& base,
                  const std::array<const Shape*, K>& strides, int64_t cost, Kernel kernel) {
    const int64_t rank = static_cast<int64_t>(shape.size());
    const int64_t total = numel_of(shape);
    if (total == 0) return;
    bool all_contiguous = true;
    const Shape cs = contiguous_strides(shape);
    for (size_t k = 0; k < K; ++k)
        for (int64_t d = 0; d < rank; ++d)
            if (shape[d] != 1 && (*strides[k])[d] != cs[d]) all_contiguous = false;
    std::array<int64_t, K> inner{};
    if (all_contiguous || rank == 0) {
        inner.fill(1);
        parallel_for(total, cost, [&](int64_t b, int64_t e) {
            std::array<float*, K> p;
            for (size_t k = 0; k < K; ++k) p[k] = base[k] + b;
            kernel(p, e - b, inner);
        });
        return;
    }
    const int64_t n = shape[rank - 1];
    const int64_t rows = total / n;
    for (size_t k = 0; k < K; ++k) inner[k] = (*strides[k])[rank - 1];
    parallel_for(rows, n * cost, [&](int64_t rb, int64_t re) {
        // Decompose the first row index into outer coordinates, then step.
        Shape idx(rank > 1 ? rank - 1 : 0, 0);
        int64_t r = rb;
        for (int64_t d = rank - 2; d >= 0; --d) {
            idx[d] = r % shape[d];
            r /= shape[d];
        }
        for (int64_t row = rb; row < re; ++row) {
            std::array<float*, K> p;
            for (size_t k = 0; k < K; ++k) {
                int64_t off = 0;
                for (int64_t d = 0; d < rank - 1; ++d) off += idx[d] * (*strides[k])[d];
                p[k] = base[k] + off;
            }
            kernel(p, n, inner);
            for (int64_t d = rank - 2; d >= 0; --d) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    });
}

/// f(float&) on every element of t, in place.
template <class F>
void for_each(Tensor& t, F f) {
    for_each_run<1>(t.shape(), {t.data()}, {&t.strides()}, 1,
                    [&](const std::array<float*, 1>& p, int64_t n, const std::array<int64_t, 1>& s) {
                        for (int64_t i = 0; i < n; ++i) f(p[0][i * s[0]]);
                    });
}

/// f(float& d, float s) pairing dst with src of the same shape.
template <class F>
void zip_into(Tensor& dst, const Tensor& src, F f) {
    for_each_run<2>(dst.shape(), {dst.data(), const_cast<float*>(src.data())}, {&dst.strides(), &src.strides()}, 1,
                    [&](const std::array<float*, 2>& p, int64_t n, const std::array<int64_t, 2>& s) {
                        if (s[0] == 1 && s[1] == 1) {
                            for (int64_t i = 0; i < n; ++i) f(p[0][i], p[1][i]);
                        } else {
                            for (int64_t i = 0; i < n; ++i) f(p[0][i * s[0]], p[1][i * s[1]]);
                        }
                    });
}

}  // namespace iotgrad::strided
