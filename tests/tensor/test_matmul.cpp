// matmul with torch.matmul's rules, checked against a triple loop written
// here: 1-d, 2-d and batched operands, broadcast batch dimensions, transposed
// and strided views, empty dimensions, and the error messages.
#include <algorithm>
#include <cmath>
#include <vector>

#include "catch_compat.hpp"

#include "tensor/matmul.hpp"

using namespace iotgrad;
using namespace iotgrad::tensor;

namespace {
Tensor random(const Shape& shape, uint64_t seed) {
    Generator gen(seed);
    return Tensor::randn(shape, gen);
}

// C[i][j] = sum_p A[i][p] B[p][j] for plain 2-d matrices, in double, through at().
Tensor triple_loop(const Tensor& a, const Tensor& b) {
    const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
    Tensor c = Tensor::zeros({m, n});
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double acc = 0;
            for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(a.at({i, p})) * b.at({p, j});
            c.at({i, j}) = static_cast<float>(acc);
        }
    return c;
}

// Largest |got - want| relative to the size of the terms summed.
void check_close(const Tensor& got, const Tensor& want, double tol = 1e-5) {
    REQUIRE(got.shape() == want.shape());
    const std::vector<float> g = got.to_vector(), w = want.to_vector();
    double worst = 0;
    for (size_t i = 0; i < g.size(); ++i) worst = std::max(worst, std::fabs(double(g[i]) - w[i]) / (1.0 + std::fabs(w[i])));
    CHECK(worst < tol);
}
}  // namespace

TEST_CASE("2-d matmul equals the triple loop", "[tensor][matmul]") {
    const Tensor a = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
    const Tensor b = Tensor::from({3, 2}, {7, 8, 9, 10, 11, 12});
    CHECK(matmul(a, b).to_vector() == std::vector<float>{58, 64, 139, 154});
    CHECK(matmul(a, Tensor::eye(3)).to_vector() == a.to_vector());
    for (const auto& mkn : std::vector<std::vector<int64_t>>{{1, 1, 1}, {3, 4, 5}, {17, 33, 9}, {70, 130, 50}}) {
        const int64_t m = mkn[0], k = mkn[1], n = mkn[2];
        CAPTURE(m, k, n);
        const Tensor x = random({m, k}, 1), y = random({k, n}, 2);
        check_close(matmul(x, y), triple_loop(x, y));
    }
}

TEST_CASE("1-d operands: dot product and row and column vectors with the 1 removed", "[tensor][matmul]") {
    const Tensor v = Tensor::from({3}, {1, 2, 3});
    const Tensor w = Tensor::from({3}, {4, -5, 6});
    const Tensor dot = matmul(v, w);
    CHECK(dot.dim() == 0);
    CHECK(dot.item() == 12.0f);  // 4 - 10 + 18

    const Tensor m = Tensor::from({3, 2}, {1, 2, 3, 4, 5, 6});
    const Tensor vm = matmul(v, m);  // [3] @ [3, 2] -> [2]
    CHECK(vm.shape() == Shape{2});
    CHECK(vm.to_vector() == std::vector<float>{22, 28});
    const Tensor mv = matmul(m.t(), v);  // [2, 3] @ [3] -> [2]
    CHECK(mv.shape() == Shape{2});
    CHECK(mv.to_vector() == std::vector<float>{22, 28});

    const Tensor batch = random({4, 3, 5}, 3);
    const Tensor vb = matmul(v, batch);  // [3] @ [4, 3, 5] -> [4, 5]
    CHECK(vb.shape() == Shape{4, 5});
    for (int64_t i = 0; i < 4; ++i)
        check_close(vb.select(0, i).unsqueeze(0), triple_loop(v.unsqueeze(0), batch.select(0, i)));
    const Tensor bt = random({4, 5, 3}, 4);
    const Tensor bv = matmul(bt, v);  // [4, 5, 3] @ [3] -> [4, 5]
    CHECK(bv.shape() == Shape{4, 5});
    for (int64_t i = 0; i < 4; ++i)
        check_close(bv.select(0, i).unsqueeze(1), triple_loop(bt.select(0, i), v.unsqueeze(1)));
    CHECK(matmul(Tensor::from({1}, {2}), Tensor::from({1, 4}, {1, 2, 3, 4})).shape() == Shape{4});
}

TEST_CASE("batched matmul broadcasts batch dimensions like torch.matmul", "[tensor][matmul]") {
    const Tensor a = random({2, 3, 4}, 5), b = random({2, 4, 5}, 6);
    const Tensor c = matmul(a, b);
    CHECK(c.shape() == Shape{2, 3, 5});
    for (int64_t i = 0; i < 2; ++i) check_close(c.select(0, i), triple_loop(a.select(0, i), b.select(0, i)));

    // [2, 1, 3, 4] @ [5, 4, 2] -> [2, 5, 3, 2]
    const Tensor x = random({2, 1, 3, 4}, 7), y = random({5, 4, 2}, 8);
    const Tensor z = matmul(x, y);
    CHECK(z.shape() == Shape{2, 5, 3, 2});
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 5; ++j)
            check_close(z.select(0, i).select(0, j), triple_loop(x.select(0, i).select(0, 0), y.select(0, j)));

    // A plain matrix against a batch: [3, 4] @ [2, 4, 5] -> [2, 3, 5]
    const Tensor p = random({3, 4}, 9);
    const Tensor q = matmul(p, b);
    CHECK(q.shape() == Shape{2, 3, 5});
    for (int64_t i = 0; i < 2; ++i) check_close(q.select(0, i), triple_loop(p, b.select(0, i)));
    CHECK(matmul(b.t(), p.t()).shape() == Shape{2, 5, 3});
}

TEST_CASE("transposed or strided or expanded operands give the same product", "[tensor][matmul]") {
    const Tensor a = random({6, 5}, 10), b = random({7, 6}, 11);
    // a.t() is [5, 6] stored column-major; b.t() is [6, 7].
    check_close(matmul(a.t(), b.t()), triple_loop(a.t(), b.t()));
    check_close(matmul(a.t(), b.t()), matmul(a.t().contiguous(), b.t().contiguous()), 1e-6);
    const Tensor sq = random({6, 6}, 12);
    check_close(matmul(sq, sq.t()), triple_loop(sq, sq.t()));
    check_close(matmul(sq.t(), sq), triple_loop(sq.t(), sq));
    // Every other column and every other row: strides that GEMM cannot take directly.
    const Tensor big = random({10, 12}, 13);
    const Tensor cols = big.slice(1, 0, 12, 2);  // [10, 6], column stride 2
    const Tensor rows = big.slice(0, 1, 10, 3);  // [3, 12], row stride 36
    check_close(matmul(rows, big.t()), triple_loop(rows, big.t()));
    check_close(matmul(cols.t(), cols), triple_loop(cols.t(), cols));
    check_close(matmul(big.narrow(1, 2, 5), random({5, 3}, 14)), triple_loop(big.narrow(1, 2, 5), random({5, 3}, 14)));
    // An expanded operand (stride-0 rows) and a permuted batch.
    const Tensor e = random({1, 6}, 15).expand({4, 6});
    check_close(matmul(e, sq), triple_loop(e, sq));
    const Tensor batch = random({3, 4, 2}, 16).permute({2, 0, 1});  // [2, 3, 4], non-contiguous batch
    const Tensor r = matmul(batch, random({4, 5}, 17));
    for (int64_t i = 0; i < 2; ++i) check_close(r.select(0, i), triple_loop(batch.select(0, i), random({4, 5}, 17)));
    // A batch of transposed matrices.
    const Tensor bt = random({3, 5, 4}, 18).transpose(1, 2);  // [3, 4, 5]
    const Tensor rb = matmul(bt, random({5, 2}, 19));
    for (int64_t i = 0; i < 3; ++i) check_close(rb.select(0, i), triple_loop(bt.select(0, i), random({5, 2}, 19)));
}

TEST_CASE("matmul with zero-size dimensions gives zeros of the right shape", "[tensor][matmul]") {
    CHECK(matmul(Tensor::zeros({0, 4}), Tensor::ones({4, 3})).shape() == Shape{0, 3});
    CHECK(matmul(Tensor::ones({3, 4}), Tensor::ones({4, 0})).shape() == Shape{3, 0});
    const Tensor k0 = matmul(Tensor::ones({3, 0}), Tensor::ones({0, 2}));  // empty sums are 0
    CHECK(k0.shape() == Shape{3, 2});
    CHECK(k0.to_vector() == std::vector<float>(6, 0.0f));
    CHECK(matmul(Tensor::zeros({0}), Tensor::zeros({0})).item() == 0.0f);
    CHECK(matmul(Tensor::ones({0, 2, 3}), Tensor::ones({3, 4})).shape() == Shape{0, 2, 4});
    CHECK(matmul(Tensor::ones({2, 0, 3}), Tensor::ones({2, 3, 4})).shape() == Shape{2, 0, 4});
}

TEST_CASE("matmul errors name the shapes", "[tensor][matmul]") {
    CHECK_THROWS_AS(matmul(Tensor::zeros({3, 4}), Tensor::zeros({5, 2})), ShapeError);
    CHECK_THROWS_WITH(matmul(Tensor::zeros({3, 4}), Tensor::zeros({5, 2})),
                      "matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)");
    CHECK_THROWS_WITH(matmul(Tensor::zeros({3}), Tensor::zeros({4})), "matmul: shapes [3] and [4] do not align (3 != 4)");
    CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3}), Tensor::zeros({2})),
                      "matmul: shapes [2, 3] and [2] do not align (3 != 2)");
    CHECK_THROWS_WITH(matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 4, 5})),
                      IOTGRAD_HAS("matmul") && IOTGRAD_HAS("[2, 3, 4]") && IOTGRAD_HAS("[3, 4, 5]") &&
                          IOTGRAD_HAS("do not broadcast"));
    CHECK_THROWS_WITH(matmul(Tensor::scalar(1.0f), Tensor::zeros({2})), IOTGRAD_HAS("matmul") && IOTGRAD_HAS("[]"));
    CHECK_THROWS_AS(matmul(Tensor(), Tensor::zeros({2})), std::invalid_argument);
}
