// GEMM section of iotgrad_bench: the fast kernel (tensor::gemm) at each thread
// count beside the triple-loop reference (tensor::gemm_reference), on square
// float32 products C = A B with 2 n^3 floating-point operations each.
#include <cmath>
#include <cstdio>
#include <random>

#include "bench.hpp"
#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::bench {

namespace {

/// Above this n the reference loop takes seconds per call: skipped.
constexpr int64_t kReferenceMaxN = 256;

tensor::GemmArgs square_args(int64_t n, const std::vector<float>& a, const std::vector<float>& b,
                             std::vector<float>& c) {
    tensor::GemmArgs g;
    g.m = g.n = g.k = n;
    g.a = a.data(), g.lda = n;
    g.b = b.data(), g.ldb = n;
    g.c = c.data(), g.ldc = n;
    return g;
}

double max_rel_err(const std::vector<float>& got, const std::vector<float>& want) {
    double worst = 0, scale = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        worst = std::max(worst, std::fabs(static_cast<double>(got[i]) - want[i]));
        scale = std::max(scale, std::fabs(static_cast<double>(want[i])));
    }
    return scale > 0 ? worst / scale : worst;
}

GemmResult bench_size(int64_t n, const Options& opt) {
    std::mt19937 rng(static_cast<unsigned>(n));
    std::normal_distribution<float> normal;
    std::vector<float> a(static_cast<size_t>(n * n)), b(a.size()), c(a.size()), ref(a.size());
    for (float& x : a) x = normal(rng);
    for (float& x : b) x = normal(rng);
    const double flop = 2.0 * static_cast<double>(n) * n * n;

    GemmResult r;
    r.n = n;
    const TimingRule fast = opt.quick ? TimingRule{1, 3, 0.02} : TimingRule{2, 7, 0.25};
    const tensor::GemmArgs g = square_args(n, a, b, c);
    for (int t : opt.threads) {
        set_num_threads(t);
        const double s = seconds_per_call([&] { tensor::gemm(g); }, fast);
        r.gflops_by_threads.emplace_back(t, flop / s / 1e9);
    }
    if (n <= kReferenceMaxN) {
        // Slow and single-threaded: one call per repetition is plenty.
        const TimingRule slow = opt.quick ? TimingRule{0, 1, 0.0} : TimingRule{1, 3, 0.0};
        const tensor::GemmArgs gr = square_args(n, a, b, ref);
        const double s = seconds_per_call([&] { tensor::gemm_reference(gr); }, slow);
        r.reference_gflops = flop / s / 1e9;
        r.max_rel_err = max_rel_err(c, ref);
    }
    return r;
}

}  // namespace

std::vector<GemmResult> run_gemm_bench(const Options& opt) {
    std::vector<int64_t> sizes = opt.sizes;
    if (sizes.empty()) sizes = {64, 128, 256, 512, 1024};
    if (opt.sizes.empty() && opt.quick) sizes = {64, 128, 256};
    const int saved_threads = max_threads();
    std::vector<GemmResult> out;
    for (int64_t n : sizes) {
        out.push_back(bench_size(n, opt));
        std::fprintf(stderr, "  gemm n=%lld done\n", static_cast<long long>(n));
    }
    set_num_threads(saved_threads);
    return out;
}

}  // namespace iotgrad::bench
