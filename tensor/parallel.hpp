/// \file
/// The one place OpenMP is used for plain loops, and the one place that decides
/// how many threads a parallel loop or product gets.
///
/// **Why a thread count that looks at the machine.** libgomp's default wait
/// policy spins: a thread that reaches the end of a parallel region keeps its
/// core busy for a while before it sleeps. On a laptop whose other core is busy
/// with another program, the two threads of a region then take turns with that
/// program for time slices, and every region waits milliseconds instead of
/// microseconds (measured on 2 cores with one busy loop: ~12 ms per region, and
/// tutorial 06 trained 50x slower on 2 threads than on 1). `OMP_WAIT_POLICY`
/// fixes the waiting, but only when set before the program starts: libgomp
/// reads it once, before any of our code runs, and there is no call to change it.
///
/// **The design.** By default (no `OMP_NUM_THREADS` in the environment, no
/// set_num_threads(n > 0) on this thread) the count is *automatic*: all cores
/// OpenMP would use, less the cores other programs are using. Every
/// kLoadSamplePeriodMs the first parallel loop that asks reads the machine's
/// busy time from `/proc/stat`, subtracts this process's own CPU time
/// (`CLOCK_PROCESS_CPUTIME_ID`, which includes our own spinning threads), and
/// so knows how many cores the *other* programs kept busy over the last period.
/// A core counts as taken when others used more than kTakenCoreFraction of one.
/// With one core left, loops and products run on one thread, start no team, and
/// nothing spins. The first sample (no period to compare with yet) uses the
/// number of runnable tasks (`procs_running`) instead. Between samples the
/// count is one relaxed atomic load. Where `/proc/stat` does not exist (macOS),
/// the automatic count is OpenMP's.
///
/// The state is what a threading runtime needs and no more: the last sample
/// (behind a mutex that only the sampling thread takes, with try_lock) and the
/// automatic count (an atomic); the explicit count is per thread, like
/// OpenMP's own `nthreads-var`. The user's `OMP_NUM_THREADS` and
/// set_num_threads(n > 0) are obeyed exactly, and `OMP_WAIT_POLICY` /
/// `GOMP_SPINCOUNT` are left to libgomp.
///
/// Below a size threshold a loop runs serially, so small tensors never pay
/// thread start-up; without OpenMP at build time everything runs on one thread
/// and gives the same numbers. Splits are static and every element is computed
/// the same way whatever the thread count, so results do not depend on it.
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

/// How often (milliseconds) the automatic thread count looks at the machine's load.
constexpr int kLoadSamplePeriodMs = 250;

/// Cores' worth of other programs' CPU use above which a core counts as taken
/// (0.2: a core busy a fifth of the time already stalls a two-thread team).
constexpr double kTakenCoreFraction = 0.2;

/// The automatic count's rule: of `cores`, those not taken by other programs
/// that used `other_cores` cores' worth of CPU (a core is taken above
/// kTakenCoreFraction of it); at least 1.
int threads_for_load(int cores, double other_cores);

/// Threads the next parallel loop or product started on this thread may use:
/// the explicit count (OMP_NUM_THREADS or set_num_threads(n > 0)) if there is
/// one, else the automatic, load-aware count; 1 inside a parallel region or
/// without OpenMP.
int max_threads();

/// n > 0: exactly n threads for later parallel loops started on this thread
/// (as omp_set_num_threads); n == 0: back to the automatic, load-aware count
/// (OMP_NUM_THREADS, when set, is the automatic count's replacement). Ignored
/// without OpenMP.
void set_num_threads(int n);

/// What the automatic thread count last decided, for benchmarks and logs.
struct ThreadLoad {
    bool automatic = false;    ///< this thread uses the automatic count
    int threads = 1;           ///< what max_threads() returns now
    int cores = 1;             ///< cores OpenMP would use on an idle machine
    double other_cores = 0.0;  ///< cores' worth of CPU other programs used in the last period (-1: unknown)
};

/// The automatic count's current view (takes a fresh sample when one is due).
ThreadLoad thread_load();

/// Calls f(begin, end) over [0, n) in static chunks, one per thread, when
/// n * cost_per_item exceeds the threshold; otherwise f(0, n) once. Static
/// chunks make the split, and so the numbers, depend only on the thread count.
template <class F>
void parallel_for(int64_t n, int64_t cost_per_item, F&& f) {
    if (n <= 0) return;
#if defined(_OPENMP)
    if (n > 1 && n * cost_per_item >= kParallelThreshold) {
        const int threads = max_threads();
        if (threads > 1) {
#pragma omp parallel num_threads(threads)
            {
                const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
                const int64_t begin = n * t / nt, end = n * (t + 1) / nt;
                if (begin < end) f(begin, end);
            }
            return;
        }
    }
#else
    (void)cost_per_item;
#endif
    f(int64_t{0}, n);
}

}  // namespace iotgrad
