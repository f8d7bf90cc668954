#include "tensor/im2col.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tensor/parallel.hpp"

namespace iotgrad::tensor {

namespace {
// Floor and ceiling of a / b for any sign of a and b > 0.
int64_t div_floor(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t div_ceil(int64_t a, int64_t b) { return -div_floor(-a, b); }

/// Output columns j whose input index j*s - p + off lands inside [0, size):
/// the half-open range [lo, hi). Outside it the column reads padding.
void valid_range(int64_t size, int64_t out, int64_t stride, int64_t pad, int64_t off, int64_t& lo, int64_t& hi) {
    lo = std::clamp<int64_t>(div_ceil(pad - off, stride), 0, out);
    hi = std::clamp<int64_t>(div_floor(size - 1 + pad - off, stride) + 1, lo, out);
}

/// One row (c, m, n) of the column matrix: dst[i*W_out + j] = x_c[i*s - p + m*d, j*s - p + n*d].
void im2col_row(const ConvGeometry& g, const float* xc, int64_t m, int64_t n, float* dst) {
    const int64_t oh = g.out_h(), ow = g.out_w();
    const int64_t off_h = m * g.dilation_h, off_w = n * g.dilation_w;
    int64_t jlo, jhi;
    valid_range(g.width, ow, g.stride_w, g.pad_w, off_w, jlo, jhi);
    for (int64_t i = 0; i < oh; ++i) {
        float* d = dst + i * ow;
        const int64_t ih = i * g.stride_h - g.pad_h + off_h;
        if (ih < 0 || ih >= g.height) {
            std::fill(d, d + ow, 0.0f);
            continue;
        }
        const float* src = xc + ih * g.width;
        const int64_t iw0 = off_w - g.pad_w;  // column j reads src[iw0 + j*s]
        std::fill(d, d + jlo, 0.0f);
        if (g.stride_w == 1) {
            std::copy(src + iw0 + jlo, src + iw0 + jhi, d + jlo);
        } else {
            for (int64_t j = jlo; j < jhi; ++j) d[j] = src[iw0 + j * g.stride_w];
        }
        std::fill(d + jhi, d + ow, 0.0f);
    }
}

/// The adjoint of im2col_row: x_c[...] += src[i*W_out + j] for every in-range position.
void col2im_row(const ConvGeometry& g, const float* src, int64_t m, int64_t n, float* xc) {
    const int64_t oh = g.out_h(), ow = g.out_w();
    const int64_t off_h = m * g.dilation_h, off_w = n * g.dilation_w;
    int64_t jlo, jhi;
    valid_range(g.width, ow, g.stride_w, g.pad_w, off_w, jlo, jhi);
    for (int64_t i = 0; i < oh; ++i) {
        const int64_t ih = i * g.stride_h - g.pad_h + off_h;
        if (ih < 0 || ih >= g.height) continue;
        const float* s = src + i * ow;
        float* dst = xc + ih * g.width;
        const int64_t iw0 = off_w - g.pad_w;
        for (int64_t j = jlo; j < jhi; ++j) dst[iw0 + j * g.stride_w] += s[j];
    }
}

/// Row r of the column matrix is (c, m, n) with r = (c*KH + m)*KW + n.
void split_row(const ConvGeometry& g, int64_t r, int64_t& c, int64_t& m, int64_t& n) {
    n = r % g.kernel_w;
    m = (r / g.kernel_w) % g.kernel_h;
    c = r / (g.kernel_w * g.kernel_h);
}

/// Every (c, m, n) row of one channel, accumulated into that channel's plane in a fixed order.
void col2im_channel(const ConvGeometry& g, const float* cols, int64_t ld, int64_t c, float* xc) {
    for (int64_t m = 0; m < g.kernel_h; ++m)
        for (int64_t n = 0; n < g.kernel_w; ++n)
            col2im_row(g, cols + ((c * g.kernel_h + m) * g.kernel_w + n) * ld, m, n, xc);
}
}  // namespace

int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation) {
    return div_floor(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
}

ConvGeometry ConvGeometry::make1d(int64_t channels, int64_t length, int64_t kernel, int64_t stride, int64_t padding,
                                  int64_t dilation) {
    ConvGeometry g;
    g.channels = channels, g.height = 1, g.width = length;
    g.kernel_h = 1, g.kernel_w = kernel;
    g.stride_w = stride, g.pad_w = padding, g.dilation_w = dilation;
    return g;
}

ConvGeometry ConvGeometry::make2d(int64_t channels, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                                  int64_t stride, int64_t padding, int64_t dilation) {
    ConvGeometry g;
    g.channels = channels, g.height = height, g.width = width;
    g.kernel_h = kernel_h, g.kernel_w = kernel_w;
    g.stride_h = g.stride_w = stride;
    g.pad_h = g.pad_w = padding;
    g.dilation_h = g.dilation_w = dilation;
    return g;
}

void check_conv_geometry(const char* op, const Shape& input, int64_t spatial, const ConvGeometry& g) {
    const std::string o(op);
    auto positive = [&](int64_t v, const char* what, int64_t least) {
        if (v < least)
            throw std::invalid_argument(o + ": " + what + " must be >= " + std::to_string(least) + ", got " +
                                        std::to_string(v));
    };
    positive(std::min(g.stride_h, g.stride_w), "stride", 1);
    positive(std::min(g.dilation_h, g.dilation_w), "dilation", 1);
    positive(std::min(g.pad_h, g.pad_w), "padding", 0);
    positive(std::min(g.kernel_h, g.kernel_w), "kernel size", 1);
    if (g.out_h() >= 1 && g.out_w() >= 1) return;
    const bool two = spatial == 2;
    const Shape kernel = two ? Shape{g.kernel_h, g.kernel_w} : Shape{g.kernel_w};
    const Shape span = two ? Shape{g.dilation_h * (g.kernel_h - 1) + 1, g.dilation_w * (g.kernel_w - 1) + 1}
                           : Shape{g.dilation_w * (g.kernel_w - 1) + 1};
    const Shape padded = two ? Shape{g.height + 2 * g.pad_h, g.width + 2 * g.pad_w} : Shape{g.width + 2 * g.pad_w};
    throw ShapeError(o + ": kernel " + shape_str(kernel) + " with dilation " + std::to_string(g.dilation_w) +
                     " spans " + shape_str(span) + " but input " + shape_str(input) + " with padding " +
                     std::to_string(g.pad_w) + " is only " + shape_str(padded) + " (no output position fits)");
}

void im2col(const ConvGeometry& g, const float* x, float* cols, int64_t ld) {
    const int64_t plane = g.height * g.width;
    parallel_for(g.col_rows(), g.col_cols(), [&](int64_t rb, int64_t re) {
        for (int64_t r = rb; r < re; ++r) {
            int64_t c, m, n;
            split_row(g, r, c, m, n);
            im2col_row(g, x + c * plane, m, n, cols + r * ld);
        }
    });
}

void col2im_add(const ConvGeometry& g, const float* cols, int64_t ld, float* x) {
    // One channel per task: each writes only its own plane, so no two threads touch the same element.
    const int64_t plane = g.height * g.width;
    parallel_for(g.channels, g.kernel_h * g.kernel_w * g.col_cols(), [&](int64_t cb, int64_t ce) {
        for (int64_t c = cb; c < ce; ++c) col2im_channel(g, cols, ld, c, x + c * plane);
    });
}

void im2col_batch(const ConvGeometry& g, const float* x, int64_t nb, float* cols) {
    const int64_t rows = g.col_rows(), p = g.col_cols(), ld = nb * p, plane = g.height * g.width;
    parallel_for(nb * rows, p, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            const int64_t s = k / rows, r = k % rows;
            int64_t c, m, n;
            split_row(g, r, c, m, n);
            im2col_row(g, x + s * g.sample_size() + c * plane, m, n, cols + r * ld + s * p);
        }
    });
}

void col2im_batch_add(const ConvGeometry& g, const float* cols, int64_t nb, float* x) {
    const int64_t p = g.col_cols(), ld = nb * p, plane = g.height * g.width;
    parallel_for(nb * g.channels, g.kernel_h * g.kernel_w * p, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e; ++k) {
            const int64_t s = k / g.channels, c = k % g.channels;
            col2im_channel(g, cols + s * p, ld, c, x + s * g.sample_size() + c * plane);
        }
    });
}

// ---- tensor forms ---------------------------------------------------------------------

namespace {
Tensor im2col_tensor(const char* op, const Tensor& x, int64_t spatial, const ConvGeometry& g) {
    check_conv_geometry(op, x.shape(), spatial, g);
    const Tensor xc = x.contiguous();
    Tensor cols = Tensor::empty({g.col_rows(), g.col_cols()});
    im2col(g, xc.data(), cols.data(), g.col_cols());
    return cols;
}

Tensor col2im_tensor(const char* op, const Tensor& cols, const Shape& image, int64_t spatial, const ConvGeometry& g) {
    check_conv_geometry(op, image, spatial, g);
    const Shape want{g.col_rows(), g.col_cols()};
    if (cols.shape() != want)
        throw ShapeError(std::string(op) + ": columns " + shape_str(cols.shape()) + " do not match image " +
                         shape_str(image) + " (expected " + shape_str(want) + ")");
    const Tensor cc = cols.contiguous();
    Tensor x = Tensor::zeros(image);
    col2im_add(g, cc.data(), g.col_cols(), x.data());
    return x;
}

void require_rank(const char* op, const Tensor& x, int64_t rank, const char* layout) {
    if (x.dim() != rank)
        throw ShapeError(std::string(op) + ": input must be " + layout + ", got " + shape_str(x.shape()));
}
}  // namespace

Tensor im2col1d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation) {
    require_rank("im2col1d", x, 2, "[C, L]");
    return im2col_tensor("im2col1d", x, 1,
                         ConvGeometry::make1d(x.size(0), x.size(1), kernel, stride, padding, dilation));
}

Tensor col2im1d(const Tensor& cols, int64_t channels, int64_t length, int64_t kernel, int64_t stride, int64_t padding,
                int64_t dilation) {
    return col2im_tensor("col2im1d", cols, {channels, length}, 1,
                         ConvGeometry::make1d(channels, length, kernel, stride, padding, dilation));
}

Tensor im2col2d(const Tensor& x, int64_t kernel_h, int64_t kernel_w, int64_t stride, int64_t padding,
                int64_t dilation) {
    require_rank("im2col2d", x, 3, "[C, H, W]");
    return im2col_tensor(
        "im2col2d", x, 2,
        ConvGeometry::make2d(x.size(0), x.size(1), x.size(2), kernel_h, kernel_w, stride, padding, dilation));
}

Tensor col2im2d(const Tensor& cols, int64_t channels, int64_t height, int64_t width, int64_t kernel_h, int64_t kernel_w,
                int64_t stride, int64_t padding, int64_t dilation) {
    return col2im_tensor("col2im2d", cols, {channels, height, width}, 2,
                         ConvGeometry::make2d(channels, height, width, kernel_h, kernel_w, stride, padding, dilation));
}

}  // namespace iotgrad::tensor
