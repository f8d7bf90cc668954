// iotgrad_bench --load (make bench-load): the default thread count against one
// thread, on an idle machine and with another process keeping one core busy.
//
// Workloads: tutorial 06's 1-d CNN (training step at batch 32 with Adam, and
// inference on its 300 test windows), the reference LSTM's training step
// (bench_models.cpp, batch 64) and a square GEMM with n = 256.
//
// The load is a child process (fork) that spins on one core. It is bounded
// twice: it stops by itself after kBusyMaxSeconds, and it is killed when the
// measurements end, when they throw, or when this process dies (Linux:
// PR_SET_PDEATHSIG). It has to be another process: a thread of ours would
// count as our own CPU time, which the automatic thread count subtracts.
//
// Timing: for each workload the two settings are timed in alternation, in
// A B B A order (neither always goes first), kReps repetitions each of at least
// kMinRepSeconds, so both see the same background; medians are reported.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench.hpp"
#include "layers/layers.hpp"
#include "optim/adam.hpp"
#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

#if defined(__unix__)
#include <csignal>
#include <ctime>
#include <sys/wait.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace iotgrad::bench {
namespace {

constexpr double kBusyMaxSeconds = 90.0;  // the busy loop's own time limit
constexpr int kReps = 9;
constexpr double kMinRepSeconds = 0.15;
constexpr double kTarget = 1.10;          // loaded: default at most 10% slower than 1 thread

/// A child process spinning on one core for at most `max_seconds`; stopped
/// (SIGKILL + waitpid) by the destructor at the latest.
class BusyLoop {
public:
    explicit BusyLoop(double max_seconds) {
#if defined(__unix__)
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("bench --load: fork failed; cannot start the busy loop");
        if (pid_ == 0) {  // the child: only async-signal-safe calls from here on
#if defined(__linux__)
            prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
            timespec start{}, now{};
            clock_gettime(CLOCK_MONOTONIC, &start);
            volatile unsigned long spins = 0;
            for (;;) {
                for (int i = 0; i < 1000000; ++i) spins = spins + 1;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (static_cast<double>(now.tv_sec - start.tv_sec) > max_seconds) _exit(0);
            }
        }
#else
        (void)max_seconds;
        throw std::runtime_error("bench --load: needs fork() (Linux or another Unix)");
#endif
    }
    ~BusyLoop() { stop(); }
    BusyLoop(const BusyLoop&) = delete;
    BusyLoop& operator=(const BusyLoop&) = delete;
    void stop() {
#if defined(__unix__)
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
#endif
    }

private:
    int pid_ = -1;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

/// One timed setting: threads (0: the default, automatic count) and its repetitions.
struct Setting {
    explicit Setting(int t) : threads(t) {}
    int threads;
    int64_t calls = 1;
    std::vector<double> per_call;
    ThreadLoad seen;  // what the automatic count decided, after the last repetition
};

/// Times f() under both settings, in alternation; seconds per call (medians).
void time_alternating(const std::function<void()>& f, Setting& a, Setting& b) {
    using clock = std::chrono::steady_clock;
    for (Setting* s : {&a, &b}) {
        set_num_threads(s->threads);
        for (int i = 0; i < 3; ++i) f();  // warm-up (and the first look at the load)
        const auto t0 = clock::now();
        f();
        const double once = std::chrono::duration<double>(clock::now() - t0).count();
        s->calls = std::max<int64_t>(1, static_cast<int64_t>(kMinRepSeconds / std::max(once, 1e-9)));
    }
    for (int r = 0; r < kReps; ++r) {
        Setting* const order[2] = {r % 2 ? &b : &a, r % 2 ? &a : &b};
        for (Setting* s : order) {
            set_num_threads(s->threads);
            const auto t0 = clock::now();
            for (int64_t c = 0; c < s->calls; ++c) f();
            s->per_call.push_back(std::chrono::duration<double>(clock::now() - t0).count() /
                                  static_cast<double>(s->calls));
            s->seen = thread_load();
        }
    }
    set_num_threads(0);
}

struct Row {
    std::string condition, workload;
    double default_ms = 0, one_ms = 0;
    ThreadLoad seen;
};

/// Tutorial 06's Part 3 model: Conv1d(9,16,5,p2) ReLU MaxPool(2) Conv1d(16,32,5,p2) ReLU MaxPool(2) GAP Linear(32,3).
nn::Sequential tutorial06_cnn(Generator& gen) {
    return nn::Sequential(nn::Conv1d(nn::Conv1dOptions(9, 16, 5).padding(2), gen), nn::ReLU(), nn::MaxPool1d(2), nn::Conv1d(nn::Conv1dOptions(16, 32, 5).padding(2), gen),
                          nn::ReLU(), nn::MaxPool1d(2), nn::GlobalAvgPool1d(), nn::Linear(32, 3, gen));
}

std::vector<Row> measure(const std::string& condition) {
    std::vector<Row> rows;
    auto run = [&](const std::string& name, const std::function<void()>& f) {
        Setting def(0), one(1);
        time_alternating(f, def, one);
        Row r{condition, name, 1e3 * median(def.per_call), 1e3 * median(one.per_call), def.seen};
        std::fprintf(stderr, "  %-6s %-32s default %8.3f ms  1T %8.3f ms  (auto: %d thread(s), others %.2f cores)\n",
                     condition.c_str(), name.c_str(), r.default_ms, r.one_ms, r.seen.threads, r.seen.other_cores);
        rows.push_back(r);
    };

    // Tutorial 06, Part 3: batch 32 of [9, 64] windows, 3 classes, Adam(lr 0.01).
    Generator gen(7);
    nn::Sequential cnn = tutorial06_cnn(gen);
    optim::Adam adam(cnn.parameters(), 0.01);
    const Tensor x = Tensor::randn({32, 9, 64}, gen), test = Tensor::randn({300, 9, 64}, gen);
    std::vector<float> labels(32);
    for (float& l : labels) l = static_cast<float>(gen.below(3));
    const Tensor y = Tensor::from({32}, labels);
    run("CNN tutorial 06: train step b32", [&] {
        Variable loss = cross_entropy(cnn(Variable(x)), y);
        adam.zero_grad();
        loss.backward();
        adam.step();
    });
    run("CNN tutorial 06: infer 300 windows", [&] {
        NoGradGuard no_grad;
        (void)cnn(Variable(test));
    });

    // The reference LSTM (bench_models.cpp): one training step at batch 64.
    for (const ModelCase& c : model_cases())
        if (c.name == "LSTM") run("LSTM: train step b64", train_step(c));

    // GEMM n = 256.
    const int64_t n = 256;
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    std::vector<float> a(static_cast<size_t>(n * n)), b(a.size()), cm(a.size());
    for (float& v : a) v = normal(rng);
    for (float& v : b) v = normal(rng);
    tensor::GemmArgs g;
    g.m = g.n = g.k = n;
    g.a = a.data(), g.lda = n, g.b = b.data(), g.ldb = n, g.c = cm.data(), g.ldc = n;
    run("GEMM n=256", [&] { tensor::gemm(g); });
    return rows;
}

}  // namespace

int run_load_bench() {
    std::vector<Row> rows;
    {
        std::fprintf(stderr, "iotgrad_bench --load: idle (no busy loop of ours)\n");
        const std::vector<Row> idle = measure("idle");
        rows.insert(rows.end(), idle.begin(), idle.end());
    }
    {
        std::fprintf(stderr, "iotgrad_bench --load: loaded (a child process spins on one core)\n");
        BusyLoop busy(kBusyMaxSeconds);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it start spinning
        const std::vector<Row> loaded = measure("loaded");
        busy.stop();
        rows.insert(rows.end(), loaded.begin(), loaded.end());
    }
    const ThreadLoad now = thread_load();
    std::printf("\nDefault thread count (automatic, load-aware) against 1 thread; %d core(s); median ms per call\n"
                "(\"auto\": threads the default chose, \"others\": cores other programs used, as it measured)\n\n",
                now.cores);
    std::printf("| condition | workload | default ms | 1 thread ms | default / 1T | auto | others | target |\n"
                "|---|---|---:|---:|---:|---:|---:|---|\n");
    bool met = true;
    for (const Row& r : rows) {
        const double ratio = r.default_ms / r.one_ms;
        std::string target;
        if (r.condition == "loaded") {
            target = ratio <= kTarget ? "met (<= 1.10)" : "NOT met (> 1.10)";
            met = met && ratio <= kTarget;
        } else {
            target = r.seen.threads > 1 ? "uses " + std::to_string(r.seen.threads) + " threads"
                                        : "1 thread (machine busy)";
        }
        std::printf("| %s | %s | %.3f | %.3f | %.2f | %d | %.2f | %s |\n", r.condition.c_str(), r.workload.c_str(),
                    r.default_ms, r.one_ms, ratio, r.seen.threads, r.seen.other_cores, target.c_str());
    }
    std::printf("\nLoaded target (default at most 10%% slower than 1 thread): %s\n", met ? "met" : "NOT met");
    return 0;
}

}  // namespace iotgrad::bench
