/// \file
/// Module: the base of every layer and model. Parameters, buffers and
/// submodules are plain members that the constructor registers by name, as in
/// PyTorch; Sequential chains modules it owns.
#pragma once
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/variable.hpp"

namespace iotgrad::nn {

/// Base class of layers and models.
///
/// A derived class keeps its parameters (Variable), buffers (Tensor, e.g.
/// BatchNorm's running mean) and submodules as ordinary members and registers
/// them once in its constructor:
/// \code
/// struct TwoLayer : nn::Module {
///     nn::Linear fc1, fc2;
///     TwoLayer() : fc1(9, 32, gen), fc2(32, 6, gen) {
///         register_module("fc1", fc1);
///         register_module("fc2", fc2);
///     }
///     Variable forward(const Variable& x) override { return fc2(relu(fc1(x))); }
/// };
/// \endcode
/// Registrations record where the member sits inside the object, so a module
/// stays valid when it is moved (into a Sequential, out of a function).
/// Modules are not copyable: a copy would share parameters silently.
class Module {
public:
    Module() = default;
    Module(Module&& other) noexcept;
    Module& operator=(Module&&) = delete;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    virtual ~Module() = default;

    /// The computation of a single-input module. The default throws: modules
    /// with other signatures (LSTM returning states, attention) define their own.
    virtual Variable forward(const Variable& x);
    Variable operator()(const Variable& x) { return forward(x); }

    /// Every parameter, this module's first, then each submodule's, in registration order.
    std::vector<Variable> parameters() const;
    /// Parameters with dotted names: "weight", "fc1.bias", "0.weight" (PyTorch's state_dict keys).
    std::vector<std::pair<std::string, Variable>> named_parameters() const;
    /// Buffers (non-trained state such as running statistics) with dotted names.
    std::vector<std::pair<std::string, Tensor*>> named_buffers();
    /// The same, read-only.
    std::vector<std::pair<std::string, const Tensor*>> named_buffers() const;
    /// True for this module's own buffer `name` registered with integer = true.
    bool is_integer_buffer(const std::string& name) const;
    /// Direct submodules with their names.
    std::vector<std::pair<std::string, Module*>> children();
    /// The same, read-only.
    std::vector<std::pair<std::string, const Module*>> children() const;
    /// Total number of parameter elements.
    int64_t num_parameters() const;

    /// Clears every parameter's gradient.
    void zero_grad();
    /// Training mode (dropout active, batch norm uses batch statistics) or evaluation mode; recursive.
    void train(bool on = true);
    void eval() { train(false); }
    bool is_training() const { return training_; }

    /// Short type name for printing, e.g. "Linear".
    virtual std::string type_name() const { return "Module"; }
    /// Constructor arguments for printing, e.g. "in=9, out=32".
    virtual std::string extra_repr() const { return ""; }

protected:
    /// Registers a member Variable as a parameter (turns on requires_grad).
    void register_parameter(const std::string& name, Variable& member);
    /// Registers a member Tensor as a buffer (saved in checkpoints, not trained).
    /// With integer = true its values are whole numbers that PyTorch keeps as
    /// int64 (BatchNorm's num_batches_tracked): save_safetensors writes it as I64.
    void register_buffer(const std::string& name, Tensor& member, bool integer = false);
    /// Registers a member module as a submodule.
    void register_module(const std::string& name, Module& member);
    /// Adds a submodule owned by this module (used by containers like Sequential).
    Module& add_module(const std::string& name, std::unique_ptr<Module> module);

private:
    template <class T>
    T& member_at(std::ptrdiff_t offset) const {
        return *reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(this) + offset);
    }
    std::ptrdiff_t offset_of(const void* member, const std::string& what, const std::string& name) const;
    /// The submodule registered as children_[i] (owned or a member).
    Module* child_at(size_t i) const;

    struct Child {
        std::string name;
        std::ptrdiff_t offset;           // member submodule: where it sits in *this
        std::unique_ptr<Module> owned;   // owned submodule (offset unused)
    };
    std::vector<std::pair<std::string, std::ptrdiff_t>> params_;
    std::vector<std::pair<std::string, std::ptrdiff_t>> buffers_;
    std::vector<std::string> integer_buffers_;  // own buffers saved as int64
    std::vector<Child> children_;
    bool training_ = true;
};

/// Modules applied one after another: y = m_n(... m_2(m_1(x))).
/// \code
/// nn::Sequential model(nn::Linear(9, 32, gen), nn::ReLU(), nn::Linear(32, 6, gen));
/// \endcode
/// Submodules are named "0", "1", ... like PyTorch's, so parameter names match.
class Sequential : public Module {
public:
    Sequential() = default;
    template <class... M>
    explicit Sequential(M&&... modules) {
        (push_back(std::make_unique<std::decay_t<M>>(std::move(modules))), ...);
    }
    /// Appends a module; returns it.
    Module& push_back(std::unique_ptr<Module> module);
    template <class M>
    M& emplace_back(M&& module) {
        return static_cast<M&>(push_back(std::make_unique<std::decay_t<M>>(std::move(module))));
    }
    Variable forward(const Variable& x) override;
    size_t size() const { return children().size(); }
    Module& operator[](size_t i);
    const Module& operator[](size_t i) const;
    std::string type_name() const override { return "Sequential"; }
};

/// Prints the module tree: one line per module with its parameter count,
/// and the total at the end.
std::ostream& operator<<(std::ostream& os, const Module& m);

/// A table of each top-level submodule's output shape and parameter count for
/// an input of the given shape (runs one forward pass without gradients).
std::string summary(Module& model, const Shape& input_shape);

}  // namespace iotgrad::nn
