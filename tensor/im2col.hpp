/// \file
/// im2col and its adjoint col2im: the rearrangement that turns convolution
/// (equation 4) into one matrix product.
///
/// For one sample x of shape [C, H, W] and a KH x KW kernel, im2col builds the
/// matrix of every receptive field, one column per output position:
/// \f[ \mathrm{cols}[(c, m, n),\ (i, j)] = x[c,\ i s_h - p_h + m d_h,\ j s_w - p_w + n d_w] \f]
/// (zero where the index falls into the padding). A convolution is then
/// \f$ Y = W \cdot \mathrm{cols} \f$ with W reshaped to [C_out, C KH KW].
/// col2im is the adjoint map (scatter-add back into the image), which is what
/// the backward pass needs: \f$ \langle \mathrm{im2col}(x), y \rangle = \langle x, \mathrm{col2im}(y) \rangle \f$.
/// One-dimensional convolution is the special case H = KH = 1.
#pragma once
#include <cstdint>

#include "tensor/tensor.hpp"

namespace iotgrad::tensor {

/// Output size along one axis, PyTorch's formula:
/// \f$ \lfloor (L + 2p - d(K - 1) - 1) / s \rfloor + 1 \f$ (may be <= 0 when the kernel does not fit).
int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation);

/// The geometry of one sample's convolution: input [channels, height, width],
/// kernel [kernel_h, kernel_w], per-axis stride, zero padding and dilation.
/// A 1-d convolution has height = kernel_h = 1 and the h-parameters at their defaults.
struct ConvGeometry {
    int64_t channels = 1, height = 1, width = 1;
    int64_t kernel_h = 1, kernel_w = 1;
    int64_t stride_h = 1, stride_w = 1;
    int64_t pad_h = 0, pad_w = 0;
    int64_t dilation_h = 1, dilation_w = 1;

    /// [C, L] input, kernel K.
    static ConvGeometry make1d(int64_t channels, int64_t length, int64_t kernel, int64_t stride = 1,
                               int64_t padding = 0, int64_t dilation = 1);
    /// [C, H, W] input, kernel KH x KW, the same stride/padding/dilation on both axes.
    static ConvGeometry make2d(int64_t channels, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                               int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1);

    int64_t out_h() const { return conv_out_size(height, kernel_h, stride_h, pad_h, dilation_h); }
    int64_t out_w() const { return conv_out_size(width, kernel_w, stride_w, pad_w, dilation_w); }
    /// Rows of the column matrix: C * KH * KW.
    int64_t col_rows() const { return channels * kernel_h * kernel_w; }
    /// Columns per sample: H_out * W_out.
    int64_t col_cols() const { return out_h() * out_w(); }
    /// Elements of one input sample: C * H * W.
    int64_t sample_size() const { return channels * height * width; }
};

/// Validates g for an input of shape `input` (named in messages, with `spatial`
/// = 1 or 2 trailing spatial axes): stride and dilation >= 1, padding >= 0 and
/// kernel >= 1 (std::invalid_argument), and a kernel that fits the padded input
/// (ShapeError). `op` starts every message.
void check_conv_geometry(const char* op, const Shape& input, int64_t spatial, const ConvGeometry& g);

// ---- raw kernels on contiguous memory ----------------------------------------------
// `ld` is the distance between rows of the column matrix, so that the columns
// of several samples can sit side by side in one matrix (see the batched forms).

/// One sample x (C*H*W floats) -> cols (col_rows() rows of col_cols() values, row stride ld).
void im2col(const ConvGeometry& g, const float* x, float* cols, int64_t ld);
/// The adjoint: x += col2im(cols). x must hold C*H*W floats (zero it first for a plain col2im).
void col2im_add(const ConvGeometry& g, const float* cols, int64_t ld, float* x);

/// nb contiguous samples (nb*C*H*W floats) -> one matrix [col_rows(), nb*col_cols()],
/// sample k's columns at column offset k*col_cols(): one GEMM then serves the whole batch.
void im2col_batch(const ConvGeometry& g, const float* x, int64_t nb, float* cols);
/// The adjoint of im2col_batch: x (nb samples) += scatter of cols [col_rows(), nb*col_cols()].
void col2im_batch_add(const ConvGeometry& g, const float* cols, int64_t nb, float* x);

// ---- tensor forms (for tests and tutorials) -----------------------------------------

/// x [C, L] -> [C*K, L_out].
Tensor im2col1d(const Tensor& x, int64_t kernel, int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1);
/// cols [C*K, L_out] -> [C, L] (the adjoint of im2col1d; overlapping windows add up).
Tensor col2im1d(const Tensor& cols, int64_t channels, int64_t length, int64_t kernel, int64_t stride = 1,
                int64_t padding = 0, int64_t dilation = 1);
/// x [C, H, W] -> [C*KH*KW, H_out*W_out].
Tensor im2col2d(const Tensor& x, int64_t kernel_h, int64_t kernel_w, int64_t stride = 1, int64_t padding = 0,
                int64_t dilation = 1);
/// cols [C*KH*KW, H_out*W_out] -> [C, H, W] (the adjoint of im2col2d).
Tensor col2im2d(const Tensor& cols, int64_t channels, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                int64_t stride = 1, int64_t padding = 0, int64_t dilation = 1);

}  // namespace iotgrad::tensor
