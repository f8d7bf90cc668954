#include "optim/clip.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "optim/optimizer.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::optim {

namespace {
/// The gradient of p as a contiguous tensor we may write in place (a copy
/// replaces a non-contiguous one), or an undefined tensor when p has none.
Tensor& writable_grad(const Variable& p) {
    Variable v = p;  // shares state: grad() of the copy is the parameter's gradient
    Tensor& g = v.grad();
    if (g.defined() && !g.is_contiguous()) g = g.contiguous();
    return g;
}
}  // namespace

double clip_grad_norm(const std::vector<Variable>& params, double max_norm, double norm_type) {
    require_arg(std::isfinite(max_norm) && max_norm >= 0.0, "clip_grad_norm", "max_norm", "finite and >= 0", max_norm);
    require_arg(norm_type > 0.0, "clip_grad_norm", "norm_type", "> 0 (or infinity)", norm_type);
    const bool inf = std::isinf(norm_type);
    double acc = 0.0;  // sum |g|^p, or max |g| for the infinity norm
    for (const Variable& p : params) {
        if (!p.defined()) continue;
        const Tensor& g = writable_grad(p);
        if (!g.defined()) continue;
        const float* x = g.data();
        for (int64_t i = 0, n = g.numel(); i < n; ++i) {
            const double a = std::fabs(static_cast<double>(x[i]));
            if (inf) {
                acc = std::isnan(a) ? a : std::max(acc, a);
            } else {
                acc += norm_type == 2.0 ? a * a : std::pow(a, norm_type);
            }
        }
    }
    const double total = inf ? acc : (norm_type == 2.0 ? std::sqrt(acc) : std::pow(acc, 1.0 / norm_type));
    const double c = max_norm / (total + 1e-6);
    if (!(c < 1.0) || !std::isfinite(total)) return total;
    const float scale = static_cast<float>(c);
    for (const Variable& p : params) {
        if (!p.defined()) continue;
        Tensor& g = writable_grad(p);
        if (!g.defined()) continue;
        float* x = g.data();
        parallel_for(g.numel(), 1, [=](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) x[i] *= scale;
        });
    }
    return total;
}

void clip_grad_value(const std::vector<Variable>& params, double clip) {
    require_arg(std::isfinite(clip) && clip >= 0.0, "clip_grad_value", "clip", "finite and >= 0", clip);
    const float hi = static_cast<float>(clip), lo = -hi;
    for (const Variable& p : params) {
        if (!p.defined()) continue;
        Tensor& g = writable_grad(p);
        if (!g.defined()) continue;
        float* x = g.data();
        parallel_for(g.numel(), 1, [=](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) x[i] = std::min(std::max(x[i], lo), hi);
        });
    }
}

}  // namespace iotgrad::optim
