/// \file
/// Pooling: max and average over sliding windows of each channel, the
/// down-sampling step between convolutions. One- and two-dimensional forms
/// share one kernel (a 1-d input is a 2-d input of height 1 with window
/// height 1), as im2col does for convolution.
///
/// For output position \f$(i, j)\f$ the window is the set of input positions
/// \f$ W_{ij} = \{(i s - p + m,\ j s - p + n) : 0 \le m, n < K\} \f$; the output
/// size along an axis is \f$ \lfloor (L + 2p - K) / s \rfloor + 1 \f$ (PyTorch's,
/// with ceil_mode=False). Positions in the padding are \f$-\infty\f$ for max and
/// 0 for average (count_include_pad=True: the mean always divides by the full window).
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

namespace {

/// The geometry of a pooling op over [planes, height, width] (planes = N * C).
struct PoolGeometry {
    int64_t planes = 0, height = 1, width = 1;
    int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
    int64_t out_h = 1, out_w = 1;
    int64_t in_plane() const { return height * width; }
    int64_t out_plane() const { return out_h * out_w; }
};

/// Validates the arguments and computes the geometry; `spatial` is 1 or 2.
PoolGeometry make_geometry(const char* op, const Shape& shape, int64_t spatial, int64_t kernel, int64_t stride,
                           int64_t padding) {
    const std::string name(op);
    if (static_cast<int64_t>(shape.size()) != 2 + spatial)
        throw ShapeError(name + ": expected input [N, C, " + (spatial == 1 ? "L" : "H, W") + "], got " +
                         shape_str(shape));
    if (kernel < 1) throw std::invalid_argument(name + ": kernel must be >= 1, got " + std::to_string(kernel));
    if (stride == 0) stride = kernel;
    if (stride < 1) throw std::invalid_argument(name + ": stride must be >= 1, got " + std::to_string(stride));
    // PyTorch's rule: more padding than half a window would make windows of pure padding.
    if (padding < 0 || 2 * padding > kernel)
        throw std::invalid_argument(name + ": padding must be between 0 and kernel/2, got padding " +
                                    std::to_string(padding) + " for kernel " + std::to_string(kernel));
    PoolGeometry g;
    g.planes = shape[0] * shape[1];
    g.width = shape.back();
    g.kernel_w = kernel, g.stride_w = stride, g.pad_w = padding;
    if (spatial == 2) {
        g.height = shape[2];
        g.kernel_h = kernel, g.stride_h = stride, g.pad_h = padding;
    }
    auto out_size = [](int64_t in, int64_t k, int64_t s, int64_t p) {
        const int64_t span = in + 2 * p - k;
        return span < 0 ? 0 : span / s + 1;
    };
    g.out_h = out_size(g.height, g.kernel_h, g.stride_h, g.pad_h);
    g.out_w = out_size(g.width, g.kernel_w, g.stride_w, g.pad_w);
    if (g.out_h < 1 || g.out_w < 1)
        throw ShapeError(name + ": kernel " + std::to_string(kernel) + " with padding " + std::to_string(padding) +
                         " does not fit input " + shape_str(shape));
    return g;
}

Shape out_shape(const Shape& in, const PoolGeometry& g) {
    Shape s = in;
    s.back() = g.out_w;
    if (s.size() == 4) s[2] = g.out_h;
    return s;
}

/// Calls f(out_index, in_index) for every in-bounds input position of every
/// window of one plane, in row-major window order (indices within the plane).
template <class F>
void for_each_window(const PoolGeometry& g, F&& f) {
    for (int64_t oi = 0; oi < g.out_h; ++oi) {
        const int64_t i0 = oi * g.stride_h - g.pad_h;
        for (int64_t oj = 0; oj < g.out_w; ++oj) {
            const int64_t j0 = oj * g.stride_w - g.pad_w;
            for (int64_t m = std::max<int64_t>(0, -i0); m < g.kernel_h && i0 + m < g.height; ++m)
                for (int64_t n = std::max<int64_t>(0, -j0); n < g.kernel_w && j0 + n < g.width; ++n)
                    f(oi * g.out_w + oj, (i0 + m) * g.width + (j0 + n));
        }
    }
}

/// Max pooling: \f$ y_{ij} = \max_{(u,v) \in W_{ij}} x_{uv} \f$, remembering the
/// argmax \f$ a_{ij} \f$ (the first maximum, as PyTorch). Backward routes each
/// output's gradient to its argmax: \f$ \partial L/\partial x_{uv} = \sum_{ij:\ a_{ij} = (u,v)} g_{ij} \f$
/// (overlapping windows that share a maximum add up).
Variable max_pool(Op op, const char* name, const Variable& x, int64_t spatial, int64_t kernel, int64_t stride,
                  int64_t padding) {
    const PoolGeometry g = make_geometry(name, x.shape(), spatial, kernel, stride, padding);
    const Tensor in = x.value().contiguous();
    Tensor out = Tensor::empty(out_shape(x.shape(), g));
    auto argmax = std::make_shared<std::vector<int64_t>>(g.planes * g.out_plane());
    const float* px = in.data();
    float* py = out.data();
    int64_t* pa = argmax->data();
    parallel_for(g.planes, g.in_plane() * g.kernel_h * g.kernel_w, [&](int64_t b, int64_t e) {
        for (int64_t p = b; p < e; ++p) {
            const float* xp = px + p * g.in_plane();
            float* yp = py + p * g.out_plane();
            int64_t* ap = pa + p * g.out_plane();
            if (g.height == 1 && g.pad_w == 0) {
                // 1-d windows without padding (the common case): the same rule
                // as below, with the loop over outputs innermost and a select
                // instead of a branch, so it vectorizes (the branch was a coin
                // flip on noisy data: 5 ns per output).
                const int64_t s = g.stride_w, n_out = g.out_w;
                for (int64_t o = 0; o < n_out; ++o) yp[o] = xp[o * s], ap[o] = o * s;
                for (int64_t m = 1; m < g.kernel_w; ++m)
                    for (int64_t o = 0; o < n_out; ++o) {
                        const float v = xp[o * s + m];
                        const bool take = (v > yp[o]) | (v != v);  // v != v: NaN wins
                        yp[o] = take ? v : yp[o];
                        ap[o] = take ? o * s + m : ap[o];
                    }
                continue;
            }
            for (int64_t o = 0; o < g.out_plane(); ++o) yp[o] = -std::numeric_limits<float>::infinity(), ap[o] = -1;
            for_each_window(g, [&](int64_t o, int64_t u) {
                // NaN wins, as in PyTorch: a NaN input must not vanish silently.
                if (ap[o] < 0 || xp[u] > yp[o] || std::isnan(xp[u])) yp[o] = xp[u], ap[o] = u;
            });
        }
    });
    auto backward = [g, argmax, in_shape = x.shape()](const Tensor& grad_out, const std::vector<bool>&) {
        const Tensor gy = grad_out.contiguous();
        Tensor gx = Tensor::zeros({g.planes * g.in_plane()});
        const float* pg = gy.data();
        float* pgx = gx.data();
        const int64_t* pa = argmax->data();
        parallel_for(g.planes, g.out_plane(), [&](int64_t b, int64_t e) {
            for (int64_t p = b; p < e; ++p)
                for (int64_t o = 0; o < g.out_plane(); ++o)
                    pgx[p * g.in_plane() + pa[p * g.out_plane() + o]] += pg[p * g.out_plane() + o];
        });
        return Grads{gx.reshape(in_shape)};
    };
    return make_result(op, out, {x}, backward);
}

/// Average pooling: \f$ y_{ij} = \frac{1}{|K|} \sum_{(u,v) \in W_{ij}} x_{uv} \f$ with
/// \f$ |K| = K \f$ (1-d) or \f$ K^2 \f$ (2-d), padding counted as zeros. Backward
/// spreads each output's gradient evenly over its window:
/// \f$ \partial L/\partial x_{uv} = \frac{1}{|K|} \sum_{ij:\ (u,v) \in W_{ij}} g_{ij} \f$.
Variable avg_pool(Op op, const char* name, const Variable& x, int64_t spatial, int64_t kernel, int64_t stride,
                  int64_t padding) {
    const PoolGeometry g = make_geometry(name, x.shape(), spatial, kernel, stride, padding);
    const float inv = 1.0f / static_cast<float>(g.kernel_h * g.kernel_w);
    const Tensor in = x.value().contiguous();
    Tensor out = Tensor::zeros(out_shape(x.shape(), g));
    const float* px = in.data();
    float* py = out.data();
    parallel_for(g.planes, g.in_plane() * g.kernel_h * g.kernel_w, [&](int64_t b, int64_t e) {
        for (int64_t p = b; p < e; ++p) {
            const float* xp = px + p * g.in_plane();
            float* yp = py + p * g.out_plane();
            for_each_window(g, [&](int64_t o, int64_t u) { yp[o] += xp[u]; });
            for (int64_t o = 0; o < g.out_plane(); ++o) yp[o] *= inv;
        }
    });
    return make_result(op, out, {x}, [g, inv, in_shape = x.shape()](const Tensor& grad_out, const std::vector<bool>&) {
        const Tensor gy = grad_out.contiguous();
        Tensor gx = Tensor::zeros({g.planes * g.in_plane()});
        const float* pg = gy.data();
        float* pgx = gx.data();
        parallel_for(g.planes, g.out_plane() * g.kernel_h * g.kernel_w, [&](int64_t b, int64_t e) {
            for (int64_t p = b; p < e; ++p)
                for_each_window(g, [&](int64_t o, int64_t u) {
                    pgx[p * g.in_plane() + u] += inv * pg[p * g.out_plane() + o];
                });
        });
        return Grads{gx.reshape(in_shape)};
    });
}

}  // namespace

Variable max_pool1d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
    return max_pool(Op::MaxPool1d, "max_pool1d", x, 1, kernel, stride, padding);
}

Variable max_pool2d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
    return max_pool(Op::MaxPool2d, "max_pool2d", x, 2, kernel, stride, padding);
}

Variable avg_pool1d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
    return avg_pool(Op::AvgPool1d, "avg_pool1d", x, 1, kernel, stride, padding);
}

Variable avg_pool2d(const Variable& x, int64_t kernel, int64_t stride, int64_t padding) {
    return avg_pool(Op::AvgPool2d, "avg_pool2d", x, 2, kernel, stride, padding);
}

}  // namespace iotgrad
