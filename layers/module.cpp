#include "layers/module.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "tensor/tensor.hpp"

namespace iotgrad::nn {

Module::Module(Module&& other) noexcept
    : params_(std::move(other.params_)),
      buffers_(std::move(other.buffers_)),
      integer_buffers_(std::move(other.integer_buffers_)),
      children_(std::move(other.children_)),
      training_(other.training_) {}

Variable Module::forward(const Variable&) {
    throw std::logic_error(type_name() + ": this module does not take a single input; call its own forward");
}

std::ptrdiff_t Module::offset_of(const void* member, const std::string& what, const std::string& name) const {
    // A member lives inside the object, after the Module base. The bound is
    // generous; an address outside it means something that is not a member.
    const std::ptrdiff_t off = static_cast<std::ptrdiff_t>(reinterpret_cast<uintptr_t>(member) -
                                                           reinterpret_cast<uintptr_t>(this));
    if (off <= 0 || off > (1 << 20))
        throw std::invalid_argument(what + " '" + name + "' must be a member of the registering module " +
                                    "(for modules you create dynamically, use add_module)");
    for (const auto& p : params_)
        if (p.first == name) throw std::invalid_argument(what + ": name '" + name + "' is already registered");
    for (const auto& b : buffers_)
        if (b.first == name) throw std::invalid_argument(what + ": name '" + name + "' is already registered");
    for (const auto& c : children_)
        if (c.name == name) throw std::invalid_argument(what + ": name '" + name + "' is already registered");
    return off;
}

void Module::register_parameter(const std::string& name, Variable& member) {
    const std::ptrdiff_t off = offset_of(&member, "register_parameter", name);
    if (!member.defined()) throw std::invalid_argument("register_parameter: '" + name + "' is undefined");
    member.set_requires_grad(true);
    params_.emplace_back(name, off);
}

void Module::register_buffer(const std::string& name, Tensor& member, bool integer) {
    buffers_.emplace_back(name, offset_of(&member, "register_buffer", name));
    if (integer) integer_buffers_.push_back(name);
}

bool Module::is_integer_buffer(const std::string& name) const {
    for (const std::string& b : integer_buffers_)
        if (b == name) return true;
    return false;
}

void Module::register_module(const std::string& name, Module& member) {
    children_.push_back({name, offset_of(&member, "register_module", name), nullptr});
}

Module& Module::add_module(const std::string& name, std::unique_ptr<Module> module) {
    if (!module) throw std::invalid_argument("add_module: '" + name + "' is null");
    for (const auto& c : children_)
        if (c.name == name) throw std::invalid_argument("add_module: name '" + name + "' is already registered");
    Module& ref = *module;
    children_.push_back({name, 0, std::move(module)});
    return ref;
}

Module* Module::child_at(size_t i) const {
    const Child& c = children_[i];
    return c.owned ? c.owned.get() : &member_at<Module>(c.offset);
}

std::vector<std::pair<std::string, Module*>> Module::children() {
    std::vector<std::pair<std::string, Module*>> out;
    for (size_t i = 0; i < children_.size(); ++i) out.emplace_back(children_[i].name, child_at(i));
    return out;
}

std::vector<std::pair<std::string, const Module*>> Module::children() const {
    std::vector<std::pair<std::string, const Module*>> out;
    for (size_t i = 0; i < children_.size(); ++i) out.emplace_back(children_[i].name, child_at(i));
    return out;
}

std::vector<std::pair<std::string, Variable>> Module::named_parameters() const {
    std::vector<std::pair<std::string, Variable>> out;
    for (const auto& [name, off] : params_) out.emplace_back(name, member_at<Variable>(off));
    for (const auto& [cname, child] : children())
        for (auto& [pname, v] : child->named_parameters()) out.emplace_back(cname + "." + pname, v);
    return out;
}

std::vector<Variable> Module::parameters() const {
    std::vector<Variable> out;
    for (auto& [name, v] : named_parameters()) out.push_back(v);
    return out;
}

std::vector<std::pair<std::string, Tensor*>> Module::named_buffers() {
    std::vector<std::pair<std::string, Tensor*>> out;
    for (const auto& [name, off] : buffers_) out.emplace_back(name, &member_at<Tensor>(off));
    for (const auto& [cname, child] : children())
        for (auto& [bname, t] : child->named_buffers()) out.emplace_back(cname + "." + bname, t);
    return out;
}

std::vector<std::pair<std::string, const Tensor*>> Module::named_buffers() const {
    std::vector<std::pair<std::string, const Tensor*>> out;
    for (const auto& [name, off] : buffers_) out.emplace_back(name, &member_at<const Tensor>(off));
    for (const auto& [cname, child] : children())
        for (auto& [bname, t] : child->named_buffers()) out.emplace_back(cname + "." + bname, t);
    return out;
}

int64_t Module::num_parameters() const {
    int64_t n = 0;
    for (const Variable& p : parameters()) n += p.numel();
    return n;
}

void Module::zero_grad() {
    for (Variable& p : parameters()) p.zero_grad();
}

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children()) child->train(on);
}

// ---- Sequential ---------------------------------------------------------------------

Module& Sequential::push_back(std::unique_ptr<Module> module) {
    return add_module(std::to_string(children().size()), std::move(module));
}

Variable Sequential::forward(const Variable& x) {
    Variable h = x;
    for (auto& [name, child] : children()) h = child->forward(h);
    return h;
}

const Module& Sequential::operator[](size_t i) const {
    const size_t n = size();
    if (i >= n)
        throw std::out_of_range("Sequential: index " + std::to_string(i) + " out of range for " + std::to_string(n) +
                                " modules");
    return *children()[i].second;
}

Module& Sequential::operator[](size_t i) {
    return const_cast<Module&>(static_cast<const Sequential&>(*this)[i]);  // the module is ours to change
}

// ---- printing ------------------------------------------------------------------------

namespace {
void print_tree(std::ostream& os, const Module& m, const std::string& name, int depth) {
    int64_t own = 0;
    for (const auto& [pname, p] : m.named_parameters())
        if (pname.find('.') == std::string::npos) own += p.numel();
    os << std::string(2 * depth, ' ') << (name.empty() ? "" : "(" + name + "): ") << m.type_name() << "("
       << m.extra_repr() << ")";
    if (own) os << "  params=" << own;
    os << '\n';
    for (const auto& [cname, child] : m.children()) print_tree(os, *child, cname, depth + 1);
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Module& m) {
    print_tree(os, m, "", 0);
    return os << "total parameters: " << m.num_parameters() << '\n';
}

std::string summary(Module& model, const Shape& input_shape) {
    NoGradGuard no_grad;
    const bool was_training = model.is_training();
    model.eval();
    std::ostringstream os;
    os << std::left << std::setw(28) << "layer" << std::setw(22) << "output shape" << std::right << std::setw(12)
       << "params" << '\n';
    Variable h(Tensor::zeros(input_shape));
    os << std::left << std::setw(28) << "input" << std::setw(22) << shape_str(input_shape) << '\n';
    auto kids = model.children();
    if (kids.empty()) kids.emplace_back(model.type_name(), &model);
    for (auto& [name, child] : kids) {
        h = child->forward(h);
        os << std::left << std::setw(28) << (name + " " + child->type_name()) << std::setw(22) << shape_str(h.shape())
           << std::right << std::setw(12) << child->num_parameters() << '\n';
    }
    os << "total parameters: " << model.num_parameters() << " (" << model.num_parameters() * 4 << " bytes as float32)\n";
    model.train(was_training);
    return os.str();
}

}  // namespace iotgrad::nn
