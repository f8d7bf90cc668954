/// \file
/// The paper's equation 4 as nested loops: the specification the im2col + GEMM
/// convolution (tensor/conv.hpp) is tested against. Slow and obviously right;
/// accumulates in double.
///
/// Equation 4 is the mathematical convolution
/// \f$ (f * g)(x, y) = \sum_m \sum_n f(m, n)\, g(x - m, y - n) \f$.
/// Deep-learning convolutions (PyTorch's, and these) compute the
/// cross-correlation, i.e. equation 4 with the kernel flipped,
/// \f[ y[n, o, i, j] = b_o + \sum_{c} \sum_{m} \sum_{k} x[n, c,\ i s - p + m d,\ j s - p + k d]\ w[o, c, m, k], \f]
/// where x is zero outside the image (the padding p), s is the stride and d
/// the dilation. The infinite sums of equation 4 become finite because the
/// kernel is zero outside its K x K support.
#pragma once
#include <cstdint>

#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// x [N, C_in, L], w [C_out, C_in, K], bias [C_out] or undefined -> [N, C_out, L_out].
Tensor conv1d_reference(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride = 1, int64_t padding = 0,
                        int64_t dilation = 1);
/// x [N, C_in, H, W], w [C_out, C_in, KH, KW], bias [C_out] or undefined -> [N, C_out, H_out, W_out].
Tensor conv2d_reference(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride = 1, int64_t padding = 0,
                        int64_t dilation = 1);

}  // namespace iotgrad::tensor
