#include "optim/sgd.hpp"

#include <cmath>
#include <stdexcept>

#include "tensor/parallel.hpp"

namespace iotgrad::optim {

SGD::SGD(std::vector<Variable> params, double lr, double momentum, double dampening, double weight_decay,
         bool nesterov)
    : SGD(std::vector<ParamGroup>{ParamGroup{std::move(params), lr, weight_decay}}, lr, momentum, dampening,
          weight_decay, nesterov) {}

SGD::SGD(std::vector<ParamGroup> groups, double lr, double momentum, double dampening, double weight_decay,
         bool nesterov)
    : Optimizer(std::move(groups), lr, weight_decay, "SGD"),
      momentum_(momentum),
      dampening_(dampening),
      weight_decay_(weight_decay),
      nesterov_(nesterov),
      momentum_slot_(add_buffer("momentum_buffer")) {
    require_arg(std::isfinite(momentum) && momentum >= 0.0, kind(), "momentum", "finite and >= 0", momentum);
    require_arg(std::isfinite(dampening), kind(), "dampening", "finite", dampening);
    require_arg(std::isfinite(weight_decay) && weight_decay >= 0.0, kind(), "weight_decay", "finite and >= 0",
                weight_decay);
    if (nesterov && (momentum <= 0.0 || dampening != 0.0))
        throw std::invalid_argument(where() + "Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum " +
                                    std::to_string(momentum) + ", dampening " + std::to_string(dampening) + ")");
}

void SGD::step() {
    const float mu = static_cast<float>(momentum_), one_minus_tau = static_cast<float>(1.0 - dampening_);
    const bool nesterov = nesterov_;
    for (const Update& u : begin_step()) {
        // This parameter's group's learning rate and weight decay.
        const double weight_decay = weight_decay_of(u.index);
        const float alpha = static_cast<float>(lr_of(u.index)), lambda = static_cast<float>(weight_decay);
        const bool decay = weight_decay != 0.0;
        float* w = u.w;
        const float* g = u.g;
        if (momentum_ == 0.0 && weight_decay == 0.0) {
            // Equation (1): w_{t+1} = w_t - alpha * grad L(w_t).
            parallel_for(u.n, 2, [=](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i) w[i] = w[i] - alpha * g[i];
            });
            continue;
        }
        if (momentum_ == 0.0) {
            // Equation (1) on the L2-regularised loss: grad = g + lambda w.
            parallel_for(u.n, 3, [=](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i) w[i] = w[i] - alpha * (g[i] + lambda * w[i]);
            });
            continue;
        }
        bool first = false;
        float* b = buffer(momentum_slot_, u.index, &first);
        parallel_for(u.n, 5, [=](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float gi = decay ? g[i] + lambda * w[i] : g[i];
                b[i] = first ? gi : mu * b[i] + one_minus_tau * gi;  // b_1 = g_1; b_t = mu b + (1 - tau) g
                const float d = nesterov ? gi + mu * b[i] : b[i];
                w[i] = w[i] - alpha * d;
            }
        });
    }
}

}  // namespace iotgrad::optim
