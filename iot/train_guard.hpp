/// \file
/// Stops training the moment the loss stops being a number. A NaN or an
/// infinity in the loss poisons every parameter at the next optimizer step, and
/// training then "continues" for hours on garbage; LossWatcher turns it into
/// an exception that names the step and the last finite loss, which is where
/// debugging starts (learning rate too high? a log of 0? bad input data?).
///
/// \code
/// iot::LossWatcher watch;
/// for (...) {
///     Variable loss = ...;
///     watch(loss.item());   // throws NonFiniteLoss on NaN / inf
///     loss.backward();
///     opt.step();
/// }
/// \endcode
#pragma once
#include <cstdint>
#include <stdexcept>

namespace iotgrad::iot {

/// Thrown by LossWatcher. The message reads, e.g., `loss is NaN at step 37
/// (last finite loss: 0.4213 at step 36)`.
class NonFiniteLoss : public std::runtime_error {
public:
    NonFiniteLoss(int64_t step, double loss, bool has_last, double last_finite, int64_t last_step);
    /// The step at which the loss became NaN or infinite (1-based count of observations, or as given).
    int64_t step() const { return step_; }
    /// The offending value (NaN, +inf or -inf).
    double loss() const { return loss_; }
    /// Whether any finite loss was seen before, and which.
    bool has_last_finite() const { return has_last_; }
    double last_finite_loss() const { return last_; }

private:
    int64_t step_;
    double loss_;
    bool has_last_;
    double last_;
};

/// Watches the loss of every step; throws NonFiniteLoss when it is NaN or infinite.
class LossWatcher {
public:
    /// Counts a step (steps are numbered 1, 2, ...) and checks its loss.
    void operator()(double loss) { observe(step_ + 1, loss); }
    /// Checks the loss of an explicitly numbered step (e.g. the global step
    /// across epochs); later calls without a number continue from it.
    void observe(int64_t step, double loss);

    /// The last step observed (0 before the first).
    int64_t step() const { return step_; }
    /// The last finite loss and its step (has_finite() false before the first).
    bool has_finite() const { return has_finite_; }
    double last_finite_loss() const { return last_finite_; }
    int64_t last_finite_step() const { return last_finite_step_; }

private:
    int64_t step_ = 0;
    bool has_finite_ = false;
    double last_finite_ = 0;
    int64_t last_finite_step_ = 0;
};

}  // namespace iotgrad::iot
