// The thread count of parallel loops and products: explicit (OMP_NUM_THREADS,
// set_num_threads) or automatic and load-aware. The design is described in
// tensor/parallel.hpp and docs/performance.md ("Threads on a busy machine").
#include "tensor/parallel.hpp"

#include <algorithm>
#include <cmath>

#if defined(_OPENMP)
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <string>

#include <time.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
#endif

namespace iotgrad {

int threads_for_load(int cores, double other_cores) {
    const double taken = std::floor(std::max(0.0, other_cores) + (1.0 - kTakenCoreFraction));
    return static_cast<int>(std::max(1.0, std::min<double>(cores, cores - taken)));
}

#if defined(_OPENMP)
namespace {

/// What the process started with: OMP_NUM_THREADS's count (0 when unset) and
/// the cores OpenMP may use (processors available to us, capped by OMP_THREAD_LIMIT).
struct Defaults {
    int env_threads = 0;
    int cores = 1;
};

const Defaults& defaults() {
    static const Defaults d = [] {
        Defaults r;
        // The first value of the list ("4" or "4,2"), read here rather than through
        // omp_get_max_threads(), which an earlier omp_set_num_threads may have changed.
        const char* env = std::getenv("OMP_NUM_THREADS");
        // A value libgomp would reject (not a positive number) counts as unset.
        if (env != nullptr) r.env_threads = std::max(0, std::atoi(env));
        r.cores = std::max(1, std::min(omp_get_num_procs(), omp_get_thread_limit()));
        return r;
    }();
    return d;
}

/// This thread's explicit count (0: the process default), like OpenMP's
/// per-thread nthreads-var: a worker's set_num_threads(1) leaves the others alone.
thread_local int tl_requested = 0;

/// Busy and total time of all CPUs in seconds, from /proc/stat's first line
/// ("cpu user nice system idle iowait irq softirq steal ..."); steal (time the
/// hypervisor gave to other guests) counts as busy. Also the number of
/// runnable tasks now (procs_running). false where /proc/stat is missing.
bool read_proc_stat(double& busy_s, int& procs_running) {
    std::ifstream f("/proc/stat");
    std::string line;
    if (!f || !std::getline(f, line) || line.compare(0, 4, "cpu ") != 0) return false;
    std::istringstream fields(line.substr(4));
    unsigned long long v[8] = {}, total = 0;
    for (unsigned long long& x : v) {
        if (!(fields >> x)) break;
        total += x;
    }
    const unsigned long long idle = v[3] + v[4];
#if defined(__unix__) || defined(__APPLE__)
    const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
#else
    const double hz = 100.0;
#endif
    busy_s = static_cast<double>(total - idle) / (hz > 0 ? hz : 100.0);
    procs_running = -1;
    while (std::getline(f, line))
        if (line.compare(0, 14, "procs_running ") == 0) {
            procs_running = std::atoi(line.c_str() + 14);
            break;
        }
    return true;
}

/// CPU time this process has used, all threads (spinning OpenMP workers included).
double process_cpu_s() {
    timespec ts{};
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return 0.0;
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// The load sampler behind the automatic count.
class LoadMonitor {
public:
    /// The automatic count, re-sampled at most once per kLoadSamplePeriodMs.
    int threads() {
        const int64_t t = now_ns();
        if (t >= next_ns_.load(std::memory_order_relaxed)) sample(t);
        return threads_.load(std::memory_order_relaxed);
    }
    double other_cores() const { return others_.load(std::memory_order_relaxed); }

private:
    void sample(int64_t t) {
        std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
        if (!lock.owns_lock() || t < next_ns_.load(std::memory_order_relaxed)) return;  // someone else is sampling
        const int cores = defaults().cores;
        double busy = 0;
        int running = -1;
        if (cores == 1 || !read_proc_stat(busy, running)) {  // nothing to decide, or no /proc: OpenMP's count
            threads_.store(cores, std::memory_order_relaxed);
            next_ns_.store(std::numeric_limits<int64_t>::max(), std::memory_order_relaxed);
            return;
        }
        const double self = process_cpu_s();
        double others;
        if (prev_ns_ == 0) {
            others = std::max(0, running - 1);  // first look: the runnable tasks now, less this thread
        } else {
            const double wall = 1e-9 * static_cast<double>(t - prev_ns_);
            others = std::max(0.0, ((busy - prev_busy_) - (self - prev_self_)) / wall);
        }
        prev_ns_ = t, prev_busy_ = busy, prev_self_ = self;
        others_.store(others, std::memory_order_relaxed);
        threads_.store(threads_for_load(cores, others), std::memory_order_relaxed);
        next_ns_.store(t + int64_t{kLoadSamplePeriodMs} * 1000000, std::memory_order_relaxed);
    }

    std::mutex mu_;                       // held by the one thread taking a sample
    std::atomic<int64_t> next_ns_{0};     // steady-clock time of the next sample
    std::atomic<int> threads_{1};         // the automatic count
    std::atomic<double> others_{-1.0};    // other programs' cores in the last period
    int64_t prev_ns_ = 0;                 // the previous sample (guarded by mu_)
    double prev_busy_ = 0, prev_self_ = 0;
};

LoadMonitor& monitor() {
    static LoadMonitor m;
    return m;
}

bool automatic() { return tl_requested == 0 && defaults().env_threads == 0; }

}  // namespace

int max_threads() {
    if (omp_in_parallel()) return 1;
    if (tl_requested > 0) return tl_requested;
    if (defaults().env_threads > 0) return defaults().env_threads;
    return monitor().threads();
}

void set_num_threads(int n) {
    if (n < 0) return;
    tl_requested = n;
    omp_set_num_threads(n > 0 ? n : std::max(1, defaults().env_threads > 0 ? defaults().env_threads : defaults().cores));
}

ThreadLoad thread_load() {
    ThreadLoad r;
    r.automatic = automatic();
    r.threads = max_threads();
    r.cores = defaults().cores;
    r.other_cores = r.automatic ? monitor().other_cores() : -1.0;
    return r;
}

#else  // without OpenMP: one thread, always

int max_threads() { return 1; }
void set_num_threads(int n) { (void)n; }
ThreadLoad thread_load() { return ThreadLoad{false, 1, 1, -1.0}; }

#endif

}  // namespace iotgrad
