/// \file
/// Convolution layers (equation 4 of the paper) over sensor time series
/// (Conv1d: [N, C, L]) and images or spectrograms (Conv2d: [N, C, H, W]).
/// Arguments, weight layout, parameter names and default initialization are
/// torch.nn.Conv1d / Conv2d's (zero padding), options in the style of
/// torch::nn::Conv1dOptions:
/// \code
/// nn::Conv1d conv(nn::Conv1dOptions(9, 32, 5).padding_same(true).groups(9), gen);
/// nn::Conv1d plain(9, 32, 5, gen);  // stride 1, no padding, bias
/// \endcode
///
/// Taught in \ref tutorial_06_cnn.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"
#include "layers/options.hpp"

namespace iotgrad::nn {

/// Options of Conv1d and Conv2d (Conv1dOptions and Conv2dOptions are this type).
/// Sizes to the constructor; every other setting chains:
/// `nn::Conv2dOptions(3, 8, 3).stride(2).padding(1).bias(false)`.
class ConvOptions {
public:
    /// in_channels, out_channels, kernel_size (square for Conv2d).
    ConvOptions(int64_t in_channels, int64_t out_channels, int64_t kernel_size)
        : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
    int64_t in_channels() const { return in_channels_; }    ///< \f$ C_{in} \f$
    int64_t out_channels() const { return out_channels_; }  ///< \f$ C_{out} \f$
    int64_t kernel_size() const { return kernel_size_; }    ///< K

    /// Step s between windows.
    IOTGRAD_OPTION(int64_t, stride) = 1;
    /// Zeros p added on both sides of each spatial axis.
    IOTGRAD_OPTION(int64_t, padding) = 0;
    /// PyTorch's padding="same": the output keeps the input's length (stride
    /// 1 only, and padding must stay 0). Each axis gets \f$ d(K - 1) \f$
    /// zeros in total, \f$ \lfloor d(K-1)/2 \rfloor \f$ on the left and the
    /// rest on the right (one more on the right for an even kernel, as PyTorch).
    IOTGRAD_OPTION(bool, padding_same) = false;
    /// Spacing d between kernel taps.
    IOTGRAD_OPTION(int64_t, dilation) = 1;
    /// G: channels split into G blocks convolved separately (G = C_in is
    /// depthwise); both channel counts must be divisible by G, and the weight
    /// is \f$ [C_{out}, C_{in}/G, K\ldots] \f$ as PyTorch's.
    IOTGRAD_OPTION(int64_t, groups) = 1;
    /// Whether to learn a bias \f$ b_o \f$.
    IOTGRAD_OPTION(bool, bias) = true;

private:
    int64_t in_channels_, out_channels_, kernel_size_;
};

/// Options of Conv1d.
using Conv1dOptions = ConvOptions;
/// Options of Conv2d.
using Conv2dOptions = ConvOptions;

/// \f$ y[n, o, t] = b_o + \sum_{c, k} W[o, c, k]\, x[n, g C_{in}/G + c, t s - p + k d] \f$
/// with \f$ g = \lfloor o / (C_{out}/G) \rfloor \f$ (G = groups; with G = 1 the sum is over every channel).
/// Default init: \f$ W, b \sim U(-1/\sqrt{(C_{in}/G) K}, 1/\sqrt{(C_{in}/G) K}) \f$ (kaiming_uniform with a = \f$\sqrt 5\f$).
class Conv1d : public Module {
public:
    /// Throws std::invalid_argument naming the layer for sizes below 1, a bad
    /// stride/padding/dilation, channels not divisible by groups, or
    /// padding_same with a stride other than 1 or a nonzero padding.
    Conv1d(const Conv1dOptions& options, Generator& gen);
    /// Stride 1, no padding, one group, with bias.
    Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& gen);
    Conv1d(Conv1d&&) = default;

    /// x [N, C_in, L] -> [N, C_out, L_out] with \f$ L_{out} = \lfloor (L + 2p - d(K-1) - 1)/s \rfloor + 1 \f$
    /// (\f$ L_{out} = L \f$ with padding_same).
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Conv1d"; }
    std::string extra_repr() const override;

    Variable weight;  ///< [out_channels, in_channels / groups, kernel_size]
    Variable bias;    ///< [out_channels], undefined when constructed with bias = false

    const int64_t in_channels, out_channels, kernel_size, stride;
    /// Zeros on the left (and right) of the input; with padding_same \f$ \lfloor d(K-1)/2 \rfloor \f$.
    const int64_t padding;
    const int64_t dilation, groups;
    const bool padding_same;  ///< PyTorch's padding="same"
};

/// \f$ y[n, o, i, j] = b_o + \sum_{c, m, k} W[o, c, m, k]\, x[n, g C_{in}/G + c, i s - p + m d, j s - p + k d] \f$
/// with a square kernel and groups as Conv1d. Default init as Conv1d with fan_in = \f$ (C_{in}/G) K^2 \f$.
class Conv2d : public Module {
public:
    /// Throws like Conv1d's.
    Conv2d(const Conv2dOptions& options, Generator& gen);
    /// Stride 1, no padding, one group, with bias.
    Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, Generator& gen);
    Conv2d(Conv2d&&) = default;

    /// x [N, C_in, H, W] -> [N, C_out, H_out, W_out] (H_out = H, W_out = W with padding_same).
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Conv2d"; }
    std::string extra_repr() const override;

    Variable weight;  ///< [out_channels, in_channels / groups, kernel_size, kernel_size]
    Variable bias;    ///< [out_channels], undefined when constructed with bias = false

    const int64_t in_channels, out_channels, kernel_size, stride;
    /// Zeros on every side of the input; with padding_same \f$ \lfloor d(K-1)/2 \rfloor \f$.
    const int64_t padding;
    const int64_t dilation, groups;
    const bool padding_same;  ///< PyTorch's padding="same"
};

}  // namespace iotgrad::nn
