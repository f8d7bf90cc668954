#include "autograd/variable.hpp"

#include <stdexcept>
#include <unordered_map>

#include "tensor/elementwise.hpp"

namespace iotgrad {

/// The state a Variable's copies share.
struct VariableImpl {
    Tensor value;
    Tensor grad;
    bool requires_grad = false;
    bool retains_grad = false;
    std::shared_ptr<Node> grad_fn;
    std::string name;
};

namespace {
thread_local bool t_grad_enabled = true;

const std::shared_ptr<Node>& null_node() {
    static const std::shared_ptr<Node> none;
    return none;
}

void require(const std::shared_ptr<VariableImpl>& impl, const char* what) {
    if (!impl) throw std::invalid_argument(std::string(what) + ": the variable is undefined (default-constructed)");
}

/// grad += g without touching g's storage (g may be shared with other gradients).
void accumulate(Tensor& grad, const Tensor& g) {
    grad = grad.defined() ? tensor::add(grad, g) : g.clone();
}
}  // namespace

bool grad_enabled() { return t_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

// ---- Variable ----------------------------------------------------------------------

Variable::Variable(Tensor value, bool requires_grad) : impl_(std::make_shared<VariableImpl>()) {
    if (!value.defined()) throw std::invalid_argument("Variable: the value tensor is undefined");
    impl_->value = std::move(value);
    impl_->requires_grad = requires_grad;
}

const Tensor& Variable::value() const { require(impl_, "value"); return impl_->value; }
Tensor& Variable::value() { require(impl_, "value"); return impl_->value; }
const Tensor& Variable::grad() const { require(impl_, "grad"); return impl_->grad; }
Tensor& Variable::grad() { require(impl_, "grad"); return impl_->grad; }
bool Variable::requires_grad() const { return impl_ && (impl_->requires_grad || impl_->grad_fn); }
void Variable::zero_grad() { require(impl_, "zero_grad"); impl_->grad = Tensor(); }
void Variable::retain_grad() { require(impl_, "retain_grad"); impl_->retains_grad = true; }
bool Variable::is_leaf() const { return !impl_ || !impl_->grad_fn; }
const std::shared_ptr<Node>& Variable::grad_fn() const { return impl_ ? impl_->grad_fn : null_node(); }

void Variable::set_requires_grad(bool on) {
    require(impl_, "set_requires_grad");
    if (impl_->grad_fn && !on)
        throw std::invalid_argument("set_requires_grad: only leaves can be switched off; use detach() on a result");
    impl_->requires_grad = on;
}

Variable& Variable::set_name(std::string name) { require(impl_, "set_name"); impl_->name = std::move(name); return *this; }
const std::string& Variable::name() const { require(impl_, "name"); return impl_->name; }

Variable Variable::detach() const { return Variable(value(), false); }

// ---- graph recording ------------------------------------------------------------------

Variable make_result(Op op, Tensor value, std::vector<Variable> inputs, BackwardFn backward) {
    bool any = false;
    for (const Variable& v : inputs) any = any || v.requires_grad();
    Variable out(std::move(value), false);
    if (!any || !t_grad_enabled) return out;
    auto node = std::make_shared<Node>();
    node->op = op;
    node->inputs = std::move(inputs);
    node->backward = std::move(backward);
    node->out_shape = out.impl_->value.shape();
    node->output = out.impl_;
    out.impl_->grad_fn = std::move(node);
    return out;
}

Node::~Node() {
    // Detach the chain below this node link by link: any input whose node is
    // referenced only from here is taken over and emptied in the loop, so no
    // destructor ever recurses into another.
    std::vector<std::shared_ptr<Node>> stack;
    auto harvest = [&stack](std::vector<Variable>& ins) {
        for (Variable& v : ins) {
            auto& impl = v.impl_;
            if (impl && impl.use_count() == 1 && impl->grad_fn && impl->grad_fn.use_count() == 1)
                stack.push_back(std::move(impl->grad_fn));
        }
        ins.clear();
    };
    harvest(inputs);
    while (!stack.empty()) {
        std::shared_ptr<Node> n = std::move(stack.back());
        stack.pop_back();
        harvest(n->inputs);
        n->backward = nullptr;
    }
}

// ---- backward ------------------------------------------------------------------------

/// Reverse-mode differentiation over the recorded graph.
class Engine {
public:
    static void run(const Variable& root, const Tensor& upstream, bool retain_graph) {
        const auto& rimpl = root.impl_;
        if (upstream.shape() != rimpl->value.shape())
            throw ShapeError("backward: upstream gradient of shape " + shape_str(upstream.shape()) +
                             " does not match the output's shape " + shape_str(rimpl->value.shape()));
        if (!rimpl->grad_fn) {
            if (!rimpl->requires_grad)
                throw std::invalid_argument("backward: the variable does not require a gradient and has no history");
            accumulate(rimpl->grad, upstream);
            return;
        }
        const std::vector<std::shared_ptr<Node>> order = topological_order(rimpl->grad_fn);
        std::unordered_map<const Node*, Tensor> pending;
        pending[order.front().get()] = upstream;
        for (const std::shared_ptr<Node>& node : order) {
            auto it = pending.find(node.get());
            if (it == pending.end()) continue;  // no gradient reached this node
            const Tensor g = std::move(it->second);
            pending.erase(it);
            if (auto out = node->output.lock(); out && out->retains_grad) accumulate(out->grad, g);
            if (!node->backward)
                throw std::logic_error(std::string("backward: the graph through '") + op_name(node->op) +
                                       "' was already freed by an earlier backward(); pass retain_graph=true the first time");
            propagate(*node, g, pending);
            if (!retain_graph) {
                node->backward = nullptr;  // frees the tensors the op saved
                node->inputs.clear();
            }
        }
    }

private:
    /// Nodes ordered so that every node comes before the nodes of its inputs,
    /// found by an explicit-stack depth-first search (no recursion, so a
    /// 10,000-step recurrent graph is fine).
    static std::vector<std::shared_ptr<Node>> topological_order(const std::shared_ptr<Node>& root) {
        std::vector<std::shared_ptr<Node>> post;
        std::unordered_map<const Node*, bool> seen;
        std::vector<std::pair<std::shared_ptr<Node>, size_t>> stack{{root, 0}};
        seen[root.get()] = true;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next < node->inputs.size()) {
                const auto& child = node->inputs[next++].grad_fn();
                if (child && !seen[child.get()]) {
                    seen[child.get()] = true;
                    stack.emplace_back(child, 0);
                }
            } else {
                post.push_back(node);
                stack.pop_back();
            }
        }
        return {post.rbegin(), post.rend()};
    }

    static void propagate(Node& node, const Tensor& g, std::unordered_map<const Node*, Tensor>& pending) {
        std::vector<bool> needs(node.inputs.size());
        for (size_t i = 0; i < needs.size(); ++i) needs[i] = node.inputs[i].requires_grad();
        const Grads grads = node.backward(g, needs);
        if (grads.size() != node.inputs.size())
            throw std::logic_error(std::string("backward of '") + op_name(node.op) + "' returned " +
                                   std::to_string(grads.size()) + " gradients for " +
                                   std::to_string(node.inputs.size()) + " inputs");
        for (size_t i = 0; i < grads.size(); ++i) {
            if (!needs[i] || !grads[i].defined()) continue;
            const Variable& in = node.inputs[i];
            if (grads[i].shape() != in.shape())
                throw std::logic_error(std::string("backward of '") + op_name(node.op) + "': gradient shape " +
                                       shape_str(grads[i].shape()) + " for input " + std::to_string(i) +
                                       " of shape " + shape_str(in.shape()));
            if (in.grad_fn()) {
                Tensor& p = pending[in.grad_fn().get()];
                p = p.defined() ? tensor::add(p, grads[i]) : grads[i];
            } else {
                accumulate(in.impl_->grad, grads[i]);
            }
        }
    }
};

void Variable::backward(bool retain_graph) const {
    require(impl_, "backward");
    if (numel() != 1)
        throw ShapeError("backward: without an upstream gradient the output must have one element, got shape " +
                         shape_str(shape()) + "; call backward(upstream) instead");
    Engine::run(*this, Tensor::ones(shape()), retain_graph);
}

void Variable::backward(const Tensor& upstream, bool retain_graph) const {
    require(impl_, "backward");
    Engine::run(*this, upstream, retain_graph);
}

}  // namespace iotgrad
