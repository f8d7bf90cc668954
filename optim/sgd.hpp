/// \file
/// Stochastic gradient descent: the paper's equation (1), plus PyTorch's
/// momentum, Nesterov momentum and L2 weight decay.
///
/// Taught in \ref tutorial_02_autograd and \ref tutorial_03_gradient_descent.
#pragma once
#include <vector>

#include "optim/optimizer.hpp"

namespace iotgrad::optim {

/// Gradient descent, the paper's equation (1) (section III):
/// \f[ w_{t+1} = w_t - \alpha \nabla L(w_t) \f]
/// with \f$\alpha\f$ the learning rate. With the default arguments step() is
/// exactly this, elementwise over every parameter.
///
/// The options follow torch.optim.SGD exactly, with \f$g_t = \nabla L(w_t)\f$:
/// - weight decay \f$\lambda\f$ (L2): \f$g_t \leftarrow g_t + \lambda w_t\f$;
/// - momentum \f$\mu > 0\f$ with dampening \f$\tau\f$: a buffer
///   \f$b_1 = g_1\f$ on the first step, then
///   \f$b_t = \mu b_{t-1} + (1 - \tau) g_t\f$; the step direction is
///   \f$d_t = b_t\f$, or with Nesterov \f$d_t = g_t + \mu b_t\f$;
/// - update \f$w_{t+1} = w_t - \alpha d_t\f$.
///
/// The momentum buffer is exported as `"momentum_buffer.<i>"` (see OptimizerState).
class SGD : public Optimizer {
public:
    /// Throws std::invalid_argument for lr < 0, momentum < 0, weight_decay < 0,
    /// a non-finite dampening, or nesterov without momentum > 0 and dampening = 0.
    SGD(std::vector<Variable> params, double lr, double momentum = 0.0, double dampening = 0.0,
        double weight_decay = 0.0, bool nesterov = false);
    /// Parameter groups, each with its own learning rate and weight decay
    /// (unset: lr and weight_decay here); momentum etc. are shared.
    SGD(std::vector<ParamGroup> groups, double lr, double momentum = 0.0, double dampening = 0.0,
        double weight_decay = 0.0, bool nesterov = false);

    void step() override;

    double momentum() const { return momentum_; }
    double dampening() const { return dampening_; }
    /// The default weight decay (group_weight_decay(k) is group k's).
    double weight_decay() const { return weight_decay_; }
    bool nesterov() const { return nesterov_; }

private:
    double momentum_, dampening_, weight_decay_;
    bool nesterov_;
    std::size_t momentum_slot_;
};

}  // namespace iotgrad::optim
