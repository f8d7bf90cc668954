#include "optim/adam.hpp"

#include <cmath>

#include "tensor/parallel.hpp"

namespace iotgrad::optim {

Adam::Adam(std::vector<Variable> params, double lr, double beta1, double beta2, double eps, double weight_decay)
    : Adam(std::move(params), lr, beta1, beta2, eps, weight_decay, false, "Adam") {}

Adam::Adam(std::vector<Variable> params, double lr, double beta1, double beta2, double eps, double weight_decay,
           bool decoupled, const char* kind)
    : Optimizer(std::move(params), lr, kind),
      beta1_(beta1),
      beta2_(beta2),
      eps_(eps),
      weight_decay_(weight_decay),
      decoupled_(decoupled),
      m_slot_(add_buffer("exp_avg")),
      v_slot_(add_buffer("exp_avg_sq")) {
    require_arg(beta1 >= 0.0 && beta1 < 1.0, kind, "beta1", "in [0, 1)", beta1);
    require_arg(beta2 >= 0.0 && beta2 < 1.0, kind, "beta2", "in [0, 1)", beta2);
    require_arg(std::isfinite(eps) && eps >= 0.0, kind, "eps", "finite and >= 0", eps);
    require_arg(std::isfinite(weight_decay) && weight_decay >= 0.0, kind, "weight_decay", "finite and >= 0",
                weight_decay);
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
}  // namespace

void Adam::step() {
    const double lr = this->lr();
    const float b2 = static_cast<float>(beta2_), eps = static_cast<float>(eps_);
    const float one_minus_b1 = static_cast<float>(1.0 - beta1_), one_minus_b2 = static_cast<float>(1.0 - beta2_);
    const bool coupled = !decoupled_ && weight_decay_ != 0.0;
    const float lambda = static_cast<float>(weight_decay_);
    // AdamW: w <- w (1 - alpha lambda), folded into the same loop.
    const float shrink = static_cast<float>(decoupled_ ? 1.0 - lr * weight_decay_ : 1.0);
    for (const Update& u : begin_step()) {
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
        parallel_for(u.n, 12, [=](int64_t begin, int64_t end) {
            if (coupled)
                adam_update<true>(w + begin, g + begin, m + begin, v + begin, end - begin, c);
            else
                adam_update<false>(w + begin, g + begin, m + begin, v + begin, end - begin, c);
        });
    }
}

AdamW::AdamW(std::vector<Variable> params, double lr, double beta1, double beta2, double eps, double weight_decay)
    : Adam(std::move(params), lr, beta1, beta2, eps, weight_decay, true, "AdamW") {}

}  // namespace iotgrad::optim
