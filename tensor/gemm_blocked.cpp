// The fast GEMM: C <- alpha op(A) op(B) + beta C, GotoBLAS/BLIS style.
//
// Loop nest for one slab of C (names as in BLIS; constants in gemm_kernel.hpp):
//
//   for jc in columns, step kNC:          B block: kKC x kNC, packed, in L2
//     for pc in depth,  step kKC:         beta applies to the first pc only
//       pack_b(op(B)[pc.., jc..])
//       for ic in rows, step kMC:         A block: kMC x kKC, packed
//         pack_a(op(A)[ic.., pc..])
//         for ir in ic block, step kMR:   A micro-panel stays in L1 ...
//           for jr in jc block, step kNR: ... while B micro-panels stream by
//             micro_kernel -> C[ir.., jr..]
//
// Threads: C is split into one slab per thread, along n (in whole kNR tiles)
// or along m (whole kMR tiles), whichever is longer. Each thread packs its own
// panels into its own buffer and never waits for another, and every element of
// C is summed over k in the same order whatever the thread count, so results
// are bitwise identical for any number of threads. K is never split.
// Matrix-vector-like shapes take gemm_small (no packing, one thread), and
// products up to kThreadWork never start threads.
#include <algorithm>
#include <new>

#include "tensor/gemm_kernel.hpp"
#include "tensor/parallel.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace iotgrad::tensor {

using namespace gemm_detail;

namespace {

/// A rectangle of C: rows [m0, m1), columns [n0, n1).
struct Slab {
    int64_t m0, m1, n0, n1;
};

/// Float buffer aligned to 64 bytes (a cache line; the design notes measured
/// +7% at n = 1024 over unaligned panels), not zeroed.
class AlignedBuffer {
public:
    explicit AlignedBuffer(int64_t n)
        : p_(static_cast<float*>(::operator new(static_cast<size_t>(n) * sizeof(float), std::align_val_t(64)))) {}
    ~AlignedBuffer() { ::operator delete(p_, std::align_val_t(64)); }
    AlignedBuffer(const AlignedBuffer&) = delete;
    AlignedBuffer& operator=(const AlignedBuffer&) = delete;
    float* get() const { return p_; }

private:
    float* p_;
};

int64_t ceil_div(int64_t x, int64_t d) { return (x + d - 1) / d; }
int64_t round_up(int64_t x, int64_t unit) { return ceil_div(x, unit) * unit; }

/// Floats one thread needs for its packed A block and B block.
int64_t packed_floats(const GemmArgs& g) {
    const int64_t kc = std::min(kKC, g.k);
    return round_up(std::min(kMC, g.m), kMR) * kc + round_up(std::min(kNC, g.n), kNR) * kc;
}

/// C <- beta C (alpha == 0 or k == 0: A and B are not read, as in BLAS).
void scale_c(const GemmArgs& g) {
    for (int64_t i = 0; i < g.m; ++i) {
        float* c = g.c + i * g.ldc;
        for (int64_t j = 0; j < g.n; ++j) c[j] = g.beta == 0.0f ? 0.0f : g.beta * c[j];
    }
}

/// The packed loop nest over one slab; `buf` holds packed_floats(g) floats.
void gemm_slab(const GemmArgs& g, const Slab& s, float* buf) {
    float* pa = buf;
    float* pb = buf + round_up(std::min(kMC, g.m), kMR) * std::min(kKC, g.k);
    // Equal depth blocks of at most kKC (k = 300: 150 + 150, not 256 + 44).
    const int64_t kstep = ceil_div(g.k, ceil_div(g.k, kKC));
    for (int64_t jc = s.n0; jc < s.n1; jc += kNC) {
        const int64_t nc = std::min(kNC, s.n1 - jc);
        for (int64_t pc = 0; pc < g.k; pc += kstep) {
            const int64_t kc = std::min(kstep, g.k - pc);
            const float beta = pc == 0 ? g.beta : 1.0f;
            pack_b(g, pc, kc, jc, nc, pb);
            for (int64_t ic = s.m0; ic < s.m1; ic += kMC) {
                const int64_t mc = std::min(kMC, s.m1 - ic);
                pack_a(g, ic, mc, pc, kc, pa);
                for (int64_t ir = 0; ir < mc; ir += kMR) {
                    const int mr = static_cast<int>(std::min<int64_t>(kMR, mc - ir));
                    for (int64_t jr = 0; jr < nc; jr += kNR) {
                        const int nr = static_cast<int>(std::min<int64_t>(kNR, nc - jr));
                        micro_kernel(kc, pa + ir * kc, pb + jr * kc, beta, g.c + (ic + ir) * g.ldc + jc + jr,
                                     g.ldc, mr, nr);
                    }
                }
            }
        }
    }
}

#if defined(_OPENMP)
/// Slab t of nt: C split along its longer side in whole register tiles.
Slab slab_of(const GemmArgs& g, int t, int nt) {
    const bool by_cols = g.n >= g.m;
    const int64_t unit = by_cols ? kNR : kMR, len = by_cols ? g.n : g.m;
    const int64_t tiles = ceil_div(len, unit);
    const int64_t b = std::min(len, tiles * t / nt * unit), e = std::min(len, tiles * (t + 1) / nt * unit);
    return by_cols ? Slab{0, g.m, b, e} : Slab{b, e, 0, g.n};
}
#endif

/// Threads worth using: 1 for small products, inside a parallel region, or
/// without OpenMP; else max_threads() (explicit or load-aware, parallel.hpp),
/// never more than there are tiles along the split side.
int threads_for(const GemmArgs& g) {
#if defined(_OPENMP)
    if (g.m * g.n * g.k <= kThreadWork || omp_in_parallel()) return 1;
    const int64_t tiles = g.n >= g.m ? ceil_div(g.n, kNR) : ceil_div(g.m, kMR);
    return static_cast<int>(std::min<int64_t>(max_threads(), tiles));
#else
    (void)g;
    return 1;
#endif
}

}  // namespace

void gemm(const GemmArgs& g) {
    if (g.m <= 0 || g.n <= 0) return;
    if (g.k <= 0 || g.alpha == 0.0f) return scale_c(g);
    if (use_small_path(g)) return gemm_small(g);

    const int nt = threads_for(g);
    const int64_t per_thread = packed_floats(g);
    AlignedBuffer buf(per_thread * nt);  // allocated before any thread starts: nothing throws inside
#if defined(_OPENMP)
    if (nt > 1) {
#pragma omp parallel num_threads(nt)
        {
            // The runtime may grant fewer than nt threads: split by what we got.
            const int t = omp_get_thread_num(), got = omp_get_num_threads();
            gemm_slab(g, slab_of(g, t, got), buf.get() + t * per_thread);
        }
        return;
    }
#endif
    gemm_slab(g, Slab{0, g.m, 0, g.n}, buf.get());
}

}  // namespace iotgrad::tensor
