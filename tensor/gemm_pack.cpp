// Packing for the fast GEMM (layout in tensor/gemm_kernel.hpp). Packing is
// where the transpose flags and leading dimensions are absorbed: whatever the
// layout of A and B, the micro-kernel reads its panels with unit stride.
// Partial panels are zero-padded, so the kernel can always run full-width
// vectors and the padding contributes exact zeros. alpha is applied while packing A (as
// BLIS does), so the micro-kernel's epilogue is only C = acc + beta C.
#include <algorithm>

#include "tensor/gemm_kernel.hpp"

namespace iotgrad::tensor::gemm_detail {

namespace {

/// One micro-panel of op(A): rows x kc, rows <= kMR, from A stored row-major
/// (element (i, p) at src[i*lda + p]).
void pack_a_rows(const float* src, int64_t lda, int rows, int64_t kc, float alpha, float* dst) {
    if (rows == kMR) {
        for (int64_t p = 0; p < kc; ++p)
#pragma GCC unroll 16
            for (int r = 0; r < kMR; ++r) dst[p * kMR + r] = alpha * src[r * lda + p];
        return;
    }
    for (int64_t p = 0; p < kc; ++p)
        for (int r = 0; r < kMR; ++r) dst[p * kMR + r] = r < rows ? alpha * src[r * lda + p] : 0.0f;
}

/// One micro-panel of op(A) from A stored transposed (element (i, p) at
/// src[p*lda + i]): each k step is a contiguous run of rows values.
void pack_a_cols(const float* src, int64_t lda, int rows, int64_t kc, float alpha, float* dst) {
    for (int64_t p = 0; p < kc; ++p) {
        const float* s = src + p * lda;
        float* d = dst + p * kMR;
        for (int r = 0; r < rows; ++r) d[r] = alpha * s[r];
        std::fill(d + rows, d + kMR, 0.0f);
    }
}

/// One micro-panel of op(B): kc x cols, cols <= kNR, from B stored row-major
/// (element (p, j) at src[p*ldb + j]): each k step is a contiguous run.
void pack_b_rows(const float* src, int64_t ldb, int cols, int64_t kc, float* dst) {
    for (int64_t p = 0; p < kc; ++p) {
        const float* s = src + p * ldb;
        float* d = dst + p * kNR;
        std::copy(s, s + cols, d);
        std::fill(d + cols, d + kNR, 0.0f);
    }
}

/// One micro-panel of op(B) from B stored transposed (element (p, j) at
/// src[j*ldb + p]). Eight k steps per pass, so each stored row of B is read in
/// 32-byte runs rather than one float at a time (+10% on 64x64x256 with B^T).
void pack_b_cols(const float* src, int64_t ldb, int cols, int64_t kc, float* dst) {
    constexpr int kStep = 8;
    int64_t p = 0;
    for (; p + kStep <= kc; p += kStep)
        for (int j = 0; j < cols; ++j) {
            const float* s = src + j * ldb + p;
#pragma GCC unroll 8
            for (int q = 0; q < kStep; ++q) dst[(p + q) * kNR + j] = s[q];
        }
    for (; p < kc; ++p)
        for (int j = 0; j < cols; ++j) dst[p * kNR + j] = src[j * ldb + p];
    if (cols < kNR)
        for (p = 0; p < kc; ++p)
            for (int j = cols; j < kNR; ++j) dst[p * kNR + j] = 0.0f;
}

}  // namespace

void pack_a(const GemmArgs& g, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
    for (int64_t q = 0; q * kMR < mc; ++q) {
        const int64_t i = i0 + q * kMR;
        const int rows = static_cast<int>(std::min<int64_t>(kMR, mc - q * kMR));
        float* d = dst + q * kMR * kc;
        if (g.trans_a)
            pack_a_cols(g.a + p0 * g.lda + i, g.lda, rows, kc, g.alpha, d);
        else
            pack_a_rows(g.a + i * g.lda + p0, g.lda, rows, kc, g.alpha, d);
    }
}

void pack_b(const GemmArgs& g, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
    for (int64_t q = 0; q * kNR < nc; ++q) {
        const int64_t j = j0 + q * kNR;
        const int cols = static_cast<int>(std::min<int64_t>(kNR, nc - q * kNR));
        float* d = dst + q * kNR * kc;
        if (g.trans_b)
            pack_b_cols(g.b + j * g.ldb + p0, g.ldb, cols, kc, d);
        else
            pack_b_rows(g.b + p0 * g.ldb + j, g.ldb, cols, kc, d);
    }
}

}  // namespace iotgrad::tensor::gemm_detail
