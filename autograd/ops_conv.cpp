/// \file
/// Convolution, the paper's equation 4, as differentiable ops. The forward is
/// im2col + GEMM (tensor/conv.hpp); the backward is two more GEMMs and a
/// col2im, never materializing a transposed matrix. With cols = im2col(x)
/// ([C_in K, N P]), W reshaped to [C_out, C_in K] and G = \f$ \partial L/\partial y \f$
/// arranged as [C_out, N P]:
/// \f[ y = W\, \mathrm{cols} + b \quad\Rightarrow\quad
///     \frac{\partial L}{\partial W} = G\, \mathrm{cols}^\top,\quad
///     \frac{\partial L}{\partial x} = \mathrm{col2im}(W^\top G),\quad
///     \frac{\partial L}{\partial b_o} = \sum_{n, p} G[o, (n, p)]. \f]
/// col2im is the adjoint of im2col (each input element collects the gradient
/// of every window it appeared in), which is why it, and not an inverse, appears here.
///
/// Grouped convolution (groups = G, PyTorch's `groups`): the C_in input
/// channels and C_out output channels are split into G consecutive blocks,
/// and output block g sees only input block g, with w [C_out, C_in/G, K...]:
/// \f[ y[n, o, \ldots] = b_o + \sum_{c < C_{in}/G,\ k} w[o, c, k]\ x[n,\ g\,C_{in}/G + c,\ \ldots],
///     \qquad g = \lfloor o / (C_{out}/G) \rfloor. \f]
/// G = C_in is the depthwise convolution (one kernel per channel). It is
/// computed as written: G ordinary convolutions on channel slices, their
/// outputs concatenated, so the gradients are those of slice, concat and the
/// convolution above. groups = 1 takes the single-node path unchanged.
#include <stdexcept>
#include <string>

#include "autograd/ops.hpp"
#include "tensor/conv.hpp"

namespace iotgrad {

namespace {
Variable convolution(Op op, const char* name, int64_t spatial, const Variable& x, const Variable& w,
                     const Variable& bias, int64_t stride, int64_t padding, int64_t dilation) {
    const Tensor b = bias.defined() ? bias.value() : Tensor();
    const tensor::ConvGeometry g =
        tensor::conv_geometry(name, spatial, x.shape(), w.shape(), b, stride, padding, dilation);
    Tensor y =
        tensor::conv_forward(x.value(), w.value(), b, g, tensor::conv_output_shape(spatial, x.shape(), w.shape(), g));
    // No bias means no third input: the node then has exactly the inputs that exist.
    std::vector<Variable> inputs{x, w};
    if (bias.defined()) inputs.push_back(bias);
    return make_result(op, std::move(y), std::move(inputs),
                       [xv = x.value(), wv = w.value(), g](const Tensor& grad, const std::vector<bool>& needs) {
                           Grads out(needs.size());
                           if (needs[0]) out[0] = tensor::conv_grad_input(grad, wv, g, xv.shape());
                           if (needs[1]) out[1] = tensor::conv_grad_weight(grad, xv, g, wv.shape());
                           if (needs.size() > 2 && needs[2]) out[2] = tensor::conv_grad_bias(grad);
                           return out;
                       });
}
/// G convolutions over channel blocks, concatenated along the channel axis.
Variable grouped_convolution(Op op, const char* name, int64_t spatial, const Variable& x, const Variable& w,
                             const Variable& bias, int64_t stride, int64_t padding, int64_t dilation, int64_t groups) {
    const std::string o(name);
    if (groups < 1) throw std::invalid_argument(o + ": groups must be >= 1, got " + std::to_string(groups));
    if (x.dim() != spatial + 2 || w.dim() != spatial + 2)
        throw ShapeError(o + ": input " + shape_str(x.shape()) + " and weight " + shape_str(w.shape()) + " must have rank " +
                         std::to_string(spatial + 2));
    if (x.size(1) != w.size(1) * groups)
        throw ShapeError(o + ": input " + shape_str(x.shape()) + " has " + std::to_string(x.size(1)) +
                         " channels but weight " + shape_str(w.shape()) + " with groups " + std::to_string(groups) +
                         " expects " + std::to_string(w.size(1) * groups));
    if (w.size(0) % groups != 0)
        throw ShapeError(o + ": weight " + shape_str(w.shape()) + " has " + std::to_string(w.size(0)) +
                         " output channels, not divisible by groups " + std::to_string(groups));
    const int64_t cin = w.size(1), cout = w.size(0) / groups;
    std::vector<Variable> outs;
    for (int64_t g = 0; g < groups; ++g) {
        const Variable xg = slice(x, 1, g * cin, (g + 1) * cin);        // input block g
        const Variable wg = slice(w, 0, g * cout, (g + 1) * cout);      // its kernels
        const Variable bg = bias.defined() ? slice(bias, 0, g * cout, (g + 1) * cout) : Variable();
        outs.push_back(convolution(op, name, spatial, xg, wg, bg, stride, padding, dilation));
    }
    return concat(outs, 1);
}
}  // namespace

/// \f$ y[n, o, l] = b_o + \sum_{c, k} x[n, c,\ l s - p + k d]\ w[o, c, k] \f$ (equation 4
/// with the kernel flipped, as in every CNN library); gradients as in the file comment.
Variable conv1d(const Variable& x, const Variable& w, const Variable& bias, int64_t stride, int64_t padding,
                int64_t dilation, int64_t groups) {
    if (groups != 1) return grouped_convolution(Op::Conv1d, "conv1d", 1, x, w, bias, stride, padding, dilation, groups);
    return convolution(Op::Conv1d, "conv1d", 1, x, w, bias, stride, padding, dilation);
}

/// \f$ y[n, o, i, j] = b_o + \sum_{c, m, k} x[n, c,\ i s - p + m d,\ j s - p + k d]\ w[o, c, m, k] \f$;
/// gradients as in the file comment.
Variable conv2d(const Variable& x, const Variable& w, const Variable& bias, int64_t stride, int64_t padding,
                int64_t dilation, int64_t groups) {
    if (groups != 1) return grouped_convolution(Op::Conv2d, "conv2d", 2, x, w, bias, stride, padding, dilation, groups);
    return convolution(Op::Conv2d, "conv2d", 2, x, w, bias, stride, padding, dilation);
}

}  // namespace iotgrad
