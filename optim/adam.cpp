#include "optim/adam.hpp"

#include <algorithm>
#include <cmath>

#include "tensor/parallel.hpp"

namespace iotgrad::optim {

namespace {
std::vector<ParamGroup> one_group(std::vector<Variable> params) { return {ParamGroup{std::move(params), {}, {}}}; }
}  // namespace

Adam::Adam(std::vector<Variable> params, double lr) : Adam(std::move(params), AdamOptions(lr)) {}

Adam::Adam(std::vector<Variable> params, const AdamOptions& options)
    : Adam(one_group(std::move(params)), options, 0.0, false, "Adam") {}

Adam::Adam(std::vector<ParamGroup> groups, const AdamOptions& options)
    : Adam(std::move(groups), options, 0.0, false, "Adam") {}

Adam::Adam(std::vector<ParamGroup> groups, const AdamOptions& options, double default_decay, bool decoupled,
           const char* kind)
    : Optimizer(std::move(groups), options.lr(), options.weight_decay().value_or(default_decay), kind),
      beta1_(options.betas().first),
      beta2_(options.betas().second),
      eps_(options.eps()),
      weight_decay_(options.weight_decay().value_or(default_decay)),
      amsgrad_(options.amsgrad()),
      decoupled_(decoupled),
      m_slot_(add_buffer("exp_avg")),
      v_slot_(add_buffer("exp_avg_sq")),
      vmax_slot_(add_buffer("max_exp_avg_sq")) {
    require_arg(beta1_ >= 0.0 && beta1_ < 1.0, kind, "beta1", "in [0, 1)", beta1_);
    require_arg(beta2_ >= 0.0 && beta2_ < 1.0, kind, "beta2", "in [0, 1)", beta2_);
    require_arg(std::isfinite(eps_) && eps_ >= 0.0, kind, "eps", "finite and >= 0", eps_);
}

namespace {
/// The per-step constants of one parameter's update.
struct AdamCoeffs {
    float one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, step_size, shrink, lambda;
};

/// The whole Adam update of n elements in one pass over w, g, m and v. The
/// pointers never alias (parameter, gradient and two state buffers), which
/// `__restrict` tells the compiler so the loop vectorizes (with sqrt as one
/// vector instruction: the library is built with -fno-math-errno). Coupled
/// (L2) weight decay adds lambda w to the gradient.
template <bool kCoupled>
void adam_update(float* __restrict w, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t n,
                 const AdamCoeffs c) {
    for (int64_t i = 0; i < n; ++i) {
        const float gi = kCoupled ? g[i] + c.lambda * w[i] : g[i];
        const float mi = m[i] + c.one_minus_b1 * (gi - m[i]);  // m_t = beta1 m + (1 - beta1) g, as PyTorch's lerp_
        const float vi = c.b2 * v[i] + c.one_minus_b2 * gi * gi;  // v_t = beta2 v + (1 - beta2) g^2
        m[i] = mi;
        v[i] = vi;
        const float denom = std::sqrt(vi) / c.bc2_sqrt + c.eps;  // sqrt(v_hat) + eps
        w[i] = w[i] * c.shrink - c.step_size * (mi / denom);     // w - alpha m_hat / (sqrt(v_hat) + eps)
    }
}

/// The same with AMSGrad: the denominator uses vmax = max(vmax, v_t), bias-corrected after the max.
template <bool kCoupled>
void amsgrad_update(float* __restrict w, const float* __restrict g, float* __restrict m, float* __restrict v,
                    float* __restrict vmax, int64_t n, const AdamCoeffs c) {
    for (int64_t i = 0; i < n; ++i) {
        const float gi = kCoupled ? g[i] + c.lambda * w[i] : g[i];
        const float mi = m[i] + c.one_minus_b1 * (gi - m[i]);     // m_t
        const float vi = c.b2 * v[i] + c.one_minus_b2 * gi * gi;  // v_t
        m[i] = mi;
        v[i] = vi;
        vmax[i] = std::max(vmax[i], vi);                              // v_max_t = max(v_max_{t-1}, v_t)
        const float denom = std::sqrt(vmax[i]) / c.bc2_sqrt + c.eps;  // sqrt(v_max / (1 - beta2^t)) + eps
        w[i] = w[i] * c.shrink - c.step_size * (mi / denom);
    }
}
}  // namespace

void Adam::step() {
    const float b2 = static_cast<float>(beta2_), eps = static_cast<float>(eps_);
    const float one_minus_b1 = static_cast<float>(1.0 - beta1_), one_minus_b2 = static_cast<float>(1.0 - beta2_);
    for (const Update& u : begin_step()) {
        // This parameter's group's learning rate and weight decay.
        const double lr = lr_of(u.index), weight_decay = weight_decay_of(u.index);
        const bool coupled = !decoupled_ && weight_decay != 0.0;
        const float lambda = static_cast<float>(weight_decay);
        // AdamW: w <- w (1 - alpha lambda), folded into the same loop.
        const float shrink = static_cast<float>(decoupled_ ? 1.0 - lr * weight_decay : 1.0);
        const double t = static_cast<double>(step_count(u.index));
        // Bias corrections in double, like PyTorch's Python floats:
        // step_size = alpha / (1 - beta1^t), and sqrt(1 - beta2^t) divides sqrt(v_t).
        const float step_size = static_cast<float>(lr / (1.0 - std::pow(beta1_, t)));
        const float bc2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(beta2_, t)));
        float* w = u.w;
        const float* g = u.g;
        float* m = buffer(m_slot_, u.index);
        float* v = buffer(v_slot_, u.index);
        const AdamCoeffs c{one_minus_b1, b2, one_minus_b2, bc2_sqrt, eps, step_size, shrink, lambda};
        if (amsgrad_) {
            float* vmax = buffer(vmax_slot_, u.index);
            parallel_for(u.n, 14, [=](int64_t begin, int64_t end) {
                if (coupled)
                    amsgrad_update<true>(w + begin, g + begin, m + begin, v + begin, vmax + begin, end - begin, c);
                else
                    amsgrad_update<false>(w + begin, g + begin, m + begin, v + begin, vmax + begin, end - begin, c);
            });
            continue;
        }
        parallel_for(u.n, 12, [=](int64_t begin, int64_t end) {
            if (coupled)
                adam_update<true>(w + begin, g + begin, m + begin, v + begin, end - begin, c);
            else
                adam_update<false>(w + begin, g + begin, m + begin, v + begin, end - begin, c);
        });
    }
}

AdamW::AdamW(std::vector<Variable> params, double lr) : AdamW(std::move(params), AdamOptions(lr)) {}

AdamW::AdamW(std::vector<Variable> params, const AdamOptions& options)
    : Adam(one_group(std::move(params)), options, 1e-2, true, "AdamW") {}

AdamW::AdamW(std::vector<ParamGroup> groups, const AdamOptions& options)
    : Adam(std::move(groups), options, 1e-2, true, "AdamW") {}

}  // namespace iotgrad::optim
