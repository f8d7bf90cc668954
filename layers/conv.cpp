#include "layers/conv.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/init.hpp"

namespace iotgrad::nn {

namespace {
void check_options(const char* layer, const ConvOptions& o) {
    const std::string name(layer);
    const int64_t in = o.in_channels(), out = o.out_channels(), kernel = o.kernel_size();
    if (in < 1 || out < 1 || kernel < 1)
        throw std::invalid_argument(name + ": in_channels, out_channels and kernel_size must be >= 1, got " +
                                    std::to_string(in) + ", " + std::to_string(out) + ", " + std::to_string(kernel));
    if (o.stride() < 1 || o.dilation() < 1 || o.padding() < 0)
        throw std::invalid_argument(name + ": need stride >= 1, dilation >= 1 and padding >= 0, got stride " +
                                    std::to_string(o.stride()) + ", padding " + std::to_string(o.padding()) +
                                    ", dilation " + std::to_string(o.dilation()));
    if (o.groups() < 1 || in % o.groups() != 0 || out % o.groups() != 0)
        throw std::invalid_argument(name + ": in_channels " + std::to_string(in) + " and out_channels " +
                                    std::to_string(out) + " must both be divisible by groups " +
                                    std::to_string(o.groups()));
    if (o.padding_same() && (o.stride() != 1 || o.padding() != 0))
        throw std::invalid_argument(name + ": padding_same (PyTorch's padding=\"same\") needs stride 1 and padding 0, got stride " +
                                    std::to_string(o.stride()) + ", padding " + std::to_string(o.padding()));
}

/// The padding passed to the convolution: the given one, or with padding_same
/// the left share \f$ \lfloor d(K-1)/2 \rfloor \f$ of the total \f$ d(K-1) \f$.
int64_t conv_padding(const ConvOptions& o) {
    return o.padding_same() ? o.dilation() * (o.kernel_size() - 1) / 2 : o.padding();
}

/// padding_same with an odd total d(K-1): the zero that the symmetric padding
/// leaves out, appended on the right of axis `dim` (PyTorch pads the right more).
Variable pad_right_one(const Variable& x, int64_t dim) {
    Shape s = x.shape();
    s[static_cast<size_t>(dim)] = 1;
    return concat({x, Variable(Tensor::zeros(s))}, dim);
}

// "9, 32, kernel=5, stride=1" plus the arguments that differ from their defaults.
std::string conv_repr(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, bool same,
                      int64_t dilation, int64_t groups, bool bias) {
    std::string s = std::to_string(in) + ", " + std::to_string(out) + ", kernel=" + std::to_string(kernel) +
                    ", stride=" + std::to_string(stride);
    if (same) s += ", padding=same";
    else if (padding != 0) s += ", padding=" + std::to_string(padding);
    if (dilation != 1) s += ", dilation=" + std::to_string(dilation);
    if (groups != 1) s += ", groups=" + std::to_string(groups);
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

// Validates before any member is built from the options.
const ConvOptions& checked(const char* layer, const ConvOptions& o) {
    check_options(layer, o);
    return o;
}
}  // namespace

Conv1d::Conv1d(const Conv1dOptions& options, Generator& gen)
    : in_channels(checked("Conv1d", options).in_channels()), out_channels(options.out_channels()),
      kernel_size(options.kernel_size()), stride(options.stride()), padding(conv_padding(options)),
      dilation(options.dilation()), groups(options.groups()), padding_same(options.padding_same()) {
    make_params({out_channels, in_channels / groups, kernel_size}, options.bias(), gen, weight, bias);
    register_parameter("weight", weight);
    if (options.bias()) register_parameter("bias", bias);
}

Conv1d::Conv1d(int64_t in, int64_t out, int64_t kernel, Generator& gen) : Conv1d(Conv1dOptions(in, out, kernel), gen) {}

Variable Conv1d::forward(const Variable& x) {
    if (x.dim() != 3 || x.size(1) != in_channels)
        throw ShapeError("Conv1d(" + extra_repr() + "): expected input [N, " + std::to_string(in_channels) +
                         ", L], got " + shape_str(x.shape()));
    const bool odd_same = padding_same && dilation * (kernel_size - 1) % 2 == 1;
    return conv1d(odd_same ? pad_right_one(x, 2) : x, weight, bias, stride, padding, dilation, groups);
}

std::string Conv1d::extra_repr() const {
    return conv_repr(in_channels, out_channels, kernel_size, stride, padding, padding_same, dilation, groups,
                     bias.defined());
}

Conv2d::Conv2d(const Conv2dOptions& options, Generator& gen)
    : in_channels(checked("Conv2d", options).in_channels()), out_channels(options.out_channels()),
      kernel_size(options.kernel_size()), stride(options.stride()), padding(conv_padding(options)),
      dilation(options.dilation()), groups(options.groups()), padding_same(options.padding_same()) {
    make_params({out_channels, in_channels / groups, kernel_size, kernel_size}, options.bias(), gen, weight, bias);
    register_parameter("weight", weight);
    if (options.bias()) register_parameter("bias", bias);
}

Conv2d::Conv2d(int64_t in, int64_t out, int64_t kernel, Generator& gen) : Conv2d(Conv2dOptions(in, out, kernel), gen) {}

Variable Conv2d::forward(const Variable& x) {
    if (x.dim() != 4 || x.size(1) != in_channels)
        throw ShapeError("Conv2d(" + extra_repr() + "): expected input [N, " + std::to_string(in_channels) +
                         ", H, W], got " + shape_str(x.shape()));
    const bool odd_same = padding_same && dilation * (kernel_size - 1) % 2 == 1;
    const Variable xp = odd_same ? pad_right_one(pad_right_one(x, 2), 3) : x;
    return conv2d(xp, weight, bias, stride, padding, dilation, groups);
}

std::string Conv2d::extra_repr() const {
    return conv_repr(in_channels, out_channels, kernel_size, stride, padding, padding_same, dilation, groups,
                     bias.defined());
}

}  // namespace iotgrad::nn
