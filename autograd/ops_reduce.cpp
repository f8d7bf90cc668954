/// \file
/// Reductions. The backward of a reduction over some axes broadcasts the
/// gradient back over them: g is reshaped with keepdim (size-1 dimensions
/// where the axes were) and stretched to x's shape. An empty axis list
/// reduces over every axis, as in tensor::sum.
#include <sstream>

#include "autograd/dot.hpp"
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

namespace iotgrad {

namespace {
/// g (shaped like the reduced output) broadcast back to x's shape, materialized.
Tensor spread(const Tensor& g, const Shape& keep_shape, const Shape& x_shape) {
    return g.reshape(keep_shape).expand(x_shape).contiguous();
}

std::string axes_detail(const std::vector<int64_t>& axes, bool keepdim) {
    std::ostringstream os;
    os << "axes=" << (axes.empty() ? std::string("all") : shape_str(axes)) << (keepdim ? ", keepdim" : "");
    return os.str();
}

/// Number of elements reduced into each output element (all of them for empty axes).
int64_t count_over(const Shape& x_shape, const std::vector<int64_t>& axes) {
    if (axes.empty()) return numel_of(x_shape);
    int64_t n = 1;
    for (int64_t a : axes) n *= x_shape[normalize_axis(a, static_cast<int64_t>(x_shape.size()), "reduce")];
    return n;
}
}  // namespace

/// \f$ y = \sum_i x_i \f$ (rank 0); \f$ \partial L/\partial x_i = g \f$.
Variable sum(const Variable& x) {
    return make_result(
        Op::Sum, tensor::sum(x.value()), {x},
        [sx = x.shape()](const Tensor& g, const std::vector<bool>&) { return Grads{g.expand(sx).contiguous()}; });
}

/// \f$ y = \sum_{\text{axes}} x \f$; \f$ \partial L/\partial x = g \f$ broadcast over the summed axes.
Variable sum(const Variable& x, const std::vector<int64_t>& axes, bool keepdim) {
    Tensor out = tensor::sum(x.value(), axes, keepdim);  // validates the axes first, naming "sum"
    Variable y = make_result(Op::Sum, out, {x},
                             [sx = x.shape(), keep = tensor::reduced_shape(x.shape(), axes, true)](
                                 const Tensor& g, const std::vector<bool>&) { return Grads{spread(g, keep, sx)}; });
    set_op_detail(y, axes_detail(axes, keepdim));
    return y;
}

/// \f$ y = \frac{1}{n}\sum_i x_i \f$ (rank 0); \f$ \partial L/\partial x_i = g / n \f$.
Variable mean(const Variable& x) {
    return make_result(Op::Mean, tensor::mean(x.value()), {x},
                       [sx = x.shape()](const Tensor& g, const std::vector<bool>&) {
                           const float inv_n = 1.0f / static_cast<float>(numel_of(sx));
                           return Grads{tensor::mul(g, inv_n).expand(sx).contiguous()};
                       });
}

/// \f$ y = \frac{1}{n}\sum_{\text{axes}} x \f$ with n the number of elements
/// reduced into each output; \f$ \partial L/\partial x = g / n \f$ broadcast back.
Variable mean(const Variable& x, const std::vector<int64_t>& axes, bool keepdim) {
    Tensor out = tensor::mean(x.value(), axes, keepdim);  // validates the axes first, naming "mean"
    const int64_t n = count_over(x.shape(), axes);
    Variable y = make_result(Op::Mean, out, {x},
                             [sx = x.shape(), keep = tensor::reduced_shape(x.shape(), axes, true), n](
                                 const Tensor& g, const std::vector<bool>&) {
                                 return Grads{spread(tensor::mul(g, 1.0f / static_cast<float>(n)), keep, sx)};
                             });
    set_op_detail(y, axes_detail(axes, keepdim));
    return y;
}

namespace {
/// Shared backward of max and min: the gradient goes to the elements equal
/// to the extreme, split evenly when several tie:
/// \f$ \partial L/\partial x_i = g\, \frac{[x_i = y]}{\sum_j [x_j = y]} \f$.
BackwardFn extreme_backward(const Tensor& x, const Tensor& y, const std::vector<int64_t>& axes) {
    const Shape keep = tensor::reduced_shape(x.shape(), axes, true);
    return [x, yk = y.reshape(keep), keep, axes](const Tensor& g, const std::vector<bool>&) {
        const Tensor hit = tensor::eq(x, yk);                          // 1 where x_i is the extreme
        const Tensor ties = tensor::sum(hit, axes, /*keepdim=*/true);  // how many share it
        return Grads{tensor::zip3(hit, g.reshape(keep), ties, [](float h, float gi, float c) { return h * gi / c; })};
    };
}
}  // namespace

/// \f$ y = \max_{\text{axes}} x \f$; the gradient goes to the maximal elements, split evenly between ties.
Variable max(const Variable& x, const std::vector<int64_t>& axes, bool keepdim) {
    Tensor y = tensor::max(x.value(), axes, keepdim);
    Variable out = make_result(Op::Max, y, {x}, extreme_backward(x.value(), y, axes));
    set_op_detail(out, axes_detail(axes, keepdim));
    return out;
}

/// \f$ y = \min_{\text{axes}} x \f$; the gradient goes to the minimal elements, split evenly between ties.
Variable min(const Variable& x, const std::vector<int64_t>& axes, bool keepdim) {
    Tensor y = tensor::min(x.value(), axes, keepdim);
    Variable out = make_result(Op::Min, y, {x}, extreme_backward(x.value(), y, axes));
    set_op_detail(out, axes_detail(axes, keepdim));
    return out;
}

/// \f$ \mathrm{var}(x) = \frac{1}{n - c}\sum_{\text{axes}} (x - \bar x)^2 \f$, c = 1 when
/// unbiased. Composed from mean, sub, mul, sum and div, so its gradient
/// \f$ \frac{2}{n - c}(x - \bar x)\, g \f$ comes from theirs (no op of its own).
/// n - c = 0 (one element, unbiased) gives NaN, as in PyTorch.
Variable var(const Variable& x, const std::vector<int64_t>& axes, bool unbiased, bool keepdim) {
    const Variable centred = x - mean(x, axes, /*keepdim=*/true);
    const int64_t n = count_over(x.shape(), axes);
    const float denom = static_cast<float>(n - (unbiased ? 1 : 0));
    return sum(centred * centred, axes, keepdim) / denom;
}

}  // namespace iotgrad
