/// \file
/// The one place OpenMP is used for plain loops. Below a size threshold a loop
/// runs serially, so small tensors never pay thread start-up; without OpenMP
/// at build time everything runs on one thread and gives the same numbers.
#pragma once
#include <cstdint>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace iotgrad {

/// Units of work (elements x cost per element) below which a loop stays on one
/// thread. Measured: at 32768 the small elementwise ops of a training step
/// (8k-32k elements) went parallel and, on a busy machine, spent most of their
/// time in OpenMP's spin-wait (a Conv1d forward on [32, 9, 64] took 62 ms on 2
/// threads vs 0.4 ms on 1). At 2^18 only loops of ~100 µs or more split, where
/// waking a thread team is a small fraction of the work.
constexpr int64_t kParallelThreshold = int64_t{1} << 18;

/// Threads OpenMP would use (1 without OpenMP).
inline int max_threads() {
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/// Sets the number of threads for later parallel loops (ignored without OpenMP).
inline void set_num_threads(int n) {
#if defined(_OPENMP)
    if (n > 0) omp_set_num_threads(n);
#else
    (void)n;
#endif
}

/// Calls f(begin, end) over [0, n) in static chunks, one per thread, when
/// n * cost_per_item exceeds the threshold; otherwise f(0, n) once. Static
/// chunks make the split, and so the numbers, depend only on the thread count.
template <class F>
void parallel_for(int64_t n, int64_t cost_per_item, F&& f) {
    if (n <= 0) return;
#if defined(_OPENMP)
    if (n > 1 && n * cost_per_item >= kParallelThreshold && omp_get_max_threads() > 1 && !omp_in_parallel()) {
#pragma omp parallel
        {
            const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
            const int64_t begin = n * t / nt, end = n * (t + 1) / nt;
            if (begin < end) f(begin, end);
        }
        return;
    }
#else
    (void)cost_per_item;
#endif
    f(int64_t{0}, n);
}

}  // namespace iotgrad
