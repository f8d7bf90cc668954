/// \file
/// Internals of the fast GEMM (tensor/gemm_blocked.cpp): the register tile
/// chosen per target, the blocking constants, packing and the micro-kernel.
///
/// The scheme is GotoBLAS/BLIS's. C is cut into kMR x kNR register tiles. For
/// each tile the micro-kernel computes
/// \f$ C_{tile} \leftarrow \sum_{p<k_c} a_p b_p^T + \beta C_{tile} \f$,
/// a sum of k_c outer products of a column of op(A) (kMR numbers) and a row of
/// op(B) (kNR numbers), keeping the whole tile in vector registers. Its operands
/// are *packed* first: op(A) into micro-panels of kMR rows stored k-major, op(B)
/// into micro-panels of kNR columns stored k-major, so the kernel reads both
/// with unit stride whatever the transposes and leading dimensions were
/// (alpha is folded into the packed A).
/// Blocks of kKC (depth), kMC (rows) and kNC (columns) keep the packed panels
/// in cache while they are reused.
#pragma once
#include <cstdint>
#include <cstring>

#include "tensor/gemm.hpp"

namespace iotgrad::tensor::gemm_detail {

// ---- the register tile, per target ------------------------------------------
// kVecLen floats per vector register; the tile is kMR rows x kNV vectors. The
// tile must fit the register file with room for kNV loads of B and one
// broadcast of A: 12x2 zmm = 24 of 32 (AVX-512), 6x2 ymm = 12 of 16 (AVX2),
// 8x3 q = 24 of 32 (NEON), 4x2 xmm = 8 of 16 (SSE2; 6x2 spilled). GCC and
// Clang's vector extension maps VecF onto those registers without intrinsics;
// other compilers get plain scalar code.
#if defined(__GNUC__) || defined(__clang__)
#if defined(__AVX512F__)
constexpr int kVecLen = 16, kMR = 12, kNV = 2;
#elif defined(__AVX2__) || defined(__AVX__)
constexpr int kVecLen = 8, kMR = 6, kNV = 2;
#elif defined(__ARM_NEON) || defined(__aarch64__)
constexpr int kVecLen = 4, kMR = 8, kNV = 3;
#elif defined(__SSE2__)
constexpr int kVecLen = 4, kMR = 4, kNV = 2;  // no FMA: every update needs a temporary
#else
constexpr int kVecLen = 4, kMR = 4, kNV = 2;  // generic vectors, lowered by the compiler
#endif
typedef float VecF __attribute__((vector_size(kVecLen * sizeof(float))));
#else
constexpr int kVecLen = 1, kMR = 4, kNV = 4;
using VecF = float;
#endif

/// Columns of one register tile.
constexpr int kNR = kVecLen * kNV;

// ---- cache blocking ---------------------------------------------------------
/// Depth of one packed block: a kMR x kKC micro-panel of A (12 KiB on AVX-512)
/// stays in L1 while the kernel streams panels of B past it.
constexpr int64_t kKC = 256;
/// Rows of op(A) packed at once (kMC x kKC floats: 144 KiB, in L2).
constexpr int64_t kMC = kMR * 12;
/// Columns of op(B) packed at once (kKC x kNC floats: 512 KiB, in L2).
constexpr int64_t kNC = kNR * 16;

// ---- when to skip packing or threads -----------------------------------------
/// Matrix-vector-like shapes go to gemm_small: up to kSkinnyRows rows of C, or
/// (with op(B) = B^T, the Linear-layer forward) up to kSkinnyCols columns. A
/// register tile there would be mostly zero padding; the unpacked loops were
/// 2-5x faster at m = 2 and at n = 4..8. Everything larger, even 16 x 16 x 16,
/// was faster packed.
constexpr int64_t kSkinnyRows = 4, kSkinnyCols = 8;
/// Multiply-adds (m*n*k) up to which GEMM stays on one thread: 2^20, about
/// 10 us of work on one core. Waking a second thread costs a microsecond on
/// an idle machine, but on a busy one (other processes on the other core) a
/// whole time slice, milliseconds: with OpenBLAS's 64^3 cut-off, batch-1
/// inference of the CNN took 1.4 ms on two threads against 0.07 ms on one,
/// and the LSTM's 128 recurrent steps (64 x 256 x 64 each) waited for the
/// second core at every step.
constexpr int64_t kThreadWork = int64_t{1} << 20;

// ---- vector helpers (memcpy compiles to one unaligned load/store) -----------
inline VecF load(const float* p) {
    VecF v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(float* p, VecF v) { std::memcpy(p, &v, sizeof v); }

// ---- the pieces (gemm_pack.cpp, gemm_micro.cpp, gemm_small.cpp) -------------
/// Packs rows [i0, i0+mc) x depth [p0, p0+kc) of alpha op(A) into
/// ceil(mc/kMR) micro-panels; panel q holds alpha * element (i0 + q*kMR + r,
/// p0 + p) at dst[q*kMR*kc + p*kMR + r]. Rows past mc are zero.
void pack_a(const GemmArgs& g, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst);

/// Packs depth [p0, p0+kc) x columns [j0, j0+nc) of op(B) into ceil(nc/kNR)
/// micro-panels; panel q holds element (p0 + p, j0 + q*kNR + j) at
/// dst[q*kNR*kc + p*kNR + j]. Columns past nc are zero.
void pack_b(const GemmArgs& g, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* dst);

/// C[0:mr, 0:nr] = (packed A panel)(packed B panel) + beta * C, for
/// kc >= 1, mr <= kMR, nr <= kNR. beta == 0 never reads C.
void micro_kernel(int64_t kc, const float* a, const float* b, float beta, float* c, int64_t ldc, int mr, int nr);

/// The unpacked single-thread path for matrix-vector-like shapes (use_small_path).
void gemm_small(const GemmArgs& g);

/// True when gemm_small is the better path for this shape.
inline bool use_small_path(const GemmArgs& g) {
    return g.m <= kSkinnyRows || g.n == 1 || (g.trans_b && g.n <= kSkinnyCols);
}

}  // namespace iotgrad::tensor::gemm_detail
