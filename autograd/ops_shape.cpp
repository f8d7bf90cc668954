/// \file
/// Shape ops: they move elements around without changing their values, so
/// each backward moves the gradient back the opposite way. Forward values are
/// views of the input wherever the tensor layer allows one (reshape of a
/// contiguous tensor, permute, slice, select, expand): no copy is made.
#include <cmath>
#include <cstring>
#include <string>

#include "autograd/dot.hpp"
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad {

/// \f$ y = \mathrm{reshape}(x) \f$; \f$ \partial L/\partial x = \mathrm{reshape}(g, \mathrm{shape}(x)) \f$.
Variable reshape(const Variable& x, const Shape& shape) {
    Variable y =
        make_result(Op::Reshape, x.value().reshape(shape), {x},
                    [sx = x.shape()](const Tensor& g, const std::vector<bool>&) { return Grads{g.reshape(sx)}; });
    set_op_detail(y, "shape=" + shape_str(y.shape()));
    return y;
}

/// \f$ y_{i_{\pi(0)} \ldots} = x_{i_0 \ldots} \f$ (a view); the backward applies the inverse permutation.
Variable permute(const Variable& x, const std::vector<int64_t>& dims) {
    Tensor out = x.value().permute(dims);  // validates dims (ShapeError names them)
    std::vector<int64_t> inverse(dims.size());
    for (size_t i = 0; i < dims.size(); ++i)
        inverse[normalize_axis(dims[i], x.dim(), "permute")] = static_cast<int64_t>(i);
    Variable y = make_result(Op::Permute, out, {x}, [inverse](const Tensor& g, const std::vector<bool>&) {
        return Grads{g.permute(inverse)};
    });
    set_op_detail(y, "dims=" + shape_str(dims));
    return y;
}

/// Swaps two dimensions: a permute with those two entries exchanged.
Variable transpose(const Variable& x, int64_t d0, int64_t d1) {
    const int64_t a = normalize_axis(d0, x.dim(), "transpose"), b = normalize_axis(d1, x.dim(), "transpose");
    std::vector<int64_t> dims(x.dim());
    for (int64_t i = 0; i < x.dim(); ++i) dims[i] = i;
    std::swap(dims[a], dims[b]);
    return permute(x, dims);
}

/// \f$ y = x[\ldots, start{:}end{:}step, \ldots] \f$ (a view); the backward
/// scatters g into zeros of x's shape through the same strided view.
Variable slice(const Variable& x, int64_t dim, int64_t start, int64_t end, int64_t step) {
    Variable y = make_result(Op::Slice, x.value().slice(dim, start, end, step), {x},
                             [sx = x.shape(), dim, start, end, step](const Tensor& g, const std::vector<bool>&) {
                                 Tensor gx = Tensor::zeros(sx);
                                 gx.slice(dim, start, end, step).copy_(g);
                                 return Grads{gx};
                             });
    set_op_detail(y, "dim=" + std::to_string(dim) + ", " + std::to_string(start) + ":" + std::to_string(end) + ":" +
                         std::to_string(step));
    return y;
}

/// \f$ y = x[\ldots, index, \ldots] \f$, dropping dim (a view). Recorded as a
/// Slice node: the backward writes g into the selected hyperplane of zeros.
Variable select(const Variable& x, int64_t dim, int64_t index) {
    Variable y = make_result(Op::Slice, x.value().select(dim, index), {x},
                             [sx = x.shape(), dim, index](const Tensor& g, const std::vector<bool>&) {
                                 Tensor gx = Tensor::zeros(sx);
                                 gx.select(dim, index).copy_(g);
                                 return Grads{gx};
                             });
    set_op_detail(y, "select dim=" + std::to_string(dim) + ", index=" + std::to_string(index));
    return y;
}

Variable squeeze(const Variable& x, int64_t dim) { return reshape(x, x.value().squeeze(dim).shape()); }

Variable unsqueeze(const Variable& x, int64_t dim) { return reshape(x, x.value().unsqueeze(dim).shape()); }

/// Merges dimensions start_dim.. into one (a rank-0 x becomes [1]).
Variable flatten(const Variable& x, int64_t start_dim) {
    if (x.dim() == 0) {
        normalize_axis(start_dim, 1, "flatten");
        return reshape(x, {1});
    }
    const int64_t s = normalize_axis(start_dim, x.dim(), "flatten");
    Shape shape(x.shape().begin(), x.shape().begin() + s);
    shape.push_back(-1);
    if (x.numel() == 0) shape.back() = numel_of(Shape(x.shape().begin() + s, x.shape().end()));
    return reshape(x, shape);
}

/// \f$ y = x \f$ broadcast to shape (a stride-0 view); every copy of an
/// element sends its gradient back: \f$ \partial L/\partial x = \mathrm{sum\_to}(g, \mathrm{shape}(x)) \f$.
Variable expand(const Variable& x, const Shape& shape) {
    Variable y = make_result(
        Op::Expand, x.value().expand(shape), {x},
        [sx = x.shape()](const Tensor& g, const std::vector<bool>&) { return Grads{tensor::sum_to(g, sx)}; });
    set_op_detail(y, "shape=" + shape_str(shape));
    return y;
}

/// \f$ y = [x_0; x_1; \ldots] \f$ along dim; each input's gradient is its own
/// stretch of g, \f$ \partial L/\partial x_k = g[\ldots, o_k{:}o_k + n_k, \ldots] \f$ (a view).
Variable concat(const std::vector<Variable>& xs, int64_t dim) {
    if (xs.empty()) throw std::invalid_argument("concat: needs at least one variable");
    const Shape& first = xs[0].shape();
    const int64_t d = normalize_axis(dim, static_cast<int64_t>(first.size()), "concat");
    Shape out_shape = first;
    out_shape[d] = 0;
    for (const Variable& x : xs) {
        const Shape& s = x.shape();
        bool same = s.size() == first.size();
        for (size_t i = 0; same && i < s.size(); ++i) same = static_cast<int64_t>(i) == d || s[i] == first[i];
        if (!same)
            throw ShapeError("concat: shapes " + shape_str(first) + " and " + shape_str(s) +
                             " must match in every dimension except " + std::to_string(d));
        out_shape[d] += s[d];
    }
    Tensor out = Tensor::empty(out_shape);
    std::vector<int64_t> offsets;
    int64_t off = 0;
    for (const Variable& x : xs) {
        offsets.push_back(off);
        out.narrow(d, off, x.size(d)).copy_(x.value());
        off += x.size(d);
    }
    Variable y =
        make_result(Op::Concat, out, xs, [d, offsets, out_shape](const Tensor& g, const std::vector<bool>& needs) {
            Grads grads(offsets.size());
            for (size_t k = 0; k < offsets.size(); ++k) {
                const int64_t end = k + 1 < offsets.size() ? offsets[k + 1] : out_shape[d];
                if (needs[k]) grads[k] = g.narrow(d, offsets[k], end - offsets[k]);
            }
            return grads;
        });
    set_op_detail(y, "dim=" + std::to_string(d));
    return y;
}

/// Stacks equal-shaped variables along a new dimension: unsqueeze each, then concat.
Variable stack(const std::vector<Variable>& xs, int64_t dim) {
    if (xs.empty()) throw std::invalid_argument("stack: needs at least one variable");
    for (const Variable& x : xs)
        if (x.shape() != xs[0].shape())
            throw ShapeError("stack: every variable needs the same shape, got " + shape_str(xs[0].shape()) + " and " +
                             shape_str(x.shape()));
    const int64_t d = normalize_axis(dim, xs[0].dim() + 1, "stack");
    std::vector<Variable> parts;
    parts.reserve(xs.size());
    for (const Variable& x : xs) parts.push_back(unsqueeze(x, d));
    return concat(parts, d);
}

namespace {
/// Checks that every entry of a 1-d index tensor is an integer in [0, n) and
/// returns them; the message names the first bad entry.
std::vector<int64_t> checked_indices(const Tensor& index, int64_t n, int64_t dim, const Shape& xs) {
    if (index.dim() != 1)
        throw ShapeError("index_select: the index must be 1-d, got shape " + shape_str(index.shape()));
    std::vector<int64_t> idx;
    idx.reserve(index.numel());
    for (float v : index.to_vector()) {
        if (!(v == std::floor(v)))
            throw std::invalid_argument("index_select: index " + std::to_string(v) + " is not an integer");
        if (v < 0 || v >= static_cast<float>(n))
            throw ShapeError("index_select: index " + std::to_string(static_cast<int64_t>(v)) +
                             " is out of range for dimension " + std::to_string(dim) + " of size " + std::to_string(n) +
                             " (shape " + shape_str(xs) + ")");
        idx.push_back(static_cast<int64_t>(v));
    }
    return idx;
}
}  // namespace

/// \f$ y[\ldots, k, \ldots] = x[\ldots, \mathrm{index}_k, \ldots] \f$ along dim;
/// \f$ \partial L/\partial x[\ldots, i, \ldots] = \sum_{k:\,\mathrm{index}_k = i} g[\ldots, k, \ldots] \f$:
/// a row picked twice (e.g. a word appearing twice in a sentence) collects both gradients.
Variable index_select(const Variable& x, int64_t dim, const Tensor& index) {
    const int64_t d = normalize_axis(dim, x.dim(), "index_select");
    const Shape xs = x.shape();
    const std::vector<int64_t> idx = checked_indices(index, xs[d], d, xs);
    // View x as [outer, n, inner] so that each picked slab is `inner` contiguous floats.
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < d; ++i) outer *= xs[i];
    for (int64_t i = d + 1; i < x.dim(); ++i) inner *= xs[i];
    const int64_t n = xs[d], k = static_cast<int64_t>(idx.size());
    Shape out_shape = xs;
    out_shape[d] = k;
    const Tensor src = x.value().contiguous();
    Tensor out = Tensor::empty(out_shape);
    const float* s = src.data();
    float* o = out.data();
    if (out.numel() > 0)  // memcpy must not see the null data pointer of an empty tensor
        parallel_for(outer, k * inner, [&](int64_t b, int64_t e) {
            for (int64_t p = b; p < e; ++p)
                for (int64_t j = 0; j < k; ++j)
                    std::memcpy(o + (p * k + j) * inner, s + (p * n + idx[j]) * inner, sizeof(float) * inner);
        });
    Variable y = make_result(Op::IndexSelect, out, {x},
                             [idx, xs, outer, inner, n, k](const Tensor& g_in, const std::vector<bool>&) {
                                 const Tensor g = g_in.contiguous();
                                 Tensor gx = Tensor::zeros(xs);
                                 const float* gp = g.data();
                                 float* gxp = gx.data();
                                 // Each outer slab is written by one thread only, so duplicates add up without races.
                                 parallel_for(outer, k * inner, [&](int64_t b, int64_t e) {
                                     for (int64_t p = b; p < e; ++p)
                                         for (int64_t j = 0; j < k; ++j) {
                                             float* dst = gxp + (p * n + idx[j]) * inner;
                                             const float* src_row = gp + (p * k + j) * inner;
                                             for (int64_t i = 0; i < inner; ++i) dst[i] += src_row[i];
                                         }
                                 });
                                 return Grads{gx};
                             });
    set_op_detail(y, "dim=" + std::to_string(d));
    return y;
}

}  // namespace iotgrad
