/// \file
/// Weight initialization, as torch.nn.init. Each function fills a Tensor in
/// place (a parameter's value, `layer.weight.value()`) from an explicit
/// Generator, so a model built twice from the same seed is the same model.
///
/// Fans follow PyTorch: for a weight of shape [out, in, k...] (Linear
/// [out, in], Conv1d [out, in, k], Conv2d [out, in, kh, kw]) with receptive
/// field \f$ r = \prod k \f$, \f$ \mathrm{fan\_in} = \mathrm{in}\cdot r \f$ and
/// \f$ \mathrm{fan\_out} = \mathrm{out}\cdot r \f$.
#pragma once
#include <cstdint>
#include <utility>

#include "tensor/tensor.hpp"

namespace iotgrad::nn::init {

/// Which fan kaiming_* keeps the variance of: forward activations (fan_in) or backward gradients (fan_out).
enum class FanMode { FanIn, FanOut };

/// The nonlinearity that follows the layer, for calculate_gain.
enum class Nonlinearity { Linear, Conv, Sigmoid, Tanh, Relu, LeakyRelu, Selu };

/// (fan_in, fan_out) of a weight of rank >= 2; throws ShapeError for rank < 2.
std::pair<int64_t, int64_t> fan_in_and_fan_out(const Shape& shape);

/// PyTorch's recommended gains: 1 for linear/conv/sigmoid, 5/3 for tanh,
/// \f$\sqrt 2\f$ for ReLU, \f$\sqrt{2 / (1 + a^2)}\f$ for leaky ReLU with slope
/// a = `param`, 3/4 for SELU.
float calculate_gain(Nonlinearity nonlinearity, float param = 0.01f);

/// \f$ w \sim U(lo, hi) \f$.
void uniform(Tensor& w, Generator& gen, float lo = 0.0f, float hi = 1.0f);
/// \f$ w \sim \mathcal N(\mu, \sigma^2) \f$.
void normal(Tensor& w, Generator& gen, float mean = 0.0f, float std = 1.0f);
/// w = 0.
void zeros(Tensor& w);
/// w = 1.
void ones(Tensor& w);
/// w = value.
void constant(Tensor& w, float value);

/// Glorot & Bengio (2010): \f$ w \sim U(-b, b) \f$ with
/// \f$ b = \mathrm{gain}\sqrt{6 / (\mathrm{fan\_in} + \mathrm{fan\_out})} \f$,
/// so \f$ \mathrm{Var}(w) = \mathrm{gain}^2 \cdot 2 / (\mathrm{fan\_in} + \mathrm{fan\_out}) \f$.
void xavier_uniform(Tensor& w, Generator& gen, float gain = 1.0f);
/// \f$ w \sim \mathcal N(0, \sigma^2) \f$ with
/// \f$ \sigma = \mathrm{gain}\sqrt{2 / (\mathrm{fan\_in} + \mathrm{fan\_out})} \f$.
void xavier_normal(Tensor& w, Generator& gen, float gain = 1.0f);

/// He et al. (2015): \f$ w \sim U(-b, b) \f$ with
/// \f$ b = \sqrt 3\, \mathrm{gain} / \sqrt{\mathrm{fan}} \f$, gain = calculate_gain(nonlinearity, a)
/// and fan = fan_in or fan_out by mode. PyTorch's defaults: a = 0, fan_in, leaky ReLU
/// (gain \f$\sqrt 2\f$). Linear and Conv layers use a = \f$\sqrt 5\f$, which gives
/// \f$ b = 1/\sqrt{\mathrm{fan\_in}} \f$.
void kaiming_uniform(Tensor& w, Generator& gen, float a = 0.0f, FanMode mode = FanMode::FanIn,
                     Nonlinearity nonlinearity = Nonlinearity::LeakyRelu);
/// \f$ w \sim \mathcal N(0, \sigma^2) \f$ with \f$ \sigma = \mathrm{gain} / \sqrt{\mathrm{fan}} \f$.
void kaiming_normal(Tensor& w, Generator& gen, float a = 0.0f, FanMode mode = FanMode::FanIn,
                    Nonlinearity nonlinearity = Nonlinearity::LeakyRelu);

/// The default initialization of PyTorch's Linear and ConvNd (reset_parameters):
/// weight by kaiming_uniform with a = \f$\sqrt 5\f$, i.e.
/// \f$ U(-1/\sqrt{\mathrm{fan\_in}}, 1/\sqrt{\mathrm{fan\_in}}) \f$,
/// and the bias (if defined) from the same interval; weight first, then bias.
void default_linear_init(Tensor& weight, Tensor* bias, Generator& gen);

}  // namespace iotgrad::nn::init
