/// \file
/// Pooling modules: windowed max / average (wrappers over the pooling ops in
/// autograd/ops_pool.cpp) and global average pooling, which turns feature maps
/// of any length into one vector per sample, ready for a Linear classifier.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"

namespace iotgrad::nn {

/// The arguments shared by the windowed pools; stride 0 means "= kernel" (PyTorch's default).
class PoolBase : public Module {
public:
    PoolBase(int64_t kernel_size, int64_t stride, int64_t padding);
    PoolBase(PoolBase&&) = default;
    std::string extra_repr() const override;
    const int64_t kernel_size, stride, padding;
};

/// \f$ y[n, c, t] = \max_{0 \le k < K} x[n, c, t s - p + k] \f$ on [N, C, L].
class MaxPool1d : public PoolBase {
public:
    explicit MaxPool1d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0)
        : PoolBase(kernel_size, stride, padding) {}
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "MaxPool1d"; }
};

/// Max over square K x K windows on [N, C, H, W].
class MaxPool2d : public PoolBase {
public:
    explicit MaxPool2d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0)
        : PoolBase(kernel_size, stride, padding) {}
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "MaxPool2d"; }
};

/// \f$ y[n, c, t] = \frac1K \sum_{0 \le k < K} x[n, c, t s - p + k] \f$ (padding counts as zeros).
class AvgPool1d : public PoolBase {
public:
    explicit AvgPool1d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0)
        : PoolBase(kernel_size, stride, padding) {}
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "AvgPool1d"; }
};

/// Mean over square K x K windows on [N, C, H, W].
class AvgPool2d : public PoolBase {
public:
    explicit AvgPool2d(int64_t kernel_size, int64_t stride = 0, int64_t padding = 0)
        : PoolBase(kernel_size, stride, padding) {}
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "AvgPool2d"; }
};

/// \f$ y[n, c] = \frac1L \sum_t x[n, c, t] \f$: [N, C, L] -> [N, C]
/// (PyTorch: AdaptiveAvgPool1d(1) followed by flatten).
class GlobalAvgPool1d : public Module {
public:
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "GlobalAvgPool1d"; }
};

/// \f$ y[n, c] = \frac{1}{HW} \sum_{i,j} x[n, c, i, j] \f$: [N, C, H, W] -> [N, C].
class GlobalAvgPool2d : public Module {
public:
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "GlobalAvgPool2d"; }
};

}  // namespace iotgrad::nn
