// The GEMM micro-kernel: one kMR x kNR tile of C held in vector registers
// while kc rank-1 updates stream through it (see tensor/gemm_kernel.hpp).
//
// Written so that g++ and clang keep the accumulators in registers: the tile
// loops are fully unrolled (otherwise a large tile lands on the stack), and
// the first k step is peeled to initialise the accumulators (`acc = {}`
// became a memset plus a stack copy). The inner loop should compile to kNV
// vector loads of B, kMR broadcasts of A and kMR*kNV FMAs; check with
// `objdump -d --no-show-raw-insn libiotgrad.a | less` when changing it.
//
// The kernel is a template on its row count R so that the last row panel of
// an m that is not a multiple of kMR (m = 64 leaves 4 rows of 12) runs a
// shorter kernel instead of multiplying zero padding.
#include "tensor/gemm_kernel.hpp"

namespace iotgrad::tensor::gemm_detail {

namespace {

/// C[0:R, 0:kNR] = acc + beta * C. The same vector arithmetic serves full
/// tiles (in C) and edge tiles (in a scratch tile), so an element's value
/// does not depend on where the tile boundaries fall.
template <int R>
inline void store_tile(const VecF (&acc)[R][kNV], float beta, float* c, int64_t ldc) {
    if (beta == 0.0f) {
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
            for (int v = 0; v < kNV; ++v) store(c + r * ldc + v * kVecLen, acc[r][v]);
    } else {
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
            for (int v = 0; v < kNV; ++v) {
                float* cp = c + r * ldc + v * kVecLen;
                store(cp, acc[r][v] + beta * load(cp));
            }
    }
}

/// Edge tile: go through a full-size scratch tile and copy the valid mr x nr part.
template <int R>
void store_edge(const VecF (&acc)[R][kNV], float beta, float* c, int64_t ldc, int mr, int nr) {
    alignas(64) float tile[R * kNR] = {};
    if (beta != 0.0f)
        for (int r = 0; r < mr; ++r)
            for (int j = 0; j < nr; ++j) tile[r * kNR + j] = c[r * ldc + j];
    store_tile<R>(acc, beta, tile, kNR);
    for (int r = 0; r < mr; ++r)
        for (int j = 0; j < nr; ++j) c[r * ldc + j] = tile[r * kNR + j];
}

/// The first R rows of a packed A panel (row stride kMR) times a packed B panel.
template <int R>
void kernel_rows(int64_t kc, const float* a, const float* b, float beta, float* c, int64_t ldc, int mr, int nr) {
    VecF acc[R][kNV];
    VecF bv[kNV];
    // k step 0 initialises the tile: acc = a_0 b_0^T.
#pragma GCC unroll 4
    for (int v = 0; v < kNV; ++v) bv[v] = load(b + v * kVecLen);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
        const float ar = a[r];
#pragma GCC unroll 4
        for (int v = 0; v < kNV; ++v) acc[r][v] = ar * bv[v];
    }
    // k steps 1..kc-1: acc += a_p b_p^T, one broadcast of A per row.
    for (int64_t p = 1; p < kc; ++p) {
        a += kMR;
        b += kNR;
#pragma GCC unroll 4
        for (int v = 0; v < kNV; ++v) bv[v] = load(b + v * kVecLen);
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) {
            const float ar = a[r];
#pragma GCC unroll 4
            for (int v = 0; v < kNV; ++v) acc[r][v] += ar * bv[v];
        }
    }
    if (mr == R && nr == kNR)
        store_tile<R>(acc, beta, c, ldc);
    else
        store_edge<R>(acc, beta, c, ldc, mr, nr);
}

/// Shorter kernels for the last row panel: a third and two thirds of kMR.
constexpr int kRowsThird = kMR / 3 > 0 ? kMR / 3 : 1;
constexpr int kRowsTwoThirds = 2 * kMR / 3 > kRowsThird ? 2 * kMR / 3 : kRowsThird;

}  // namespace

void micro_kernel(int64_t kc, const float* a, const float* b, float beta, float* c, int64_t ldc, int mr, int nr) {
    if (mr == kMR || mr > kRowsTwoThirds)
        kernel_rows<kMR>(kc, a, b, beta, c, ldc, mr, nr);
    else if (mr > kRowsThird)
        kernel_rows<kRowsTwoThirds>(kc, a, b, beta, c, ldc, mr, nr);
    else
        kernel_rows<kRowsThird>(kc, a, b, beta, c, ldc, mr, nr);
}

}  // namespace iotgrad::tensor::gemm_detail
