/// \file
/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), computed the
/// way torch.optim.Adam / AdamW compute them.
#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "optim/optimizer.hpp"

namespace iotgrad::optim {

/// Adam's \f$(\beta_1, \beta_2)\f$.
using Betas = std::pair<double, double>;

/// Options of Adam and AdamW, as torch::optim::AdamOptions:
/// `optim::AdamOptions(1e-3).betas(0.9, 0.99).weight_decay(1e-4).amsgrad(true)`.
/// Each setter returns the options so calls chain, and the getter of the same
/// name reads the value (the shape of IOTGRAD_OPTION in layers/options.hpp,
/// written out because optim/ does not include layers/).
class AdamOptions {
public:
    /// The learning rate \f$\alpha\f$ (PyTorch's default 1e-3).
    explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}

    /// The learning rate \f$\alpha\f$.
    AdamOptions& lr(double v) { lr_ = v; return *this; }
    double lr() const { return lr_; }  ///< \f$\alpha\f$
    /// Decay rates of the moment estimates \f$(\beta_1, \beta_2)\f$, each in [0, 1).
    AdamOptions& betas(const Betas& v) { betas_ = v; return *this; }
    /// The same as two numbers.
    AdamOptions& betas(double beta1, double beta2) { return betas(Betas{beta1, beta2}); }
    const Betas& betas() const { return betas_; }  ///< \f$(\beta_1, \beta_2)\f$
    /// \f$\epsilon\f$, added to \f$\sqrt{\hat v_t}\f$.
    AdamOptions& eps(double v) { eps_ = v; return *this; }
    double eps() const { return eps_; }  ///< \f$\epsilon\f$
    /// \f$\lambda\f$: L2 for Adam, decoupled for AdamW; unset: 0 for Adam, 1e-2 for AdamW (PyTorch's defaults).
    AdamOptions& weight_decay(double v) { weight_decay_ = v; return *this; }
    const std::optional<double>& weight_decay() const { return weight_decay_; }  ///< \f$\lambda\f$, if set
    /// AMSGrad (Reddi, Kale & Kumar, ICLR 2018): divide by the running maximum
    /// of the second moments, \f$\hat v_t^{\max} = \max(v^{\max}_{t-1}, v_t) / (1 - \beta_2^t)\f$.
    AdamOptions& amsgrad(bool v) { amsgrad_ = v; return *this; }
    bool amsgrad() const { return amsgrad_; }  ///< whether AMSGrad is on

private:
    double lr_;
    Betas betas_{0.9, 0.999};
    double eps_ = 1e-8;
    std::optional<double> weight_decay_;
    bool amsgrad_ = false;
};

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
/// AMSGrad (AdamOptions::amsgrad, S. J. Reddi, S. Kale and S. Kumar, "On the
/// Convergence of Adam and Beyond", ICLR 2018) keeps the elementwise maximum
/// of the raw second moments and bias-corrects that, as torch.optim.Adam 1.13:
/// \f[ v^{\max}_t = \max(v^{\max}_{t-1}, v_t), \qquad
///     w_t = w_{t-1} - \alpha \frac{\hat m_t}{\sqrt{v^{\max}_t / (1 - \beta_2^t)} + \epsilon} \f]
/// (\f$v^{\max}_0 = 0\f$; the max is taken before the bias correction, so the
/// denominator can still shrink as \f$1 - \beta_2^t\f$ grows).
///
/// Because \f$|\hat m_1| / \sqrt{\hat v_1} = 1\f$, the first step moves every
/// coordinate by almost exactly \f$\alpha\f$ against the sign of its gradient.
///
/// State (see OptimizerState): `"exp_avg.<i>"` = \f$m\f$, `"exp_avg_sq.<i>"` =
/// \f$v\f$, `"max_exp_avg_sq.<i>"` = \f$v^{\max}\f$ (amsgrad only), `"step.<i>"` = \f$t\f$.
///
/// Parameter groups (ParamGroup) each have their own \f$\alpha\f$ and \f$\lambda\f$.
class Adam : public Optimizer {
public:
    /// PyTorch's defaults with learning rate lr.
    explicit Adam(std::vector<Variable> params, double lr = 1e-3);
    /// Throws std::invalid_argument for lr < 0, eps < 0, a beta outside [0, 1),
    /// or weight_decay < 0.
    Adam(std::vector<Variable> params, const AdamOptions& options);
    /// Parameter groups with their own lr / weight_decay (unset: the options').
    Adam(std::vector<ParamGroup> groups, const AdamOptions& options);

    void step() override;

    double beta1() const { return beta1_; }
    double beta2() const { return beta2_; }
    double eps() const { return eps_; }
    /// The default weight decay (group_weight_decay(k) is group k's).
    double weight_decay() const { return weight_decay_; }
    bool amsgrad() const { return amsgrad_; }

protected:
    /// For AdamW: decoupled = true applies weight decay to the weights, not the
    /// gradient; default_decay is the weight decay when the options leave it unset.
    Adam(std::vector<ParamGroup> groups, const AdamOptions& options, double default_decay, bool decoupled,
         const char* kind);

private:
    double beta1_, beta2_, eps_, weight_decay_;
    bool amsgrad_, decoupled_;
    std::size_t m_slot_, v_slot_, vmax_slot_;
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
    /// PyTorch's defaults (weight_decay 1e-2) with learning rate lr.
    explicit AdamW(std::vector<Variable> params, double lr = 1e-3);
    /// An unset weight_decay in the options means 1e-2.
    AdamW(std::vector<Variable> params, const AdamOptions& options);
    /// Parameter groups with their own lr / weight_decay (unset: the options').
    AdamW(std::vector<ParamGroup> groups, const AdamOptions& options);
};

}  // namespace iotgrad::optim
