#include <algorithm>
#include <vector>

#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::tensor {

// Placeholder fast path: rows of C in parallel, i-k-j loop order so the
// inner loop streams rows of B. (The packed, register-blocked kernel replaces it.)
void gemm(const GemmArgs& g) {
    parallel_for(g.m, g.n * g.k, [&](int64_t rb, int64_t re) {
        std::vector<float> row(static_cast<size_t>(g.n));
        for (int64_t i = rb; i < re; ++i) {
            std::fill(row.begin(), row.end(), 0.0f);
            for (int64_t p = 0; p < g.k; ++p) {
                const float a = g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
                if (g.trans_b) {
                    for (int64_t j = 0; j < g.n; ++j) row[j] += a * g.b[j * g.ldb + p];
                } else {
                    const float* b = g.b + p * g.ldb;
                    for (int64_t j = 0; j < g.n; ++j) row[j] += a * b[j];
                }
            }
            float* c = g.c + i * g.ldc;
            for (int64_t j = 0; j < g.n; ++j) c[j] = g.alpha * row[j] + (g.beta == 0.0f ? 0.0f : g.beta * c[j]);
        }
    });
}

}  // namespace iotgrad::tensor
