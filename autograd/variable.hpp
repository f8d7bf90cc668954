/// \file
/// Variable: a Tensor with a history. Ops on Variables record a graph of Nodes
/// as they run (a dynamic graph, like PyTorch's); backward() walks it in
/// reverse topological order and accumulates \f$\partial L/\partial x\f$ into
/// every leaf that requires a gradient.
///
/// Taught in \ref tutorial_02_autograd.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "autograd/op_table.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad {

struct Node;
struct VariableImpl;

/// Gradients for each input of a node, in input order; an undefined Tensor
/// means "no gradient for this input".
using Grads = std::vector<Tensor>;
/// A node's backward: given \f$\partial L/\partial y\f$ for its output and which
/// inputs need a gradient, returns \f$\partial L/\partial x_i\f$ for each input.
using BackwardFn = std::function<Grads(const Tensor& grad_out, const std::vector<bool>& needs)>;


/// A differentiable value. Copies share the same value, gradient and history.
class Variable {
public:
    /// An undefined variable (defined() is false).
    Variable() = default;
    /// A leaf: a value with no history. requires_grad marks it as a parameter
    /// whose gradient backward() should fill in.
    explicit Variable(Tensor value, bool requires_grad = false);

    bool defined() const { return impl_ != nullptr; }
    const Tensor& value() const;
    /// The value, writable: optimizers update parameters through this.
    Tensor& value();
    /// The accumulated gradient; undefined until a backward pass reaches this variable.
    const Tensor& grad() const;
    Tensor& grad();
    bool requires_grad() const;
    void set_requires_grad(bool on);
    /// Resets the gradient to undefined (the next backward writes a fresh one).
    void zero_grad();
    /// Keep the gradient of this non-leaf variable during backward (for
    /// inspection, e.g. gradient norms through time in tutorial 07).
    void retain_grad();
    /// True for variables made by the user rather than by an op.
    bool is_leaf() const;
    /// The node that produced this variable (null for leaves).
    const std::shared_ptr<Node>& grad_fn() const;

    const Shape& shape() const { return value().shape(); }
    int64_t dim() const { return value().dim(); }
    int64_t size(int64_t d) const { return value().size(d); }
    int64_t numel() const { return value().numel(); }
    float item() const { return value().item(); }

    /// Backward from a one-element variable, seeded with dL/dL = 1. Const, like
    /// PyTorch's: a Variable is a handle, and backward changes the gradients of
    /// the variables it reaches, not this handle.
    void backward(bool retain_graph = false) const;
    /// Backward from any variable, seeded with the given upstream gradient
    /// (same shape as the value): computes the vector-Jacobian product.
    void backward(const Tensor& upstream, bool retain_graph = false) const;
    /// The same value without history: gradients stop here.
    Variable detach() const;

    /// A name shown by to_dot and in messages (optional).
    Variable& set_name(std::string name);
    const std::string& name() const;

    /// Identity of the shared state (for graph walks and tests).
    const VariableImpl* id() const { return impl_.get(); }

private:
    friend Variable make_result(Op, Tensor, std::vector<Variable>, BackwardFn);
    friend struct Node;
    friend class Engine;
    std::shared_ptr<VariableImpl> impl_;
};

/// One recorded op: its inputs and how to send a gradient back to them.
struct Node {
    Op op;
    std::vector<Variable> inputs;
    BackwardFn backward;
    Shape out_shape;
    /// The output variable, weakly: a strong link would make a cycle.
    std::weak_ptr<VariableImpl> output;
    /// Optional detail for to_dot (e.g. "axes=[1]").
    std::string detail;
    /// Frees a long chain of nodes without recursion (a 10,000-step RNN graph
    /// would otherwise overflow the stack in nested destructors).
    ~Node();
};

/// Records the result of an op. When no input requires a gradient, or
/// gradients are off (NoGradGuard), returns a plain leaf and records nothing.
Variable make_result(Op op, Tensor value, std::vector<Variable> inputs, BackwardFn backward);

/// Gradient recording for this thread, on by default. Thread-local (not
/// global) so that inference on one thread never disables training on another.
bool grad_enabled();

/// Turns gradient recording off for its lifetime (inference, parameter updates).
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

}  // namespace iotgrad
