#include "optim/optimizer.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace iotgrad::optim {

void require_arg(bool ok, const std::string& who, const char* what, const char* rule, double value) {
    if (ok) return;
    std::ostringstream msg;
    msg << who << ": " << what << " must be " << rule << ", got " << value;
    throw std::invalid_argument(msg.str());
}

const Tensor* OptimizerState::find_tensor(const std::string& name) const {
    for (const auto& [n, t] : tensors)
        if (n == name) return &t;
    return nullptr;
}

const double* OptimizerState::find_scalar(const std::string& name) const {
    for (const auto& [n, v] : scalars)
        if (n == name) return &v;
    return nullptr;
}

Optimizer::Optimizer(std::vector<Variable> params, double lr, std::string kind)
    : Optimizer(std::vector<ParamGroup>{ParamGroup{std::move(params), lr, 0.0}}, lr, 0.0, std::move(kind)) {}

Optimizer::Optimizer(std::vector<ParamGroup> groups, double lr, double weight_decay, std::string kind)
    : kind_(std::move(kind)) {
    if (groups.empty()) throw std::invalid_argument(where() + "got no parameter groups");
    for (std::size_t k = 0; k < groups.size(); ++k) {
        ParamGroup& group = groups[k];
        if (group.params.empty() && groups.size() > 1)
            throw std::invalid_argument(where() + "parameter group " + std::to_string(k) + " is empty");
        const double group_lr = group.lr.value_or(lr), wd = group.weight_decay.value_or(weight_decay);
        require_arg(std::isfinite(group_lr) && group_lr >= 0.0, kind_, "learning rate", "finite and >= 0", group_lr);
        require_arg(std::isfinite(wd) && wd >= 0.0, kind_, "weight_decay", "finite and >= 0", wd);
        groups_.push_back({group_lr, wd});
        for (Variable& p : group.params) {
            params_.push_back(std::move(p));
            group_of_.push_back(k);
        }
    }
    steps_.assign(params_.size(), 0);
    if (params_.empty()) throw std::invalid_argument(where() + "got an empty parameter list");
    std::unordered_set<const VariableImpl*> seen;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const Variable& p = params_[i];
        const std::string which = "parameter " + std::to_string(i);
        if (!p.defined()) throw std::invalid_argument(where() + which + " is an undefined variable");
        if (!p.is_leaf())
            throw std::invalid_argument(where() + which + " is not a leaf (the result of an op); optimize leaves only");
        if (!seen.insert(p.id()).second) throw std::invalid_argument(where() + which + " appears more than once");
    }
}

void Optimizer::zero_grad() {
    for (Variable& p : params_) p.zero_grad();
}

void Optimizer::set_lr(double lr) {
    require_arg(std::isfinite(lr) && lr >= 0.0, kind_, "learning rate", "finite and >= 0", lr);
    for (GroupSettings& g : groups_) g.lr = lr;
}

namespace {
void check_group(std::size_t k, std::size_t n, const std::string& who) {
    if (k >= n)
        throw std::invalid_argument(who + "parameter group " + std::to_string(k) + " out of range (" +
                                    std::to_string(n) + " groups)");
}
}  // namespace

double Optimizer::group_lr(std::size_t k) const {
    check_group(k, groups_.size(), where());
    return groups_[k].lr;
}

void Optimizer::set_group_lr(std::size_t k, double lr) {
    check_group(k, groups_.size(), where());
    require_arg(std::isfinite(lr) && lr >= 0.0, kind_, "learning rate", "finite and >= 0", lr);
    groups_[k].lr = lr;
}

double Optimizer::group_weight_decay(std::size_t k) const {
    check_group(k, groups_.size(), where());
    return groups_[k].weight_decay;
}

int64_t Optimizer::step_count(std::size_t i) const {
    if (i >= steps_.size())
        throw std::invalid_argument(where() + "step_count: parameter " + std::to_string(i) + " out of range (" +
                                    std::to_string(steps_.size()) + " parameters)");
    return steps_[i];
}

std::vector<Optimizer::Update> Optimizer::begin_step() {
    grad_copies_.clear();
    std::vector<Update> out;
    out.reserve(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
        Variable& p = params_[i];
        const Tensor& g = p.grad();
        if (!g.defined()) continue;
        Tensor& w = p.value();
        const std::string which = "parameter " + std::to_string(i);
        if (!w.is_contiguous())
            throw std::invalid_argument(where() + which + " has a non-contiguous value (shape " + shape_str(w.shape()) +
                                        "); parameters must own contiguous memory");
        if (g.shape() != w.shape())
            throw ShapeError(where() + which + " has value shape " + shape_str(w.shape()) + " but gradient shape " +
                             shape_str(g.shape()));
        const float* gp = g.data();
        if (!g.is_contiguous()) {  // the engine's leaf gradients are contiguous; a hand-set one may not be
            grad_copies_.push_back(g.contiguous());
            gp = grad_copies_.back().data();
        }
        out.push_back({i, w.data(), gp, w.numel()});
    }
    for (const Update& u : out) ++steps_[u.index];
    return out;
}

std::size_t Optimizer::add_buffer(std::string name) {
    buffer_names_.push_back(std::move(name));
    buffers_.emplace_back(params_.size());
    return buffers_.size() - 1;
}

float* Optimizer::buffer(std::size_t slot, std::size_t i, bool* created) {
    Tensor& b = buffers_[slot][i];
    if (created) *created = !b.defined();
    if (!b.defined()) b = Tensor::zeros(params_[i].shape());
    return b.data();
}

OptimizerState Optimizer::state() const {
    OptimizerState s;
    s.kind = kind_;
    s.scalars.emplace_back("lr", groups_[0].lr);
    if (groups_.size() > 1)
        for (std::size_t k = 0; k < groups_.size(); ++k)
            s.scalars.emplace_back("group_lr." + std::to_string(k), groups_[k].lr);
    for (std::size_t i = 0; i < params_.size(); ++i)
        if (steps_[i] > 0) s.scalars.emplace_back("step." + std::to_string(i), static_cast<double>(steps_[i]));
    for (std::size_t k = 0; k < buffers_.size(); ++k)
        for (std::size_t i = 0; i < params_.size(); ++i)
            if (buffers_[k][i].defined())
                s.tensors.emplace_back(buffer_names_[k] + "." + std::to_string(i), buffers_[k][i].clone());
    return s;
}

namespace {
/// Splits "exp_avg.3" into ("exp_avg", 3); throws for anything else.
std::pair<std::string, std::size_t> split_name(const std::string& name, std::size_t n_params, const std::string& who) {
    const std::size_t dot = name.rfind('.');
    std::size_t index = 0, used = 0;
    bool ok = dot != std::string::npos && dot + 1 < name.size();
    if (ok) {
        try {
            index = std::stoul(name.substr(dot + 1), &used);
        } catch (const std::exception&) {
            ok = false;
        }
        ok = ok && used == name.size() - dot - 1;
    }
    if (!ok) throw std::invalid_argument(who + "load_state: '" + name + "' is not of the form <name>.<index>");
    if (index >= n_params)
        throw std::invalid_argument(who + "load_state: '" + name + "' refers to parameter " + std::to_string(index) +
                                    " but there are " + std::to_string(n_params));
    return {name.substr(0, dot), index};
}
}  // namespace

void Optimizer::load_state(const OptimizerState& s) {
    if (s.kind != kind_)
        throw std::invalid_argument(where() + "load_state: the state was written by '" + s.kind + "'");
    // Check everything first and fill copies, so a bad state leaves this optimizer as it was.
    std::vector<std::vector<Tensor>> buffers(buffers_.size(), std::vector<Tensor>(params_.size()));
    std::vector<int64_t> steps(params_.size(), 0);
    std::vector<GroupSettings> groups = groups_;
    for (const auto& [name, value] : s.scalars) {
        if (name == "lr") {
            require_arg(std::isfinite(value) && value >= 0.0, kind_, "learning rate in the state", "finite and >= 0", value);
            for (GroupSettings& g : groups) g.lr = value;
            continue;
        }
        auto [base, i] = split_name(name, params_.size(), where());
        if (base == "group_lr") {
            check_group(i, groups.size(), where() + "load_state: ");
            require_arg(std::isfinite(value) && value >= 0.0, kind_, name.c_str(), "finite and >= 0", value);
            groups[i].lr = value;
            continue;
        }
        if (base != "step") throw std::invalid_argument(where() + "load_state: unknown scalar '" + name + "'");
        require_arg(value >= 0.0 && value == std::floor(value), kind_, name.c_str(), "a whole number >= 0", value);
        steps[i] = static_cast<int64_t>(value);
    }
    for (const auto& [name, t] : s.tensors) {
        auto [base, i] = split_name(name, params_.size(), where());
        std::size_t k = 0;
        while (k < buffer_names_.size() && buffer_names_[k] != base) ++k;
        if (k == buffer_names_.size()) throw std::invalid_argument(where() + "load_state: unknown buffer '" + name + "'");
        if (!t.defined() || t.shape() != params_[i].shape())
            throw ShapeError(where() + "load_state: buffer '" + name + "' has shape " +
                             (t.defined() ? shape_str(t.shape()) : std::string("(undefined)")) + " but parameter " +
                             std::to_string(i) + " has shape " + shape_str(params_[i].shape()));
        buffers[k][i] = t.clone();
    }
    buffers_ = std::move(buffers);
    steps_ = std::move(steps);
    groups_ = std::move(groups);
}

}  // namespace iotgrad::optim
