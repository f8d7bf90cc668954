// The fast GEMM against the triple-loop specification (gemm_reference) on odd
// shapes, every transpose combination, alpha/beta, submatrix views and k = 0.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

using iotgrad::tensor::GemmArgs;

namespace {

/// Operands for one product, stored with padding so every leading dimension
/// is `pad` more than the row length (a view into a wider matrix).
struct Problem {
    GemmArgs g;
    std::vector<float> a, b, c;
};

Problem make_problem(bool ta, bool tb, int64_t m, int64_t n, int64_t k, int64_t pad, float alpha, float beta,
                     uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    Problem p;
    GemmArgs& g = p.g;
    g.trans_a = ta, g.trans_b = tb, g.m = m, g.n = n, g.k = k, g.alpha = alpha, g.beta = beta;
    const int64_t a_rows = ta ? k : m, a_cols = ta ? m : k;
    const int64_t b_rows = tb ? n : k, b_cols = tb ? k : n;
    g.lda = a_cols + pad, g.ldb = b_cols + pad, g.ldc = n + pad;
    p.a.resize(static_cast<size_t>(a_rows * g.lda + 1));
    p.b.resize(static_cast<size_t>(b_rows * g.ldb + 1));
    p.c.resize(static_cast<size_t>(m * g.ldc + 1));
    for (float& x : p.a) x = u(rng);
    for (float& x : p.b) x = u(rng);
    for (float& x : p.c) x = u(rng);
    return p;
}

/// Runs gemm and gemm_reference on copies of C; checks every element of C
/// (including the padding, which neither may touch) to ~1e-5 relative per unit of k.
void check_against_reference(Problem p) {
    std::vector<float> expect = p.c;
    GemmArgs ref = p.g;
    ref.a = p.a.data(), ref.b = p.b.data(), ref.c = expect.data();
    iotgrad::tensor::gemm_reference(ref);
    GemmArgs fast = ref;
    fast.c = p.c.data();
    iotgrad::tensor::gemm(fast);
    const double tol = 1e-5 * static_cast<double>(std::max<int64_t>(p.g.k, 1));
    int64_t bad = 0;
    for (size_t i = 0; i < expect.size(); ++i) {
        const double e = expect[i], got = p.c[i];
        if (!(std::fabs(got - e) <= tol * std::max(1.0, std::fabs(e)))) ++bad;
    }
    INFO("trans_a=" << p.g.trans_a << " trans_b=" << p.g.trans_b << " m=" << p.g.m << " n=" << p.g.n
                    << " k=" << p.g.k << " alpha=" << p.g.alpha << " beta=" << p.g.beta << " ldc=" << p.g.ldc);
    CHECK(bad == 0);
}

/// check_against_reference for all four (trans_a, trans_b) combinations.
void check_all_transposes(int64_t m, int64_t n, int64_t k, int64_t pad, float alpha, float beta, uint32_t& seed) {
    for (int t = 0; t < 4; ++t) check_against_reference(make_problem(t & 1, t & 2, m, n, k, pad, alpha, beta, seed++));
}

}  // namespace

TEST_CASE("gemm matches the reference on odd shapes and every transpose", "[tensor][gemm]") {
    const int64_t sizes[] = {1, 7, 33, 257};
    uint32_t seed = 1;
    for (int64_t m : sizes)
        for (int64_t n : sizes)
            for (int64_t k : sizes)
                if (m * n * k <= 257 * 33 * 33)  // keeps the reference loop quick
                    check_all_transposes(m, n, k, 0, 1.0f, 0.0f, seed);
}

TEST_CASE("gemm handles tiles cut by every edge and a deep k", "[tensor][gemm]") {
    // 13x100x5: partial tiles both ways; 40x37x600: three k blocks;
    // 200x70x40 and 70x200x40: threads split rows or columns.
    const int64_t shapes[][3] = {{13, 100, 5},  {40, 37, 600}, {200, 70, 40},
                                 {70, 200, 40}, {1, 257, 33},  {257, 1, 33}};
    uint32_t seed = 100;
    for (const auto& s : shapes) check_all_transposes(s[0], s[1], s[2], 0, 1.0f, 0.0f, seed);
}

TEST_CASE("gemm applies alpha and beta as BLAS does", "[tensor][gemm]") {
    const int64_t shapes[][3] = {{7, 33, 257}, {33, 7, 1}, {257, 33, 7}, {4, 5, 6}, {1, 33, 7}};
    const float ab[][2] = {{2.5f, 0.0f}, {1.0f, 1.0f}, {-0.5f, 2.0f}, {1.0f, -1.0f}};
    uint32_t seed = 200;
    for (const auto& s : shapes)
        for (const auto& x : ab) check_all_transposes(s[0], s[1], s[2], 0, x[0], x[1], seed);
}

TEST_CASE("gemm with beta = 0 never reads C, even NaN garbage", "[tensor][gemm]") {
    const int64_t shapes[][3] = {{33, 257, 7}, {3, 4, 5}, {1, 7, 33}, {40, 70, 0}};
    for (const auto& s : shapes)
        for (int t = 0; t < 4; ++t) {
            Problem p = make_problem(t & 1, t & 2, s[0], s[1], s[2], 0, 1.0f, 0.0f, 300);
            std::fill(p.c.begin(), p.c.end(), std::numeric_limits<float>::quiet_NaN());
            GemmArgs g = p.g;
            g.a = p.a.data(), g.b = p.b.data(), g.c = p.c.data();
            iotgrad::tensor::gemm(g);
            int64_t nans = 0;
            for (int64_t i = 0; i < g.m; ++i)
                for (int64_t j = 0; j < g.n; ++j) nans += std::isnan(p.c[i * g.ldc + j]);
            INFO("m=" << g.m << " n=" << g.n << " k=" << g.k << " trans " << t);
            CHECK(nans == 0);
        }
}

TEST_CASE("gemm accumulates into C with beta = 1", "[tensor][gemm]") {
    // Two half-depth products with beta = 1 equal one full-depth product.
    Problem p = make_problem(false, false, 50, 45, 80, 0, 1.0f, 0.0f, 400);
    std::vector<float> whole(p.c.size()), halves(p.c.size());
    GemmArgs g = p.g;
    g.a = p.a.data(), g.b = p.b.data(), g.c = whole.data();
    iotgrad::tensor::gemm(g);
    GemmArgs h = g;
    h.k = 40, h.c = halves.data();
    iotgrad::tensor::gemm(h);
    h.a = p.a.data() + 40, h.b = p.b.data() + 40 * g.ldb, h.beta = 1.0f;
    iotgrad::tensor::gemm(h);
    for (int64_t i = 0; i < g.m * g.n; ++i) REQUIRE(halves[i] == IOTGRAD_APPROX(whole[i]).margin(1e-4));
}

TEST_CASE("gemm works on submatrix views (leading dimensions wider than rows)", "[tensor][gemm]") {
    const int64_t shapes[][3] = {{7, 33, 13}, {33, 7, 257}, {100, 70, 30}, {1, 40, 9}, {40, 1, 9}};
    uint32_t seed = 500;
    for (const auto& s : shapes) check_all_transposes(s[0], s[1], s[2], 5, 0.75f, 0.5f, seed);
}

TEST_CASE("gemm with k = 0 scales C by beta", "[tensor][gemm]") {
    for (float beta : {0.0f, 1.0f, -2.0f})
        for (int64_t m : {1, 7, 33}) check_against_reference(make_problem(false, true, m, 9, 0, 2, 1.0f, beta, 600));
}

TEST_CASE("gemm gives bitwise-identical results for any thread count", "[tensor][gemm]") {
    Problem p = make_problem(true, false, 150, 170, 90, 3, 1.0f, 0.0f, 700);
    GemmArgs g = p.g;
    g.a = p.a.data(), g.b = p.b.data();
    std::vector<float> one(p.c.size()), many(p.c.size());
    iotgrad::set_num_threads(1);
    g.c = one.data();
    iotgrad::tensor::gemm(g);
    iotgrad::set_num_threads(2);  // explicit: the automatic count may be 1 on a busy machine
    g.c = many.data();
    iotgrad::tensor::gemm(g);
    iotgrad::set_num_threads(0);  // back to the automatic count
    CHECK(one == many);
}
