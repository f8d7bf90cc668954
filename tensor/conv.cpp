#include "tensor/conv.hpp"

#include <algorithm>
#include <string>

#include "tensor/gemm.hpp"
#include "tensor/parallel.hpp"
#include "tensor/reduce.hpp"

namespace iotgrad::tensor {

namespace {
/// Samples whose columns go into one GEMM: as many as fit in about 4 MB of
/// column matrix (so it is still in cache when the GEMM reads it), so a batch
/// of small signals is one large, efficient GEMM while a batch of large images
/// does not allocate K times the input at once.
int64_t chunk_samples(const ConvGeometry& g, int64_t n) {
    constexpr int64_t kColumnBudget = int64_t{1} << 20;  // floats
    const int64_t per_sample = std::max<int64_t>(1, g.col_rows() * g.col_cols());
    return std::clamp<int64_t>(kColumnBudget / per_sample, 1, std::max<int64_t>(n, 1));
}

/// Row-major C = op(A) op(B) + beta C; empty products leave C alone (callers zero-fill).
void gemm_rm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
             int64_t ldb, float beta, float* c, int64_t ldc) {
    if (m == 0 || n == 0 || k == 0) return;
    GemmArgs args;
    args.trans_a = ta, args.trans_b = tb;
    args.m = m, args.n = n, args.k = k;
    args.a = a, args.lda = lda, args.b = b, args.ldb = ldb;
    args.beta = beta, args.c = c, args.ldc = ldc;
    gemm(args);
}

/// The output gradient of samples [n0, n0+nb) as one matrix [C_out, nb*P]
/// (sample s in columns s*P ..). One sample is already laid out that way.
const float* gather_grad(const float* g, int64_t nb, int64_t cout, int64_t p, float* buf) {
    if (nb == 1) return g;
    parallel_for(nb * cout, p, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            const int64_t s = k / cout, o = k % cout;
            std::copy(g + k * p, g + (k + 1) * p, buf + o * nb * p + s * p);
        }
    });
    return buf;
}
}  // namespace

ConvGeometry conv_geometry(const char* op, int64_t spatial, const Shape& x, const Shape& w, const Tensor& bias,
                           int64_t stride, int64_t padding, int64_t dilation) {
    const std::string o(op);
    const size_t rank = static_cast<size_t>(spatial + 2);
    if (x.size() != rank)
        throw ShapeError(o + ": input must be " + (spatial == 1 ? "[N, C_in, L]" : "[N, C_in, H, W]") + ", got " +
                         shape_str(x));
    if (w.size() != rank)
        throw ShapeError(o + ": weight must be " + (spatial == 1 ? "[C_out, C_in, K]" : "[C_out, C_in, KH, KW]") +
                         ", got " + shape_str(w));
    if (x[1] != w[1])
        throw ShapeError(o + ": input " + shape_str(x) + " has " + std::to_string(x[1]) + " channels but weight " +
                         shape_str(w) + " expects " + std::to_string(w[1]));
    if (bias.defined() && bias.shape() != Shape{w[0]})
        throw ShapeError(o + ": bias " + shape_str(bias.shape()) + " must be [C_out] = [" + std::to_string(w[0]) +
                         "] for weight " + shape_str(w));
    const ConvGeometry g = spatial == 1 ? ConvGeometry::make1d(x[1], x[2], w[2], stride, padding, dilation)
                                        : ConvGeometry::make2d(x[1], x[2], x[3], w[2], w[3], stride, padding, dilation);
    check_conv_geometry(op, x, spatial, g);
    return g;
}

Shape conv_output_shape(int64_t spatial, const Shape& x, const Shape& w, const ConvGeometry& g) {
    return spatial == 1 ? Shape{x[0], w[0], g.out_w()} : Shape{x[0], w[0], g.out_h(), g.out_w()};
}

Tensor conv1d(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride, int64_t padding, int64_t dilation) {
    const ConvGeometry g = conv_geometry("conv1d", 1, x.shape(), w.shape(), bias, stride, padding, dilation);
    return conv_forward(x, w, bias, g, conv_output_shape(1, x.shape(), w.shape(), g));
}

Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& bias, int64_t stride, int64_t padding, int64_t dilation) {
    const ConvGeometry g = conv_geometry("conv2d", 2, x.shape(), w.shape(), bias, stride, padding, dilation);
    return conv_forward(x, w, bias, g, conv_output_shape(2, x.shape(), w.shape(), g));
}

/// \f$ Y = W \cdot \mathrm{cols} + b \f$: one GEMM [C_out, R] x [R, nb P] per chunk,
/// then each sample's [C_out, P] block is moved to its place in [N, C_out, P].
Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& bias, const ConvGeometry& g,
                    const Shape& out_shape) {
    const Tensor xc = x.contiguous(), wc = w.contiguous();
    const Tensor bc = bias.defined() ? bias.contiguous() : Tensor();
    const int64_t n = out_shape[0], cout = out_shape[1], r = g.col_rows(), p = g.col_cols();
    Tensor out = Tensor::zeros(out_shape);
    const int64_t chunk = chunk_samples(g, n);
    Storage cols(static_cast<size_t>(r * chunk * p)), tmp(static_cast<size_t>(chunk > 1 ? cout * chunk * p : 0));
    for (int64_t n0 = 0; n0 < n; n0 += chunk) {
        const int64_t nb = std::min(chunk, n - n0);
        float* y = out.data() + n0 * cout * p;
        im2col_batch(g, xc.data() + n0 * g.sample_size(), nb, cols.data());
        float* c = nb == 1 ? y : tmp.data();  // one sample's result is already in output layout
        gemm_rm(false, false, cout, nb * p, r, wc.data(), r, cols.data(), nb * p, 0.0f, c, nb * p);
        const float* bv = bc.defined() ? bc.data() : nullptr;
        parallel_for(nb * cout, p, [&](int64_t b, int64_t e) {
            for (int64_t k = b; k < e; ++k) {
                const int64_t s = k / cout, o = k % cout;
                float* dst = y + k * p;
                if (nb > 1) std::copy(c + o * nb * p + s * p, c + o * nb * p + (s + 1) * p, dst);
                if (bv)
                    for (int64_t i = 0; i < p; ++i) dst[i] += bv[o];
            }
        });
    }
    return out;
}

/// \f$ \partial L/\partial x = \mathrm{col2im}(W^\top G) \f$: GEMM with W read
/// transposed in place, then the columns are scattered back into each sample.
Tensor conv_grad_input(const Tensor& grad_out, const Tensor& w, const ConvGeometry& g, const Shape& x_shape) {
    const Tensor gc = grad_out.contiguous(), wc = w.contiguous();
    const int64_t n = x_shape[0], cout = gc.size(1), r = g.col_rows(), p = g.col_cols();
    Tensor dx = Tensor::zeros(x_shape);
    const int64_t chunk = chunk_samples(g, n);
    Storage cols(static_cast<size_t>(r * chunk * p)), buf(static_cast<size_t>(chunk > 1 ? cout * chunk * p : 0));
    for (int64_t n0 = 0; n0 < n; n0 += chunk) {
        const int64_t nb = std::min(chunk, n - n0);
        const float* gm = gather_grad(gc.data() + n0 * cout * p, nb, cout, p, buf.data());
        gemm_rm(true, false, r, nb * p, cout, wc.data(), r, gm, nb * p, 0.0f, cols.data(), nb * p);
        col2im_batch_add(g, cols.data(), nb, dx.data() + n0 * g.sample_size());
    }
    return dx;
}

/// \f$ \partial L/\partial W = G\, \mathrm{cols}^\top \f$, accumulated over chunks
/// (beta = 1 after the first) with the columns read transposed in place.
Tensor conv_grad_weight(const Tensor& grad_out, const Tensor& x, const ConvGeometry& g, const Shape& w_shape) {
    const Tensor gc = grad_out.contiguous(), xc = x.contiguous();
    const int64_t n = xc.size(0), cout = w_shape[0], r = g.col_rows(), p = g.col_cols();
    Tensor dw = Tensor::zeros(w_shape);
    const int64_t chunk = chunk_samples(g, n);
    Storage cols(static_cast<size_t>(r * chunk * p)), buf(static_cast<size_t>(chunk > 1 ? cout * chunk * p : 0));
    for (int64_t n0 = 0; n0 < n; n0 += chunk) {
        const int64_t nb = std::min(chunk, n - n0);
        im2col_batch(g, xc.data() + n0 * g.sample_size(), nb, cols.data());
        const float* gm = gather_grad(gc.data() + n0 * cout * p, nb, cout, p, buf.data());
        gemm_rm(false, true, cout, r, nb * p, gm, nb * p, cols.data(), nb * p, n0 == 0 ? 0.0f : 1.0f, dw.data(), r);
    }
    return dw;
}

Tensor conv_grad_bias(const Tensor& grad_out) {
    std::vector<int64_t> axes{0};
    for (int64_t d = 2; d < grad_out.dim(); ++d) axes.push_back(d);
    return sum(grad_out, axes);
}

}  // namespace iotgrad::tensor
