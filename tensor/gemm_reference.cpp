#include "tensor/gemm.hpp"

namespace iotgrad::tensor {

void gemm_reference(const GemmArgs& g) {
    for (int64_t i = 0; i < g.m; ++i)
        for (int64_t j = 0; j < g.n; ++j) {
            double acc = 0;
            for (int64_t p = 0; p < g.k; ++p) {
                const float a = g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
                const float b = g.trans_b ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
                acc += static_cast<double>(a) * b;
            }
            float& c = g.c[i * g.ldc + j];
            // beta == 0 overwrites C without reading it (C may hold NaN garbage), as BLAS does.
            c = static_cast<float>(g.alpha * acc + (g.beta == 0.0f ? 0.0 : static_cast<double>(g.beta) * c));
        }
}

}  // namespace iotgrad::tensor
