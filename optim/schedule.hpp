/// \file
/// Learning-rate schedules: closed-form functions of the step count that
/// write the learning rate into an Optimizer, with PyTorch's formulas
/// (torch.optim.lr_scheduler's closed forms).
///
/// Usage: construct after the optimizer (the current rate becomes the base
/// rate \f$\eta_0\f$; with parameter groups, each group's rate is its own
/// \f$\eta_0\f$, as PyTorch's base_lrs), call step() once per epoch (or per iteration: the caller
/// chooses what a step is) after the optimizer's step(). Like PyTorch, the
/// constructor already sets the rate for step 0.
///
/// Composition: LinearWarmup can wrap another schedule, which then takes over
/// after the warm-up, counting its own steps from 0 (PyTorch's
/// SequentialLR([LinearLR, other], milestones=[warmup_steps])).
#pragma once
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "optim/optimizer.hpp"

namespace iotgrad::optim {

/// Base of every schedule. The optimizer must outlive the schedule.
class LRSchedule {
public:
    virtual ~LRSchedule() = default;
    LRSchedule(const LRSchedule&) = delete;
    LRSchedule& operator=(const LRSchedule&) = delete;

    /// Advances one step and writes the new learning rate into the optimizer.
    void step();
    /// The learning rate of group 0 at the current step.
    double lr() const { return lr_at(t_, base_lrs_[0]); }
    /// Steps taken so far (PyTorch's last_epoch).
    int64_t last_step() const { return t_; }
    /// Group 0's base rate.
    double base_lr() const { return base_lrs_[0]; }
    /// Every parameter group's base rate (PyTorch's base_lrs).
    const std::vector<double>& base_lrs() const { return base_lrs_; }
    /// Closed form: the learning rate after t steps from base rate `base`.
    virtual double lr_at(int64_t t, double base) const = 0;

protected:
    /// Takes each parameter group's current rate as its base rate.
    explicit LRSchedule(Optimizer& opt) : opt_(&opt) {
        for (std::size_t k = 0; k < opt.num_groups(); ++k) base_lrs_.push_back(opt.group_lr(k));
    }
    LRSchedule(Optimizer& opt, std::vector<double> base_lrs) : opt_(&opt), base_lrs_(std::move(base_lrs)) {}
    /// Writes lr_at(t, base_k) into every group k (derived constructors call it last).
    void apply() {
        for (std::size_t k = 0; k < base_lrs_.size(); ++k) opt_->set_group_lr(k, lr_at(t_, base_lrs_[k]));
    }

private:
    Optimizer* opt_;
    std::vector<double> base_lrs_;
    int64_t t_ = 0;
};

/// \f$\eta_t = \eta_0\, \gamma^{\lfloor t / \text{step\_size} \rfloor}\f$.
class StepLR : public LRSchedule {
public:
    /// Throws std::invalid_argument for step_size < 1 or gamma < 0.
    StepLR(Optimizer& opt, int64_t step_size, double gamma = 0.1);
    double lr_at(int64_t t, double base) const override;

private:
    int64_t step_size_;
    double gamma_;
};

/// \f$\eta_t = \eta_0\, \gamma^t\f$.
class ExponentialLR : public LRSchedule {
public:
    /// Throws std::invalid_argument for gamma < 0.
    ExponentialLR(Optimizer& opt, double gamma);
    double lr_at(int64_t t, double base) const override;

private:
    double gamma_;
};

/// Cosine annealing (Loshchilov & Hutter 2017, SGDR, without restarts):
/// \f[ \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
///     \left(1 + \cos\frac{\pi t}{T_{\max}}\right) \f]
/// Past \f$T_{\max}\f$ the closed form keeps following the cosine back up,
/// as PyTorch's does; stop stepping at \f$T_{\max}\f$ to stay at \f$\eta_{\min}\f$.
class CosineAnnealingLR : public LRSchedule {
public:
    /// Throws std::invalid_argument for T_max < 1 or eta_min < 0.
    CosineAnnealingLR(Optimizer& opt, int64_t T_max, double eta_min = 0.0);
    double lr_at(int64_t t, double base) const override;

private:
    int64_t T_max_;
    double eta_min_;
};

/// Linear warm-up (PyTorch's LinearLR with end_factor 1): the factor grows
/// linearly from start_factor to 1 over warmup_steps steps,
/// \f[ \eta_t = \eta_0 \left(f_0 + (1 - f_0) \frac{\min(t, W)}{W}\right), \f]
/// then stays at \f$\eta_0\f$, or, when `then` is given, continues as
/// `then` with its step count restarted: \f$\eta_t = \text{then}(t - W)\f$ for
/// \f$t \ge W\f$, with the same base rate \f$\eta_0\f$.
class LinearWarmup : public LRSchedule {
public:
    /// Throws std::invalid_argument for warmup_steps < 1 or start_factor
    /// outside (0, 1]. `then` must be built over the same optimizer, before
    /// this one (its base rate becomes this one's).
    LinearWarmup(Optimizer& opt, int64_t warmup_steps, double start_factor = 1.0 / 3.0,
                 std::unique_ptr<LRSchedule> then = nullptr);
    double lr_at(int64_t t, double base) const override;

private:
    int64_t warmup_steps_;
    double start_factor_;
    std::unique_ptr<LRSchedule> then_;
};

}  // namespace iotgrad::optim
