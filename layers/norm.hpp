/// \file
/// Normalization layers, composed from differentiable ops (mean, sub, sqrt,
/// div), so their backward comes from the chain rule with no new op.
#pragma once
#include <cstdint>
#include <string>

#include "layers/module.hpp"

namespace iotgrad::nn {

/// Batch normalization (Ioffe & Szegedy, 2015) over [N, C] or [N, C, L], per channel c:
/// \f[ \hat x = \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}, \qquad y = \gamma_c \hat x + \beta_c \f]
/// In training, \f$\mu_c\f$ and \f$\sigma_c^2\f$ are the batch mean and the biased
/// batch variance over the m = N (or N L) values of channel c, and the running
/// statistics move towards the batch's:
/// \f$ \hat\mu \leftarrow (1 - \mathrm{momentum})\hat\mu + \mathrm{momentum}\,\mu_c \f$,
/// \f$ \hat\sigma^2 \leftarrow (1 - \mathrm{momentum})\hat\sigma^2 + \mathrm{momentum}\,\frac{m}{m-1}\sigma_c^2 \f$
/// (unbiased, as PyTorch). In evaluation the running statistics are used instead.
/// Parameter and buffer names match torch.nn.BatchNorm1d's state_dict.
class BatchNorm1d : public Module {
public:
    explicit BatchNorm1d(int64_t num_features, float eps = 1e-5f, float momentum = 0.1f);
    BatchNorm1d(BatchNorm1d&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "BatchNorm1d"; }
    std::string extra_repr() const override;

    Variable weight;            ///< \f$\gamma\f$ [C], initialized to 1
    Variable bias;              ///< \f$\beta\f$ [C], initialized to 0
    Tensor running_mean;        ///< [C], starts at 0
    Tensor running_var;         ///< [C], starts at 1
    Tensor num_batches_tracked; ///< rank 0: training steps seen (saved as int64, as PyTorch)

    const int64_t num_features;
    const float eps, momentum;
};

/// Layer normalization (Ba et al., 2016) over the trailing dims given by
/// normalized_shape, per sample:
/// \f[ y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} \odot \gamma + \beta \f]
/// with \f$\mu, \sigma^2\f$ the mean and biased variance over those dims. The
/// same in training and evaluation (no running statistics).
class LayerNorm : public Module {
public:
    explicit LayerNorm(Shape normalized_shape, float eps = 1e-5f);
    LayerNorm(LayerNorm&&) = default;

    Variable forward(const Variable& x) override;
    std::string type_name() const override { return "LayerNorm"; }
    std::string extra_repr() const override;

    Variable weight;  ///< \f$\gamma\f$ of normalized_shape, initialized to 1
    Variable bias;    ///< \f$\beta\f$ of normalized_shape, initialized to 0

    const Shape normalized_shape;
    const float eps;
};

}  // namespace iotgrad::nn
