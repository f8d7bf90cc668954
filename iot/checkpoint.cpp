#include "iot/checkpoint.hpp"

#include <stdexcept>

#include "layers/state.hpp"
#include "tensor/archive.hpp"

namespace iotgrad::iot {

namespace {
const std::string kModel = "model.";
const std::string kOptim = "optim.";
const std::string kKind = "optim.kind";

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
}  // namespace

void save_checkpoint(const std::string& path, const nn::Module& model, const optim::Optimizer* optimizer) {
    tensor::Archive a;
    for (auto& [name, t] : nn::state_dict(model)) a.tensors.emplace_back(kModel + name, t);
    if (optimizer) {
        const optim::OptimizerState s = optimizer->state();
        a.strings.emplace_back(kKind, s.kind);
        for (const auto& [name, t] : s.tensors) a.tensors.emplace_back(kOptim + name, t);
        for (const auto& [name, v] : s.scalars) a.scalars.emplace_back(kOptim + name, v);
    }
    tensor::write_archive(path, a);
}

void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer* optimizer) {
    const tensor::Archive a = tensor::read_archive(path);  // validates the whole file first

    nn::NamedTensors model_state;
    optim::OptimizerState opt_state;
    for (const auto& [name, t] : a.tensors) {
        if (starts_with(name, kModel))
            model_state.emplace_back(name.substr(kModel.size()), t);
        else if (starts_with(name, kOptim))
            opt_state.tensors.emplace_back(name.substr(kOptim.size()), t);
        else
            throw std::invalid_argument(path + ": unexpected entry '" + name + "' (keys start with model. or optim.)");
    }
    for (const auto& [name, v] : a.scalars) {
        if (!starts_with(name, kOptim)) throw std::invalid_argument(path + ": unexpected scalar '" + name + "'");
        opt_state.scalars.emplace_back(name.substr(kOptim.size()), v);
    }

    const std::vector<std::string> problems = nn::state_dict_problems(model, model_state, /*strict*/ true);
    if (!problems.empty()) {
        std::string msg = path + ": the checkpoint does not fit the model " + model.type_name() + " (nothing was changed):";
        for (const std::string& p : problems) msg += "\n  " + p;
        throw nn::StateDictError(msg);
    }
    if (optimizer) {
        const std::string* kind = a.find_string(kKind);
        if (!kind) throw std::invalid_argument(path + ": the checkpoint has no optimizer state (saved without one)");
        opt_state.kind = *kind;
        optimizer->load_state(opt_state);  // all-or-nothing; throws before changing anything
    }
    nn::load_state_dict(model, model_state, /*strict*/ true);  // validated above: cannot fail now
}

}  // namespace iotgrad::iot
