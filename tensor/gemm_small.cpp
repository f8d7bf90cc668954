// The unpacked GEMM path for matrix-vector-like shapes (a few rows, e.g. a
// batch-1 Linear layer, or a few columns of B^T, or n == 1), where a kMR x kNR
// register tile would be mostly zero padding. Single-threaded, no allocation.
//
// Two loop orders, picked by which operand is contiguous along k:
//  - axpy form (op(B) = B, n > 1): row i of C accumulates alpha*A(i,p) * row p
//    of B, a unit-stride update the compiler vectorizes;
//  - dot form (op(B) = B^T, or n == 1): C(i,j) = alpha * <row i of op(A),
//    column j of op(B)> + beta*C(i,j), with a vectorized dot product when
//    both runs are contiguous.
#include "tensor/gemm_kernel.hpp"

namespace iotgrad::tensor::gemm_detail {

namespace {

/// sum_p x[p*incx] * y[p*incy], summed in a fixed order (deterministic).
float dot(const float* x, int64_t incx, const float* y, int64_t incy, int64_t k) {
    float sum = 0.0f;
    int64_t p = 0;
    if (incx == 1 && incy == 1) {
        VecF s0{}, s1{};  // two accumulators hide the add latency
        for (; p + 2 * kVecLen <= k; p += 2 * kVecLen) {
            s0 += load(x + p) * load(y + p);
            s1 += load(x + p + kVecLen) * load(y + p + kVecLen);
        }
        float lanes[kVecLen];
        store(lanes, s0 + s1);
        for (int l = 0; l < kVecLen; ++l) sum += lanes[l];
    }
    for (; p < k; ++p) sum += x[p * incx] * y[p * incy];
    return sum;
}

void small_dot_form(const GemmArgs& g) {
    // Row i of op(A) and column j of op(B) as (start, stride) runs along k.
    const int64_t a_row = g.trans_a ? 1 : g.lda, a_inc = g.trans_a ? g.lda : 1;
    const int64_t b_col = g.trans_b ? g.ldb : 1, b_inc = g.trans_b ? 1 : g.ldb;
    for (int64_t i = 0; i < g.m; ++i) {
        float* c = g.c + i * g.ldc;
        for (int64_t j = 0; j < g.n; ++j) {
            const float d = g.alpha * dot(g.a + i * a_row, a_inc, g.b + j * b_col, b_inc, g.k);
            c[j] = g.beta == 0.0f ? d : d + g.beta * c[j];
        }
    }
}

void small_axpy_form(const GemmArgs& g) {
    for (int64_t i = 0; i < g.m; ++i) {
        float* c = g.c + i * g.ldc;
        if (g.beta == 0.0f)
            for (int64_t j = 0; j < g.n; ++j) c[j] = 0.0f;
        else if (g.beta != 1.0f)
            for (int64_t j = 0; j < g.n; ++j) c[j] *= g.beta;
        for (int64_t p = 0; p < g.k; ++p) {
            const float a = g.alpha * (g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p]);
            const float* b = g.b + p * g.ldb;
            for (int64_t j = 0; j < g.n; ++j) c[j] += a * b[j];
        }
    }
}

}  // namespace

void gemm_small(const GemmArgs& g) {
    if (g.trans_b || g.n == 1)
        small_dot_form(g);
    else
        small_axpy_form(g);
}

}  // namespace iotgrad::tensor::gemm_detail
