/// \file
/// Single-precision matrix multiply, the hot kernel under Linear, convolution
/// (via im2col), recurrent steps and attention.
///
/// \f$ C \leftarrow \alpha\, \mathrm{op}(A)\, \mathrm{op}(B) + \beta\, C \f$,
/// row-major, where op(X) is X or X^T. Passing the transpose as a flag means
/// backward passes never materialize a transposed copy.
#pragma once
#include <cstdint>

namespace iotgrad::tensor {

/// Row-major GEMM arguments: op(A) is M x K, op(B) is K x N, C is M x N.
/// `lda` is the distance between rows of A as stored (K if A is not
/// transposed and contiguous, M if it is stored transposed), likewise ldb, ldc.
struct GemmArgs {
    bool trans_a = false, trans_b = false;
    int64_t m = 0, n = 0, k = 0;
    float alpha = 1.0f;
    const float* a = nullptr;
    int64_t lda = 0;
    const float* b = nullptr;
    int64_t ldb = 0;
    float beta = 0.0f;
    float* c = nullptr;
    int64_t ldc = 0;
};

/// The specification: a plain triple loop, accumulating in double. Slow, obviously
/// right, and what the fast kernel is tested against.
void gemm_reference(const GemmArgs& g);

/// The fast kernel: packed panels, a register-blocked micro-kernel and OpenMP
/// over blocks of C. Same results as gemm_reference up to float32 rounding.
void gemm(const GemmArgs& g);

}  // namespace iotgrad::tensor
