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
        parallel_for(u.n, 12, [=](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float gi = coupled ? g[i] + lambda * w[i] : g[i];
                m[i] += one_minus_b1 * (gi - m[i]);  // m_t = beta1 m + (1 - beta1) g, as PyTorch's lerp_
                v[i] = b2 * v[i] + one_minus_b2 * gi * gi;             // v_t = beta2 v + (1 - beta2) g^2
                const float denom = std::sqrt(v[i]) / bc2_sqrt + eps;  // sqrt(v_hat) + eps
                w[i] = w[i] * shrink - step_size * (m[i] / denom);     // w - alpha m_hat / (sqrt(v_hat) + eps)
            }
        });
    }
}

AdamW::AdamW(std::vector<Variable> params, double lr, double beta1, double beta2, double eps, double weight_decay)
    : Adam(std::move(params), lr, beta1, beta2, eps, weight_decay, true, "AdamW") {}

}  // namespace iotgrad::optim
