// Shared pieces of the iotgrad_bench program: options, the timing rule, and
// the GEMM section's results (see bench_main.cpp for the output formats).
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace iotgrad::bench {

struct Options {
    bool quick = false;
    std::string json_path;            // empty: no JSON
    std::vector<int> threads{1, 2};   // thread counts to run, ascending
    std::vector<int64_t> sizes;       // GEMM n; empty: the default list
    bool run_gemm = true;             // --sections
    bool run_models = true;
    std::vector<std::string> models;  // model names to run; empty: all five
    bool load = false;                // --load: default vs 1 thread, idle and loaded (bench_load.cpp)
};

/// Timing rule for one measurement: `warmup` untimed calls, then `reps`
/// repetitions, each repeating the call until it has run at least `min_time_s`;
/// the result is the median over repetitions of the time per call.
struct TimingRule {
    int warmup = 2;
    int reps = 5;
    double min_time_s = 0.2;
};

/// Median seconds per call of f() under `rule` (std::chrono::steady_clock).
template <class F>
double seconds_per_call(F&& f, const TimingRule& rule) {
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < rule.warmup; ++i) f();
    // Calibrate: how many calls make one repetition last min_time_s.
    auto t0 = clock::now();
    f();
    const double once = std::chrono::duration<double>(clock::now() - t0).count();
    const int64_t calls = std::max<int64_t>(1, static_cast<int64_t>(rule.min_time_s / std::max(once, 1e-9)));
    std::vector<double> per_call;
    for (int r = 0; r < rule.reps; ++r) {
        t0 = clock::now();
        for (int64_t c = 0; c < calls; ++c) f();
        per_call.push_back(std::chrono::duration<double>(clock::now() - t0).count() / static_cast<double>(calls));
    }
    std::sort(per_call.begin(), per_call.end());
    const size_t h = per_call.size() / 2;
    return per_call.size() % 2 ? per_call[h] : 0.5 * (per_call[h - 1] + per_call[h]);
}

/// One square GEMM size: the fast kernel at each thread count, the reference
/// kernel (one thread) when it was run, and the fast kernel's largest error
/// relative to the reference's largest magnitude.
struct GemmResult {
    int64_t n = 0;
    std::vector<std::pair<int, double>> gflops_by_threads;  // (threads, GFLOP/s)
    std::optional<double> reference_gflops;
    std::optional<double> max_rel_err;
};

/// Runs the GEMM section: square n x n products, C = A B.
std::vector<GemmResult> run_gemm_bench(const Options& opt);

/// One reference model: its name in torch_reference.py, its iot::make_model
/// kind, and the parameter count both must have.
struct ModelCase {
    std::string name;
    std::string kind;
    int64_t expected_params;
};

/// MLP, CNN1d, LSTM, Transformer, Autoencoder, in the reference's order.
const std::vector<ModelCase>& model_cases();

/// One training step of a reference model per call (batch 64, Adam(lr 1e-3),
/// 8 synthetic batches in turn): the step the models section times.
std::function<void()> train_step(const ModelCase& c);

/// One model's measurements (the compare.py schema's "models" entries).
struct ModelResult {
    std::string name;
    int64_t params = 0;
    std::vector<std::pair<int, double>> train_by_threads;  // (threads, samples/s)
    double latency_b1_ms = 0;                              // median, largest thread count
    double infer_b256_samples_per_s = 0;
};

/// Runs the models section: training throughput at each thread count, batch-1
/// latency and batch-256 throughput at the largest.
std::vector<ModelResult> run_model_bench(const Options& opt);

/// The --load section: default threads against 1 thread for tutorial 06's CNN,
/// the LSTM and GEMM n = 256, idle and with a busy child process on one core;
/// prints a Markdown table. Returns the exit code.
int run_load_bench();

}  // namespace iotgrad::bench
