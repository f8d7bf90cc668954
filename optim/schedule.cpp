#include "optim/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace iotgrad::optim {

void LRSchedule::step() {
    ++t_;
    apply();
}

StepLR::StepLR(Optimizer& opt, int64_t step_size, double gamma) : LRSchedule(opt), step_size_(step_size), gamma_(gamma) {
    require_arg(step_size >= 1, "StepLR", "step_size", ">= 1", static_cast<double>(step_size));
    require_arg(std::isfinite(gamma) && gamma >= 0.0, "StepLR", "gamma", "finite and >= 0", gamma);
    apply();
}

double StepLR::lr_at(int64_t t, double base) const {
    return base * std::pow(gamma_, static_cast<double>(t / step_size_));  // integer division: floor(t / step_size)
}

ExponentialLR::ExponentialLR(Optimizer& opt, double gamma) : LRSchedule(opt), gamma_(gamma) {
    require_arg(std::isfinite(gamma) && gamma >= 0.0, "ExponentialLR", "gamma", "finite and >= 0", gamma);
    apply();
}

double ExponentialLR::lr_at(int64_t t, double base) const { return base * std::pow(gamma_, static_cast<double>(t)); }

CosineAnnealingLR::CosineAnnealingLR(Optimizer& opt, int64_t T_max, double eta_min)
    : LRSchedule(opt), T_max_(T_max), eta_min_(eta_min) {
    require_arg(T_max >= 1, "CosineAnnealingLR", "T_max", ">= 1", static_cast<double>(T_max));
    require_arg(std::isfinite(eta_min) && eta_min >= 0.0, "CosineAnnealingLR", "eta_min", "finite and >= 0", eta_min);
    apply();
}

double CosineAnnealingLR::lr_at(int64_t t, double base) const {
    const double pi = std::acos(-1.0);
    return eta_min_ + (base - eta_min_) * (1.0 + std::cos(pi * static_cast<double>(t) / static_cast<double>(T_max_))) / 2.0;
}

namespace {
std::vector<double> base_of(Optimizer& opt, const std::unique_ptr<LRSchedule>& then) {
    if (then) return then->base_lrs();
    std::vector<double> base;
    for (std::size_t k = 0; k < opt.num_groups(); ++k) base.push_back(opt.group_lr(k));
    return base;
}
}  // namespace

LinearWarmup::LinearWarmup(Optimizer& opt, int64_t warmup_steps, double start_factor, std::unique_ptr<LRSchedule> then)
    : LRSchedule(opt, base_of(opt, then)), warmup_steps_(warmup_steps), start_factor_(start_factor), then_(std::move(then)) {
    require_arg(warmup_steps >= 1, "LinearWarmup", "warmup_steps", ">= 1", static_cast<double>(warmup_steps));
    require_arg(start_factor > 0.0 && start_factor <= 1.0, "LinearWarmup", "start_factor", "in (0, 1]", start_factor);
    apply();
}

double LinearWarmup::lr_at(int64_t t, double base) const {
    if (then_ && t >= warmup_steps_) return then_->lr_at(t - warmup_steps_, base);
    const double progress = static_cast<double>(std::min(t, warmup_steps_)) / static_cast<double>(warmup_steps_);
    return base * (start_factor_ + (1.0 - start_factor_) * progress);
}

}  // namespace iotgrad::optim
