/// \file
/// The fully connected layer (equation 1 of the paper: z = W x + b) and
/// Flatten, which turns feature maps into the vectors a Linear layer takes.
///
/// Taught in \ref tutorial_04_softmax_cross_entropy (a softmax classifier) and \ref tutorial_05_mlp.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"
#include "layers/options.hpp"

namespace iotgrad::nn {

/// Options of Linear: `LinearOptions(9, 32).bias(false)`.
struct LinearOptions {
    LinearOptions(int64_t in_features, int64_t out_features) : in_features_(in_features), out_features_(out_features) {}
    IOTGRAD_OPTION(int64_t, in_features);
    IOTGRAD_OPTION(int64_t, out_features);
    /// Whether to learn an additive bias b.
    IOTGRAD_OPTION(bool, bias) = true;
};

/// \f$ y = x W^\top + b \f$ for x of shape [..., in_features]: the same
/// arguments, weight layout [out, in], parameter names ("weight", "bias") and
/// default initialization as torch.nn.Linear, so weights move between the two
/// unchanged. Default init: \f$ W, b \sim U(-1/\sqrt{\mathrm{in}}, 1/\sqrt{\mathrm{in}}) \f$.
class Linear : public Module {
public:
    Linear(int64_t in_features, int64_t out_features, Generator& gen);
    Linear(const LinearOptions& options, Generator& gen);
    Linear(Linear&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Linear"; }
    std::string extra_repr() const override;

    int64_t in_features() const { return in_; }
    int64_t out_features() const { return out_; }

    Variable weight;  ///< [out_features, in_features]
    Variable bias;    ///< [out_features], undefined when constructed with bias = false

private:
    int64_t in_, out_;
};

/// Flattens dimensions start_dim..end into one: [N, C, L] -> [N, C*L] for
/// start_dim = 1 (torch.nn.Flatten's default).
class Flatten : public Module {
public:
    explicit Flatten(int64_t start_dim = 1) : start_dim_(start_dim) {}
    Flatten(Flatten&&) = default;
    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "Flatten"; }
    std::string extra_repr() const override { return "start_dim=" + std::to_string(start_dim_); }

private:
    int64_t start_dim_;
};

}  // namespace iotgrad::nn
