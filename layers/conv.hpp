/// \file
/// Convolution layers (equation 4 of the paper) over sensor time series
/// (Conv1d: [N, C, L]) and images or spectrograms (Conv2d: [N, C, H, W]).
/// Arguments, weight layout, parameter names and default initialization are
/// torch.nn.Conv1d / Conv2d's (groups = 1, zero padding).
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"

namespace iotgrad::nn {

/// \f$ y[n, o, t] = b_o + \sum_{c, k} W[o, c, k]\, x[n, c, t s - p + k d] \f$.
/// Default init: \f$ W, b \sim U(-1/\sqrt{C_{in} K}, 1/\sqrt{C_{in} K}) \f$ (kaiming_uniform with a = \f$\sqrt 5\f$).
class Conv1d : public Module {
public:
    Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& gen, int64_t stride = 1,
           int64_t padding = 0, int64_t dilation = 1, bool bias = true);
    Conv1d(Conv1d&&) = default;

    /// x [N, C_in, L] -> [N, C_out, L_out] with \f$ L_{out} = \lfloor (L + 2p - d(K-1) - 1)/s \rfloor + 1 \f$.
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Conv1d"; }
    std::string extra_repr() const override;

    Variable weight;  ///< [out_channels, in_channels, kernel_size]
    Variable bias;    ///< [out_channels], undefined when constructed with bias = false

    const int64_t in_channels, out_channels, kernel_size, stride, padding, dilation;
};

/// \f$ y[n, o, i, j] = b_o + \sum_{c, m, k} W[o, c, m, k]\, x[n, c, i s - p + m d, j s - p + k d] \f$
/// with a square kernel. Default init as Conv1d with fan_in = \f$ C_{in} K^2 \f$.
class Conv2d : public Module {
public:
    Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& gen, int64_t stride = 1,
           int64_t padding = 0, int64_t dilation = 1, bool bias = true);
    Conv2d(Conv2d&&) = default;

    /// x [N, C_in, H, W] -> [N, C_out, H_out, W_out].
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Conv2d"; }
    std::string extra_repr() const override;

    Variable weight;  ///< [out_channels, in_channels, kernel_size, kernel_size]
    Variable bias;    ///< [out_channels], undefined when constructed with bias = false

    const int64_t in_channels, out_channels, kernel_size, stride, padding, dilation;
};

}  // namespace iotgrad::nn
