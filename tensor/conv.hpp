/// \file
/// Convolution (the paper's equation 4) on plain tensors, computed the fast
/// way: im2col + one GEMM per chunk of the batch, with PyTorch's layouts
/// x [N, C_in, L] / [N, C_in, H, W], w [C_out, C_in, K] / [C_out, C_in, KH, KW],
/// bias [C_out]. Like every deep-learning library this computes the
/// cross-correlation
/// \f[ y[n, o, i, j] = b_o + \sum_{c, m, k} x[n, c,\ i s - p + m d,\ j s - p + k d]\ w[o, c, m, k], \f]
/// which is equation 4, \f$ (f * g)(x, y) = \sum_m \sum_n f(m, n)\, g(x - m, y - n) \f$,
/// with the kernel flipped (\f$ g(u, v) = w(-u, -v) \f$); a learned kernel
/// absorbs the flip. tensor/conv_reference.hpp writes the same sum as nested
/// loops and is the specification these kernels are tested against.
///
/// The backward pieces, with cols = im2col(x) [C_in K, N P] and G the output
/// gradient arranged as [C_out, N P] (P output positions per sample):
/// \f$ \partial L/\partial W = G\, \mathrm{cols}^\top \f$,
/// \f$ \partial L/\partial x = \mathrm{col2im}(W^\top G) \f$,
/// \f$ \partial L/\partial b_o = \sum_{n, p} G[o, (n, p)] \f$.
#pragma once
#include <cstdint>

#include "tensor/im2col.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// Validates a convolution's operands for `spatial` = 1 (conv1d) or 2 (conv2d)
/// spatial axes and returns one sample's geometry. Throws ShapeError naming
/// `op` and the shapes (wrong ranks, channel mismatch, bias not [C_out], a
/// kernel larger than the padded input) and std::invalid_argument for a stride
/// or dilation below 1 or a negative padding. An undefined bias means none.
ConvGeometry conv_geometry(const char* op, int64_t spatial, const Shape& x, const Shape& w, const Tensor& bias,
                           int64_t stride, int64_t padding, int64_t dilation);

/// [N, C_out, L_out] or [N, C_out, H_out, W_out] for validated operands.
Shape conv_output_shape(int64_t spatial, const Shape& x, const Shape& w, const ConvGeometry& g);

/// Forward convolutions (validating; see conv_geometry for the errors). An undefined bias means none.
Tensor conv1d(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1);
Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride = 1, int64_t padding = 0,
              int64_t dilation = 1);

// ---- the kernels behind the forward and the three gradients -----------------------------
// Operands must already be validated by conv_geometry; any rank-3/4 layout works
// because only the flat [N, C, H*W] order matters.

/// y = W cols (+ b) for the whole batch, shaped out_shape.
Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g,
                    const Shape& out_shape);
/// \f$ \partial L/\partial x = \mathrm{col2im}(W^\top G) \f$, shaped x_shape.
Tensor conv_grad_input(const Tensor& grad_out, const Tensor& w, const ConvGeometry& g, const Shape& x_shape);
/// \f$ \partial L/\partial W = G\, \mathrm{cols}^\top \f$, shaped w_shape (im2col is recomputed from x).
Tensor conv_grad_weight(const Tensor& grad_out, const Tensor& x, const ConvGeometry& g, const Shape& w_shape);
/// \f$ \partial L/\partial b \f$: grad_out summed over the batch and every output position, shape [C_out].
Tensor conv_grad_bias(const Tensor& grad_out);

}  // namespace iotgrad::tensor
