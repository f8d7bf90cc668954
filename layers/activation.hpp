/// \file
/// Activation modules (equation 5: a = f(z)): thin wrappers over the
/// activation ops so they can sit in a Sequential. Each has no parameters.
#pragma once
#include <cstdint>
#include <string>

#include "autograd/ops.hpp"
#include "layers/module.hpp"

namespace iotgrad::nn {

/// \f$ \max(z, 0) \f$.
class ReLU : public Module {
public:
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "ReLU"; }
};

/// \f$ \max(z, 0) + a \min(z, 0) \f$ with slope a (PyTorch's default 0.01).
class LeakyReLU : public Module {
public:
    explicit LeakyReLU(float negative_slope = 0.01f) : negative_slope(negative_slope) {}
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "LeakyReLU"; }
    std::string extra_repr() const override;
    const float negative_slope;
};

/// \f$ 1 / (1 + e^{-z}) \f$.
class Sigmoid : public Module {
public:
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "Sigmoid"; }
};

/// \f$ \tanh z \f$.
class Tanh : public Module {
public:
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "Tanh"; }
};

/// GELU: exact \f$ z\,\Phi(z) \f$ by default, or PyTorch's approximate="tanh"
/// form \f$ \tfrac12 z (1 + \tanh(\sqrt{2/\pi}(z + 0.044715 z^3))) \f$ with
/// `nn::GELU(GeluApproximate::Tanh)`.
class GELU : public Module {
public:
    explicit GELU(GeluApproximate approximate = GeluApproximate::None) : approximate(approximate) {}
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "GELU"; }
    std::string extra_repr() const override { return approximate == GeluApproximate::Tanh ? "approximate=tanh" : ""; }

    const GeluApproximate approximate;  ///< the exact form (None) or the tanh approximation
};

/// \f$ \log(1 + e^{z}) \f$ (PyTorch's Softplus with beta = 1).
class Softplus : public Module {
public:
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "Softplus"; }
};

/// \f$ e^{z_i} / \sum_j e^{z_j} \f$ along dim.
class Softmax : public Module {
public:
    explicit Softmax(int64_t dim = -1) : dim(dim) {}
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "Softmax"; }
    std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
    const int64_t dim;
};

/// \f$ z_i - \log \sum_j e^{z_j} \f$ along dim.
class LogSoftmax : public Module {
public:
    explicit LogSoftmax(int64_t dim = -1) : dim(dim) {}
    Variable forward(const Variable& z) override;
    std::string type_name() const override { return "LogSoftmax"; }
    std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
    const int64_t dim;
};

}  // namespace iotgrad::nn
