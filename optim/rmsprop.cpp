#include "optim/rmsprop.hpp"

#include <cmath>

#include "tensor/parallel.hpp"

namespace iotgrad::optim {

RMSprop::RMSprop(std::vector<Variable> params, double lr, double alpha, double eps, double weight_decay,
                 double momentum, bool centered)
    : RMSprop(std::vector<ParamGroup>{ParamGroup{std::move(params), lr, weight_decay}}, lr, alpha, eps, weight_decay,
              momentum, centered) {}

RMSprop::RMSprop(std::vector<ParamGroup> groups, double lr, double alpha, double eps, double weight_decay,
                 double momentum, bool centered)
    : Optimizer(std::move(groups), lr, weight_decay, "RMSprop"),
      alpha_(alpha),
      eps_(eps),
      weight_decay_(weight_decay),
      momentum_(momentum),
      centered_(centered),
      square_slot_(add_buffer("square_avg")),
      grad_avg_slot_(add_buffer("grad_avg")),
      momentum_slot_(add_buffer("momentum_buffer")) {
    require_arg(alpha >= 0.0 && alpha <= 1.0, kind(), "alpha", "in [0, 1]", alpha);
    require_arg(std::isfinite(eps) && eps >= 0.0, kind(), "eps", "finite and >= 0", eps);
    require_arg(std::isfinite(weight_decay) && weight_decay >= 0.0, kind(), "weight_decay", "finite and >= 0",
                weight_decay);
    require_arg(std::isfinite(momentum) && momentum >= 0.0, kind(), "momentum", "finite and >= 0", momentum);
}

void RMSprop::step() {
    const float a = static_cast<float>(alpha_);
    const float one_minus_a = static_cast<float>(1.0 - alpha_), eps = static_cast<float>(eps_);
    const float mu = static_cast<float>(momentum_);
    const bool centered = centered_, use_momentum = momentum_ > 0.0;
    for (const Update& u : begin_step()) {
        // This parameter's group's learning rate and weight decay.
        const float eta = static_cast<float>(lr_of(u.index)), lambda = static_cast<float>(weight_decay_of(u.index));
        const bool decay = weight_decay_of(u.index) != 0.0;
        float* w = u.w;
        const float* g = u.g;
        float* s = buffer(square_slot_, u.index);
        float* gbar = centered ? buffer(grad_avg_slot_, u.index) : nullptr;
        float* b = use_momentum ? buffer(momentum_slot_, u.index) : nullptr;
        parallel_for(u.n, 12, [=](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float gi = decay ? g[i] + lambda * w[i] : g[i];
                s[i] = a * s[i] + one_minus_a * gi * gi;  // s_t = alpha s + (1 - alpha) g^2
                float r;
                if (centered) {
                    gbar[i] += one_minus_a * (gi - gbar[i]);           // g_bar = alpha g_bar + (1 - alpha) g (lerp_)
                    r = std::sqrt(s[i] - gbar[i] * gbar[i]) + eps;     // sqrt(s - g_bar^2) + eps
                } else {
                    r = std::sqrt(s[i]) + eps;                         // sqrt(s) + eps
                }
                if (use_momentum) {
                    b[i] = mu * b[i] + gi / r;  // b_t = mu b + g / r
                    w[i] = w[i] - eta * b[i];
                } else {
                    w[i] = w[i] - eta * (gi / r);
                }
            }
        });
    }
}

}  // namespace iotgrad::optim
