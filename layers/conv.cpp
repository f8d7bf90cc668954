#include "layers/conv.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/init.hpp"

namespace iotgrad::nn {

namespace {
void check_args(const char* layer, int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                int64_t dilation) {
    const std::string name(layer);
    if (in < 1 || out < 1 || kernel < 1)
        throw std::invalid_argument(name + ": in_channels, out_channels and kernel_size must be >= 1, got " +
                                    std::to_string(in) + ", " + std::to_string(out) + ", " + std::to_string(kernel));
    if (stride < 1 || dilation < 1 || padding < 0)
        throw std::invalid_argument(name + ": need stride >= 1, dilation >= 1 and padding >= 0, got stride " +
                                    std::to_string(stride) + ", padding " + std::to_string(padding) +
                                    ", dilation " + std::to_string(dilation));
}

// "9, 32, kernel=5, stride=1" plus the arguments that differ from their defaults.
std::string conv_repr(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                      bool bias) {
    std::string s = std::to_string(in) + ", " + std::to_string(out) + ", kernel=" + std::to_string(kernel) +
                    ", stride=" + std::to_string(stride);
    if (padding != 0) s += ", padding=" + std::to_string(padding);
    if (dilation != 1) s += ", dilation=" + std::to_string(dilation);
    if (!bias) s += ", bias=false";
    return s;
}

// Builds weight (and bias) of the given shape with PyTorch's default init and registers them.
void make_params(Shape shape, bool has_bias, Generator& gen, Variable& weight, Variable& bias) {
    Tensor w = Tensor::empty(shape);
    Tensor b = has_bias ? Tensor::empty({shape[0]}) : Tensor();
    init::default_linear_init(w, has_bias ? &b : nullptr, gen);
    weight = Variable(w);
    if (has_bias) bias = Variable(b);
}
}  // namespace

Conv1d::Conv1d(int64_t in, int64_t out, int64_t kernel, Generator& gen, int64_t stride, int64_t padding,
               int64_t dilation, bool has_bias)
    : in_channels(in), out_channels(out), kernel_size(kernel), stride(stride), padding(padding),
      dilation(dilation) {
    check_args("Conv1d", in, out, kernel, stride, padding, dilation);
    make_params({out, in, kernel}, has_bias, gen, weight, bias);
    register_parameter("weight", weight);
    if (has_bias) register_parameter("bias", bias);
}

Variable Conv1d::forward(const Variable& x) {
    if (x.dim() != 3 || x.size(1) != in_channels)
        throw ShapeError("Conv1d(" + extra_repr() + "): expected input [N, " + std::to_string(in_channels) +
                         ", L], got " + shape_str(x.shape()));
    return conv1d(x, weight, bias, stride, padding, dilation);
}

std::string Conv1d::extra_repr() const {
    return conv_repr(in_channels, out_channels, kernel_size, stride, padding, dilation, bias.defined());
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, Generator& gen, int64_t stride, int64_t padding,
               int64_t dilation, bool has_bias)
    : in_channels(in), out_channels(out), kernel_size(kernel), stride(stride), padding(padding),
      dilation(dilation) {
    check_args("Conv2d", in, out, kernel, stride, padding, dilation);
    make_params({out, in, kernel, kernel}, has_bias, gen, weight, bias);
    register_parameter("weight", weight);
    if (has_bias) register_parameter("bias", bias);
}

Variable Conv2d::forward(const Variable& x) {
    if (x.dim() != 4 || x.size(1) != in_channels)
        throw ShapeError("Conv2d(" + extra_repr() + "): expected input [N, " + std::to_string(in_channels) +
                         ", H, W], got " + shape_str(x.shape()));
    return conv2d(x, weight, bias, stride, padding, dilation);
}

std::string Conv2d::extra_repr() const {
    return conv_repr(in_channels, out_channels, kernel_size, stride, padding, dilation, bias.defined());
}

}  // namespace iotgrad::nn
