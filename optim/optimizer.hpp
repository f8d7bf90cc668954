/// \file
/// The optimizer base class: a list of parameters (leaf Variables), a learning
/// rate, per-parameter buffers (momentum, Adam's moments) and step counts, and
/// a plain state export/import for checkpoints.
///
/// Optimizers know nothing of modules: they take `std::vector<Variable>`, so
/// anything that can list its parameters can be trained.
///
/// Every step() updates each parameter in ONE fused loop over its contiguous
/// memory (value, gradient and buffers read through raw pointers, updated in
/// place): no tensor is allocated per parameter per step. Writing raw memory
/// records no graph, so step() needs no NoGradGuard.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::optim {

/// Everything an optimizer accumulates while training, as plain data, so a
/// checkpoint can save it and a fresh optimizer over the same parameters can
/// continue exactly where the first left off.
///
/// Naming: per-parameter entries are `"<buffer>.<i>"` where i is the
/// parameter's position in the list given to the constructor, e.g.
/// `"exp_avg.0"`, `"exp_avg_sq.0"` (Adam's \f$m\f$ and \f$v\f$),
/// `"momentum_buffer.2"` (SGD), and scalars `"step.<i>"` (updates applied to
/// parameter i, Adam's \f$t\f$) and `"lr"` (the current learning rate, which a
/// schedule may have changed; with parameter groups, group 0's, and
/// `"group_lr.<k>"` for every group k). A parameter that was never updated has no
/// entries, exactly as in PyTorch's lazily created state.
///
/// Other hyper-parameters (betas, momentum, ...) are constructor arguments and
/// are not part of the state: build the new optimizer with the same ones.
struct OptimizerState {
    /// Which optimizer wrote it ("SGD", "Adam", "AdamW", "RMSprop"); load_state checks it.
    std::string kind;
    std::vector<std::pair<std::string, Tensor>> tensors;
    std::vector<std::pair<std::string, double>> scalars;

    /// The tensor named `name`, or nullptr.
    const Tensor* find_tensor(const std::string& name) const;
    /// The scalar named `name`, or nullptr.
    const double* find_scalar(const std::string& name) const;
};

/// A group of parameters with its own learning rate and weight decay, as
/// PyTorch's `[{"params": ..., "lr": ...}, ...]`: an unset value takes the
/// optimizer's default (the constructor's lr / weight_decay).
/// \code
/// optim::SGD opt({{encoder.parameters(), 1e-3}, {head.parameters(), 1e-2, 1e-4}}, /*lr=*/1e-2);
/// \endcode
struct ParamGroup {
    std::vector<Variable> params;        ///< this group's parameters
    std::optional<double> lr;            ///< its learning rate; unset: the optimizer's
    std::optional<double> weight_decay;  ///< its weight decay; unset: the optimizer's
};

/// Base of every optimizer. Parameters whose gradient is undefined (never
/// reached by backward, or cleared by zero_grad) are skipped by step(), like
/// PyTorch: their values, buffers and step counts stay as they are.
class Optimizer {
public:
    /// Throws std::invalid_argument for an empty list, an undefined or non-leaf
    /// variable, a parameter listed twice, or a negative learning rate.
    Optimizer(std::vector<Variable> params, double lr, std::string kind);
    /// Parameter groups (see ParamGroup); unset lr / weight_decay take these
    /// defaults. Parameters are numbered across the groups in order (group 0's
    /// first), which is the `<i>` of the state names. Throws as above, and for
    /// an empty group or a negative weight decay.
    Optimizer(std::vector<ParamGroup> groups, double lr, double weight_decay, std::string kind);
    virtual ~Optimizer() = default;
    // Schedules keep a pointer to their optimizer: it must not move.
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    /// Resets every parameter's gradient to undefined (backward writes a fresh one).
    void zero_grad();
    /// One update of every parameter that has a gradient.
    virtual void step() = 0;

    /// The learning rate of group 0 (the only one unless constructed with groups).
    double lr() const { return groups_[0].lr; }
    /// Sets every group's learning rate. Throws std::invalid_argument when lr is negative or not finite.
    void set_lr(double lr);
    /// Number of parameter groups (1 unless constructed with groups).
    std::size_t num_groups() const { return groups_.size(); }
    /// Learning rate of group k (schedules set each group from its own base rate).
    double group_lr(std::size_t k) const;
    /// Sets group k's learning rate (throws like set_lr, and for k out of range).
    void set_group_lr(std::size_t k, double lr);
    /// Weight decay of group k.
    double group_weight_decay(std::size_t k) const;
    /// The group that parameter i belongs to.
    std::size_t group_of(std::size_t i) const { return group_of_.at(i); }
    const std::vector<Variable>& params() const { return params_; }
    const std::string& kind() const { return kind_; }
    /// Updates applied so far to parameter i (0 if it never had a gradient).
    int64_t step_count(std::size_t i) const;

    /// A deep copy of the current state (later steps do not change it).
    OptimizerState state() const;
    /// Replaces the state with a copy of `s` (written by an optimizer of the
    /// same kind over parameters of the same shapes). Throws
    /// std::invalid_argument for another kind, an unknown name or an index out
    /// of range, ShapeError for a buffer whose shape differs from its parameter's.
    void load_state(const OptimizerState& s);

protected:
    /// One parameter to update this step: n floats at w (value) and g (gradient).
    struct Update {
        std::size_t index;
        float* w;
        const float* g;
        int64_t n;
    };

    /// Validates every parameter that has a gradient (contiguous value,
    /// gradient of the same shape), counts one step for each, and returns
    /// them. Validation happens before anything is written, so a bad
    /// parameter throws without leaving the others half-updated.
    std::vector<Update> begin_step();

    /// Registers a per-parameter buffer (exported as `"<name>.<i>"`); returns its slot.
    std::size_t add_buffer(std::string name);
    /// Buffer `slot` of parameter i, created zero-filled with the parameter's
    /// shape on first use; `created` (if given) tells whether it was just made.
    float* buffer(std::size_t slot, std::size_t i, bool* created = nullptr);

    /// A validation message prefix, e.g. "SGD: ".
    std::string where() const { return kind_ + ": "; }
    /// Learning rate and weight decay of the group of parameter i.
    double lr_of(std::size_t i) const { return groups_[group_of_[i]].lr; }
    double weight_decay_of(std::size_t i) const { return groups_[group_of_[i]].weight_decay; }

private:
    /// One group's hyper-parameters, resolved.
    struct GroupSettings {
        double lr, weight_decay;
    };
    std::vector<Variable> params_;
    std::vector<GroupSettings> groups_;
    std::vector<std::size_t> group_of_;  ///< per parameter
    std::string kind_;
    std::vector<std::string> buffer_names_;
    std::vector<std::vector<Tensor>> buffers_;  ///< [slot][parameter]; undefined until first use
    std::vector<int64_t> steps_;                ///< per parameter
    /// Contiguous copies of non-contiguous gradients, kept alive for one step.
    std::vector<Tensor> grad_copies_;
};

/// Throws std::invalid_argument("<who>: <what> must be <rule>, got <value>") unless ok.
void require_arg(bool ok, const std::string& who, const char* what, const char* rule, double value);

}  // namespace iotgrad::optim
