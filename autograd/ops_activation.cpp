/// \file
/// Activations, the paper's equation 5: \f$ a = f(z) \f$ elementwise, with
/// \f$ \partial L/\partial z = g \odot f'(z) \f$. Where \f$ f' \f$ is cheaper
/// from the output (sigmoid, tanh) the backward saves a instead of z.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "autograd/dot.hpp"
#include "autograd/ops.hpp"
#include "tensor/elementwise.hpp"

namespace iotgrad {

using tensor::map;
using tensor::zip;

namespace {
constexpr float kInvSqrt2 = 0.70710678118654752f;    // 1/sqrt(2)
constexpr float kInvSqrt2Pi = 0.39894228040143268f;  // 1/sqrt(2 pi)

/// Standard normal CDF \f$ \Phi(z) = \frac{1}{2}\left(1 + \mathrm{erf}(z/\sqrt 2)\right) \f$.
float Phi(float z) { return 0.5f * (1.0f + std::erf(z * kInvSqrt2)); }
/// Standard normal density \f$ \phi(z) = e^{-z^2/2} / \sqrt{2\pi} \f$.
float phi(float z) { return kInvSqrt2Pi * std::exp(-0.5f * z * z); }

constexpr float kSqrt2OverPi = 0.79788456080286536f;  // sqrt(2/pi)
constexpr float kGeluCubic = 0.044715f;
/// \f$ t = \tanh\left(\sqrt{2/\pi}\,(z + 0.044715\, z^3)\right) \f$ of GELU's tanh approximation.
float gelu_tanh_t(float z) { return std::tanh(kSqrt2OverPi * (z + kGeluCubic * z * z * z)); }
}  // namespace

/// ReLU: \f$ a = \max(z, 0) \f$, \f$ f'(z) = [z > 0] \f$ (0 at z = 0, like PyTorch).
Variable relu(const Variable& z) {
    return make_result(Op::Relu, tensor::relu(z.value()), {z},
                       [vz = z.value()](const Tensor& g, const std::vector<bool>&) {
                           return Grads{zip(g, vz, [](float gi, float zi) { return zi > 0 ? gi : 0.0f; })};
                       });
}

/// Leaky ReLU: \f$ a = z \f$ for \f$ z > 0 \f$, else \f$ \alpha z \f$;
/// \f$ f'(z) = 1 \f$ for \f$ z > 0 \f$, else \f$ \alpha \f$.
Variable leaky_relu(const Variable& z, float alpha) {
    const Tensor a = map(z.value(), [alpha](float zi) { return zi > 0 ? zi : alpha * zi; });
    Variable out = make_result(Op::LeakyRelu, a, {z}, [vz = z.value(), alpha](const Tensor& g, const std::vector<bool>&) {
        return Grads{zip(g, vz, [alpha](float gi, float zi) { return zi > 0 ? gi : alpha * gi; })};
    });
    std::ostringstream os;
    os << "slope=" << alpha;
    set_op_detail(out, os.str());
    return out;
}

/// Sigmoid: \f$ a = \sigma(z) = \frac{1}{1 + e^{-z}} \f$, \f$ f'(z) = a(1 - a) \f$
/// from the saved output. tensor::sigmoid never evaluates exp of a large
/// positive number, so a is exactly 0 or 1 far out, never NaN.
Variable sigmoid(const Variable& z) {
    Tensor a = tensor::sigmoid(z.value());
    return make_result(Op::Sigmoid, a, {z}, [a](const Tensor& g, const std::vector<bool>&) {
        return Grads{zip(g, a, [](float gi, float ai) { return gi * ai * (1.0f - ai); })};
    });
}

/// Tanh: \f$ a = \tanh z \f$, \f$ f'(z) = 1 - a^2 \f$ from the saved output.
Variable tanh(const Variable& z) {
    Tensor a = tensor::tanh(z.value());
    return make_result(Op::Tanh, a, {z}, [a](const Tensor& g, const std::vector<bool>&) {
        return Grads{zip(g, a, [](float gi, float ai) { return gi * (1.0f - ai * ai); })};
    });
}

/// GELU. Exact (GeluApproximate::None): \f$ a = z\,\Phi(z) \f$ with \f$ \Phi \f$
/// the standard normal CDF, \f$ f'(z) = \Phi(z) + z\,\phi(z) \f$ with \f$ \phi \f$ its density.
///
/// Tanh approximation (GeluApproximate::Tanh, PyTorch's approximate="tanh"),
/// with \f$ u = \sqrt{2/\pi}\,(z + 0.044715\, z^3) \f$ and \f$ t = \tanh u \f$:
/// \f[ a = \tfrac12 z (1 + t), \qquad
///     f'(z) = \tfrac12 (1 + t) + \tfrac12 z (1 - t^2)\, \sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\, z^2), \f]
/// the exact derivative of the approximation (not of the exact GELU).
Variable gelu(const Variable& z, GeluApproximate approximate) {
    if (approximate == GeluApproximate::Tanh) {
        Variable out = make_result(Op::Gelu, map(z.value(), [](float zi) { return 0.5f * zi * (1.0f + gelu_tanh_t(zi)); }),
                                   {z}, [vz = z.value()](const Tensor& g, const std::vector<bool>&) {
                                       return Grads{zip(g, vz, [](float gi, float zi) {
                                           const float t = gelu_tanh_t(zi);
                                           const float du = kSqrt2OverPi * (1.0f + 3.0f * kGeluCubic * zi * zi);
                                           return gi * (0.5f * (1.0f + t) + 0.5f * zi * (1.0f - t * t) * du);
                                       })};
                                   });
        set_op_detail(out, "approximate=tanh");
        return out;
    }
    return make_result(Op::Gelu, map(z.value(), [](float zi) { return zi * Phi(zi); }), {z},
                       [vz = z.value()](const Tensor& g, const std::vector<bool>&) {
                           return Grads{zip(g, vz, [](float gi, float zi) { return gi * (Phi(zi) + zi * phi(zi)); })};
                       });
}

/// Softplus: \f$ a = \log(1 + e^z) = \max(z, 0) + \log(1 + e^{-|z|}) \f$, the
/// second form never overflows (softplus(100) = 100, softplus(-100) = 3.7e-44);
/// \f$ f'(z) = \sigma(z) \f$.
Variable softplus(const Variable& z) {
    const Tensor a = map(z.value(), [](float zi) { return std::max(zi, 0.0f) + std::log1p(std::exp(-std::fabs(zi))); });
    return make_result(Op::Softplus, a, {z}, [vz = z.value()](const Tensor& g, const std::vector<bool>&) {
        return Grads{tensor::mul(g, tensor::sigmoid(vz))};
    });
}

}  // namespace iotgrad
