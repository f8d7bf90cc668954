/// \file
/// Loss functions, as functions and as modules, with PyTorch's definitions
/// (so a loss value printed here can be compared with one from torch).
/// Every loss takes a Reduction: Mean (default), Sum, or None (per element / per sample).
#pragma once
#include <string>

#include "autograd/ops.hpp"
#include "layers/module.hpp"

namespace iotgrad::nn {

// Cross-entropy is iotgrad::cross_entropy (autograd/ops.hpp): one function for
// class indices and probabilities, with class weights, label smoothing and
// ignore_index; CrossEntropyLoss below is its module form.

/// \f$ \ell_i = (x_i - y_i)^2 \f$ (shapes must match).
Variable mse_loss(const Variable& input, const Variable& target, Reduction reduction = Reduction::Mean);
Variable mse_loss(const Variable& input, const Tensor& target, Reduction reduction = Reduction::Mean);

/// \f$ \ell_i = |x_i - y_i| \f$ (shapes must match).
Variable l1_loss(const Variable& input, const Variable& target, Reduction reduction = Reduction::Mean);
Variable l1_loss(const Variable& input, const Tensor& target, Reduction reduction = Reduction::Mean);

/// Binary cross-entropy on logits z with targets y in [0, 1], computed stably:
/// \f[ \ell = -\big[p\,y \log\sigma(z) + (1 - y)\log(1 - \sigma(z))\big]
///         = (1 - y)\,z + (1 + (p - 1)\,y)\,\mathrm{softplus}(-z) \f]
/// with pos_weight p (undefined: 1, broadcast along the last axis like PyTorch's).
/// For p = 1 this is \f$ \max(z, 0) - z y + \log(1 + e^{-|z|}) \f$: finite for any z,
/// with gradient \f$ \sigma(z) - y \f$.
Variable binary_cross_entropy_with_logits(const Variable& logits, const Variable& target,
                                          Reduction reduction = Reduction::Mean, const Tensor& pos_weight = Tensor());
Variable binary_cross_entropy_with_logits(const Variable& logits, const Tensor& target,
                                          Reduction reduction = Reduction::Mean, const Tensor& pos_weight = Tensor());

/// "mean", "sum" or "none".
const char* reduction_name(Reduction reduction);

/// The module form of iotgrad::cross_entropy: `loss = criterion(logits, targets)`.
class CrossEntropyLoss : public Module {
public:
    explicit CrossEntropyLoss(CrossEntropyOptions options = {}) : options(std::move(options)) {}
    using Module::forward;
    using Module::operator();
    Variable forward(const Variable& logits, const Tensor& targets) { return cross_entropy(logits, targets, options); }
    Variable operator()(const Variable& logits, const Tensor& targets) { return forward(logits, targets); }
    std::string type_name() const override { return "CrossEntropyLoss"; }
    std::string extra_repr() const override;
    const CrossEntropyOptions options;
};

/// The module form of mse_loss.
class MSELoss : public Module {
public:
    explicit MSELoss(Reduction reduction = Reduction::Mean) : reduction(reduction) {}
    using Module::forward;
    using Module::operator();
    Variable forward(const Variable& input, const Tensor& target) { return mse_loss(input, target, reduction); }
    Variable operator()(const Variable& input, const Tensor& target) { return forward(input, target); }
    std::string type_name() const override { return "MSELoss"; }
    std::string extra_repr() const override { return std::string("reduction=") + reduction_name(reduction); }
    const Reduction reduction;
};

/// The module form of l1_loss.
class L1Loss : public Module {
public:
    explicit L1Loss(Reduction reduction = Reduction::Mean) : reduction(reduction) {}
    using Module::forward;
    using Module::operator();
    Variable forward(const Variable& input, const Tensor& target) { return l1_loss(input, target, reduction); }
    Variable operator()(const Variable& input, const Tensor& target) { return forward(input, target); }
    std::string type_name() const override { return "L1Loss"; }
    std::string extra_repr() const override { return std::string("reduction=") + reduction_name(reduction); }
    const Reduction reduction;
};

/// The module form of binary_cross_entropy_with_logits.
class BCEWithLogitsLoss : public Module {
public:
    explicit BCEWithLogitsLoss(Reduction reduction = Reduction::Mean, Tensor pos_weight = Tensor())
        : reduction(reduction), pos_weight(std::move(pos_weight)) {}
    using Module::forward;
    using Module::operator();
    Variable forward(const Variable& logits, const Tensor& target) {
        return binary_cross_entropy_with_logits(logits, target, reduction, pos_weight);
    }
    Variable operator()(const Variable& logits, const Tensor& target) { return forward(logits, target); }
    std::string type_name() const override { return "BCEWithLogitsLoss"; }
    std::string extra_repr() const override;
    const Reduction reduction;
    const Tensor pos_weight;
};

}  // namespace iotgrad::nn
