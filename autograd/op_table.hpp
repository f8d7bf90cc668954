/// \file
/// The table of differentiable ops. Every node in a graph names its op from
/// this enum, and the gradient-check test walks the whole table: adding an op
/// here without a gradcheck case makes that test fail (the ggml way of making
/// "every op is checked" true by construction).
#pragma once
#include <array>
#include <cstddef>

namespace iotgrad {

enum class Op : int {
    // arithmetic with broadcasting (ops_arith.cpp)
    Add, Sub, Mul, Div, Neg,
    // elementwise math (ops_math.cpp)
    Exp, Log, Pow, Sqrt, Abs, Clamp, Maximum, Minimum, Where,
    // matrix product (ops_matmul.cpp) and the fused affine map of Linear (ops_linear.cpp)
    Matmul, Linear,
    // shape and views (ops_shape.cpp)
    Reshape, Permute, Slice, Expand, Concat, IndexSelect,
    // reductions (ops_reduce.cpp)
    Sum, Mean, Max, Min,
    // activations, equation 5 (ops_activation.cpp)
    Relu, LeakyRelu, Sigmoid, Tanh, Gelu, Softplus,
    // softmax and cross-entropy, equations 2-3 (ops_softmax.cpp)
    Softmax, LogSoftmax, CrossEntropy,
    // convolution, equation 4 (ops_conv.cpp)
    Conv1d, Conv2d,
    // pooling (ops_pool.cpp)
    MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d,
    // fused layer kernels (ops_lstm.cpp, ops_attention.cpp, ops_layer_norm.cpp)
    LstmLayer, Attention, LayerNorm,
    Count
};

/// Names in enum order, for to_dot, error messages and the gradcheck test.
inline constexpr std::array<const char*, static_cast<size_t>(Op::Count)> kOpNames = {
    "add", "sub", "mul", "div", "neg",
    "exp", "log", "pow", "sqrt", "abs", "clamp", "maximum", "minimum", "where",
    "matmul", "linear",
    "reshape", "permute", "slice", "expand", "concat", "index_select",
    "sum", "mean", "max", "min",
    "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "softplus",
    "softmax", "log_softmax", "cross_entropy",
    "conv1d", "conv2d",
    "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
    "lstm_layer", "attention", "layer_norm",
};
static_assert(kOpNames.size() == static_cast<size_t>(Op::Count), "every Op needs a name");
static_assert(kOpNames.back() != nullptr, "every Op needs a name");

inline const char* op_name(Op op) { return kOpNames[static_cast<size_t>(op)]; }

}  // namespace iotgrad
