#include "layers/state.hpp"

#include <map>
#include <set>

#include "tensor/safetensors.hpp"

namespace iotgrad::nn {

namespace {

/// Every parameter and buffer with its key, in PyTorch's state_dict order:
/// own parameters, own buffers, then each child's (recursively). Module lists
/// its own entries before its children's, so the own ones are the first
/// (total - children's) of each list.
void collect(Module& m, const std::string& prefix, std::vector<std::pair<std::string, Tensor*>>& out,
             std::set<std::string>* integer_keys = nullptr) {
    const auto params = m.named_parameters();
    const auto buffers = m.named_buffers();
    const auto kids = m.children();
    std::size_t child_params = 0, child_buffers = 0;
    for (const auto& [name, child] : kids) {
        child_params += child->named_parameters().size();
        child_buffers += child->named_buffers().size();
    }
    for (std::size_t i = 0; i + child_params < params.size(); ++i) {
        Variable v = params[i].second;  // shares the parameter's state: value() is the parameter's own tensor
        out.emplace_back(prefix + params[i].first, &v.value());
    }
    for (std::size_t i = 0; i + child_buffers < buffers.size(); ++i) {
        if (!buffers[i].second->defined()) continue;
        out.emplace_back(prefix + buffers[i].first, buffers[i].second);
        if (integer_keys && m.is_integer_buffer(buffers[i].first)) integer_keys->insert(prefix + buffers[i].first);
    }
    for (const auto& [name, child] : kids) collect(*child, prefix + name + ".", out, integer_keys);
}

std::vector<std::pair<std::string, Tensor*>> targets(const Module& m) {
    std::vector<std::pair<std::string, Tensor*>> out;
    // Module::named_buffers is not const; listing them changes nothing.
    collect(const_cast<Module&>(m), "", out);
    return out;
}

std::string quoted_list(const std::vector<std::string>& keys) {
    std::string s;
    for (std::size_t i = 0; i < keys.size(); ++i) s += (i ? ", \"" : "\"") + keys[i] + "\"";
    return s;
}

/// Missing and unexpected keys, and every problem that always stops a load.
struct Check {
    LoadResult keys;
    std::vector<std::string> errors;
};

Check check(const Module& m, const NamedTensors& state) {
    Check c;
    std::map<std::string, const Tensor*> given;
    for (const auto& [name, t] : state) {
        if (!given.emplace(name, &t).second) c.errors.push_back("key \"" + name + "\" appears more than once in the state");
        if (!t.defined()) c.errors.push_back("\"" + name + "\" is an undefined tensor in the state");
    }
    std::set<std::string> wanted;
    for (const auto& [name, target] : targets(m)) {
        wanted.insert(name);
        const auto it = given.find(name);
        if (it == given.end()) {
            c.keys.missing_keys.push_back(name);
        } else if (it->second->defined() && it->second->shape() != target->shape()) {
            c.errors.push_back("size mismatch for \"" + name + "\": " + shape_str(it->second->shape()) +
                               " in the state, " + shape_str(target->shape()) + " in the model");
        }
    }
    for (const auto& [name, t] : state)
        if (!wanted.count(name)) c.keys.unexpected_keys.push_back(name);
    return c;
}

}  // namespace

NamedTensors state_dict(const Module& m) {
    NamedTensors out;
    for (const auto& [name, t] : targets(m)) out.emplace_back(name, *t);
    return out;
}

std::vector<std::string> state_dict_problems(const Module& m, const NamedTensors& state, bool strict) {
    Check c = check(m, state);
    std::vector<std::string> problems;
    if (strict && !c.keys.missing_keys.empty()) problems.push_back("missing key(s): " + quoted_list(c.keys.missing_keys));
    if (strict && !c.keys.unexpected_keys.empty())
        problems.push_back("unexpected key(s): " + quoted_list(c.keys.unexpected_keys));
    problems.insert(problems.end(), c.errors.begin(), c.errors.end());
    return problems;
}

LoadResult load_state_dict(Module& m, const NamedTensors& state, bool strict) {
    const std::vector<std::string> problems = state_dict_problems(m, state, strict);
    if (!problems.empty()) {
        std::string msg = "load_state_dict: cannot load into " + m.type_name() + " (nothing was changed):";
        for (const std::string& p : problems) msg += "\n  " + p;
        throw StateDictError(msg);
    }
    std::map<std::string, const Tensor*> given;
    for (const auto& [name, t] : state) given.emplace(name, &t);
    // Every shape was checked above, so no copy below can throw half-way.
    for (const auto& [name, target] : targets(m)) {
        const auto it = given.find(name);
        if (it != given.end()) target->copy_(*it->second);
    }
    return check(m, state).keys;
}

void save_safetensors(const Module& m, const std::string& path) {
    tensor::Safetensors file;
    file.tensors = state_dict(m);
    file.metadata = {{"format", "pt"}};
    // Integer buffers as PyTorch stores them (int64), everything else float32.
    std::vector<std::pair<std::string, Tensor*>> all;
    std::set<std::string> integer_keys;
    collect(const_cast<Module&>(m), "", all, &integer_keys);
    for (const std::string& key : integer_keys) file.dtypes[key] = tensor::Dtype::I64;
    tensor::write_safetensors(path, file);
}

LoadResult load_safetensors(Module& m, const std::string& path, bool strict) {
    return load_state_dict(m, tensor::read_safetensors(path).tensors, strict);
}

}  // namespace iotgrad::nn
