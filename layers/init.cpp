#include "layers/init.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace iotgrad::nn::init {

std::pair<int64_t, int64_t> fan_in_and_fan_out(const Shape& shape) {
    if (shape.size() < 2)
        throw ShapeError("init: fan in and fan out need a weight of rank >= 2, got " + shape_str(shape));
    int64_t receptive = 1;
    for (size_t d = 2; d < shape.size(); ++d) receptive *= shape[d];
    return {shape[1] * receptive, shape[0] * receptive};
}

float calculate_gain(Nonlinearity nonlinearity, float param) {
    switch (nonlinearity) {
        case Nonlinearity::Linear:
        case Nonlinearity::Conv:
        case Nonlinearity::Sigmoid: return 1.0f;
        case Nonlinearity::Tanh: return 5.0f / 3.0f;
        case Nonlinearity::Relu: return std::sqrt(2.0f);
        case Nonlinearity::LeakyRelu: return std::sqrt(2.0f / (1.0f + param * param));
        case Nonlinearity::Selu: return 0.75f;
    }
    throw std::invalid_argument("calculate_gain: unknown nonlinearity");
}

void uniform(Tensor& w, Generator& gen, float lo, float hi) {
    if (!(lo <= hi))
        throw std::invalid_argument("init::uniform: lo must be <= hi, got " + std::to_string(lo) + " > " +
                                    std::to_string(hi));
    w.copy_(Tensor::rand(w.shape(), gen, lo, hi));
}

void normal(Tensor& w, Generator& gen, float mean, float std) {
    if (!(std >= 0.0f)) throw std::invalid_argument("init::normal: std must be >= 0, got " + std::to_string(std));
    w.copy_(Tensor::randn(w.shape(), gen, mean, std));
}

void zeros(Tensor& w) { w.fill_(0.0f); }
void ones(Tensor& w) { w.fill_(1.0f); }
void constant(Tensor& w, float value) { w.fill_(value); }

void xavier_uniform(Tensor& w, Generator& gen, float gain) {
    const auto [fan_in, fan_out] = fan_in_and_fan_out(w.shape());
    const float bound = gain * std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    uniform(w, gen, -bound, bound);
}

void xavier_normal(Tensor& w, Generator& gen, float gain) {
    const auto [fan_in, fan_out] = fan_in_and_fan_out(w.shape());
    normal(w, gen, 0.0f, gain * std::sqrt(2.0f / static_cast<float>(fan_in + fan_out)));
}

namespace {
float kaiming_std(const Shape& shape, float a, FanMode mode, Nonlinearity nonlinearity) {
    const auto [fan_in, fan_out] = fan_in_and_fan_out(shape);
    const int64_t fan = mode == FanMode::FanIn ? fan_in : fan_out;
    if (fan == 0) throw ShapeError("init::kaiming: zero fan for weight " + shape_str(shape));
    return calculate_gain(nonlinearity, a) / std::sqrt(static_cast<float>(fan));
}
}  // namespace

void kaiming_uniform(Tensor& w, Generator& gen, float a, FanMode mode, Nonlinearity nonlinearity) {
    // U(-b, b) has variance b^2 / 3, so b = sqrt(3) * std.
    const float bound = std::sqrt(3.0f) * kaiming_std(w.shape(), a, mode, nonlinearity);
    uniform(w, gen, -bound, bound);
}

void kaiming_normal(Tensor& w, Generator& gen, float a, FanMode mode, Nonlinearity nonlinearity) {
    normal(w, gen, 0.0f, kaiming_std(w.shape(), a, mode, nonlinearity));
}

void default_linear_init(Tensor& weight, Tensor* bias, Generator& gen) {
    kaiming_uniform(weight, gen, std::sqrt(5.0f));
    if (bias && bias->defined()) {
        const int64_t fan_in = fan_in_and_fan_out(weight.shape()).first;
        const float bound = fan_in > 0 ? 1.0f / std::sqrt(static_cast<float>(fan_in)) : 0.0f;
        uniform(*bias, gen, -bound, bound);
    }
}

}  // namespace iotgrad::nn::init
