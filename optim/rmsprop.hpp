/// \file
/// RMSprop (Hinton, Srivastava & Swersky, Neural Networks for Machine
/// Learning, lecture 6e), computed the way torch.optim.RMSprop computes it.
#pragma once
#include <vector>

#include "optim/optimizer.hpp"

namespace iotgrad::optim {

/// RMSprop: divide the gradient by a running root-mean-square of recent
/// gradients. With \f$g_t = \nabla L(w_{t-1})\f$ (+ \f$\lambda w_{t-1}\f$ for
/// weight_decay \f$\lambda\f$) and \f$s_0 = 0\f$:
/// \f[ s_t = \alpha s_{t-1} + (1 - \alpha) g_t^2 \f]
/// centered (an estimate of the variance instead of the second moment),
/// with \f$\bar g_0 = 0\f$:
/// \f[ \bar g_t = \alpha \bar g_{t-1} + (1 - \alpha) g_t, \qquad
///     r_t = \sqrt{s_t - \bar g_t^2} + \epsilon, \f]
/// otherwise \f$r_t = \sqrt{s_t} + \epsilon\f$. Then, without momentum,
/// \f$w_t = w_{t-1} - \eta\, g_t / r_t\f$; with momentum \f$\mu > 0\f$
/// (\f$b_0 = 0\f$): \f$b_t = \mu b_{t-1} + g_t / r_t\f$, \f$w_t = w_{t-1} - \eta b_t\f$.
///
/// \f$\eta\f$ is the learning rate; the smoothing constant \f$\alpha\f$ is
/// PyTorch's `alpha` (0.99), not a learning rate.
///
/// State: `"square_avg.<i>"` = \f$s\f$, `"grad_avg.<i>"` = \f$\bar g\f$
/// (centered only), `"momentum_buffer.<i>"` = \f$b\f$ (momentum only), `"step.<i>"`.
class RMSprop : public Optimizer {
public:
    /// Throws std::invalid_argument for lr < 0, alpha outside [0, 1], eps < 0,
    /// momentum < 0 or weight_decay < 0.
    RMSprop(std::vector<Variable> params, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0.0, double momentum = 0.0, bool centered = false);
    /// Parameter groups, each with its own learning rate and weight decay
    /// (unset: lr and weight_decay here).
    RMSprop(std::vector<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0.0, double momentum = 0.0, bool centered = false);

    void step() override;

    double alpha() const { return alpha_; }
    double eps() const { return eps_; }
    /// The default weight decay (group_weight_decay(k) is group k's).
    double weight_decay() const { return weight_decay_; }
    double momentum() const { return momentum_; }
    bool centered() const { return centered_; }

private:
    double alpha_, eps_, weight_decay_, momentum_;
    bool centered_;
    std::size_t square_slot_, grad_avg_slot_, momentum_slot_;
};

}  // namespace iotgrad::optim
