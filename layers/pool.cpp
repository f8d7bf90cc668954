#include "layers/pool.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"

namespace iotgrad::nn {

PoolBase::PoolBase(int64_t kernel, int64_t stride_arg, int64_t padding_arg)
    : kernel_size(kernel), stride(stride_arg == 0 ? kernel : stride_arg), padding(padding_arg) {
    // The ops check these too, but a bad layer should fail where it is built.
    if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel)
        throw std::invalid_argument("pool: need kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel " +
                                    std::to_string(kernel) + ", stride " + std::to_string(stride_arg) +
                                    ", padding " + std::to_string(padding_arg));
}

std::string PoolBase::extra_repr() const {
    std::string s = "kernel=" + std::to_string(kernel_size) + ", stride=" + std::to_string(stride);
    if (padding != 0) s += ", padding=" + std::to_string(padding);
    return s;
}

Variable MaxPool1d::forward(const Variable& x) { return max_pool1d(x, kernel_size, stride, padding); }
Variable MaxPool2d::forward(const Variable& x) { return max_pool2d(x, kernel_size, stride, padding); }
Variable AvgPool1d::forward(const Variable& x) { return avg_pool1d(x, kernel_size, stride, padding); }
Variable AvgPool2d::forward(const Variable& x) { return avg_pool2d(x, kernel_size, stride, padding); }

Variable GlobalAvgPool1d::forward(const Variable& x) {
    if (x.dim() != 3) throw ShapeError("GlobalAvgPool1d: expected input [N, C, L], got " + shape_str(x.shape()));
    return mean(x, {2});
}

Variable GlobalAvgPool2d::forward(const Variable& x) {
    if (x.dim() != 4) throw ShapeError("GlobalAvgPool2d: expected input [N, C, H, W], got " + shape_str(x.shape()));
    return mean(x, {2, 3});
}

}  // namespace iotgrad::nn
