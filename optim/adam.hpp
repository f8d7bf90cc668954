/// \file
/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), computed the
/// way torch.optim.Adam / AdamW compute them.
#pragma once
#include <vector>

#include "optim/optimizer.hpp"

namespace iotgrad::optim {

/// Adam: D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization",
/// ICLR 2015, Algorithm 1. For each parameter, with \f$t\f$ its own step count
/// (starting at 1) and \f$g_t = \nabla L(w_{t-1})\f$ (+ \f$\lambda w_{t-1}\f$ when
/// weight_decay \f$\lambda > 0\f$: L2 regularisation, coupled to the moments):
/// \f[ m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
///     v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \f]
/// \f[ \hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t} \f]
/// \f[ w_t = w_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} \f]
/// with \f$m_0 = v_0 = 0\f$. As in PyTorch, \f$\epsilon\f$ is added after the
/// square root of the bias-corrected \f$\hat v_t\f$ (the paper's Algorithm 1;
/// its "efficient version" in section 2 puts \f$\hat\epsilon\f$ elsewhere and
/// gives slightly different numbers).
///
/// Because \f$|\hat m_1| / \sqrt{\hat v_1} = 1\f$, the first step moves every
/// coordinate by almost exactly \f$\alpha\f$ against the sign of its gradient.
///
/// State (see OptimizerState): `"exp_avg.<i>"` = \f$m\f$, `"exp_avg_sq.<i>"` =
/// \f$v\f$, `"step.<i>"` = \f$t\f$.
class Adam : public Optimizer {
public:
    /// Throws std::invalid_argument for lr < 0, eps < 0, a beta outside [0, 1),
    /// or weight_decay < 0.
    Adam(std::vector<Variable> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
         double weight_decay = 0.0);

    void step() override;

    double beta1() const { return beta1_; }
    double beta2() const { return beta2_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }

protected:
    /// For AdamW: decoupled = true applies weight decay to the weights, not the gradient.
    Adam(std::vector<Variable> params, double lr, double beta1, double beta2, double eps, double weight_decay,
         bool decoupled, const char* kind);

private:
    double beta1_, beta2_, eps_, weight_decay_;
    bool decoupled_;
    std::size_t m_slot_, v_slot_;
};

/// AdamW: I. Loshchilov and F. Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019. Weight decay shrinks the weights directly,
/// before (and independently of) the Adam step on the raw gradient:
/// \f[ w \leftarrow w - \alpha \lambda w, \qquad
///     w_t = w - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} \f]
/// (as torch.optim.AdamW: `param.mul_(1 - lr * weight_decay)`), so the
/// moments never see \f$\lambda w\f$ and the decay is not rescaled by
/// \f$1/\sqrt{\hat v}\f$. PyTorch's default \f$\lambda = 10^{-2}\f$.
class AdamW : public Adam {
public:
    AdamW(std::vector<Variable> params, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
          double weight_decay = 1e-2);
};

}  // namespace iotgrad::optim
