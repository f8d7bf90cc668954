#include "iot/fed/params.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "layers/state.hpp"

namespace iotgrad::iot::fed {

int64_t flat_size(const nn::Module& model) {
    int64_t n = 0;
    for (const auto& [name, t] : nn::state_dict(model)) n += t.numel();
    return n;
}

std::vector<float> get_flat(const nn::Module& model) {
    std::vector<float> flat;
    flat.reserve(static_cast<size_t>(flat_size(model)));
    for (const auto& [name, t] : nn::state_dict(model)) {
        const Tensor c = t.contiguous();
        flat.insert(flat.end(), c.data(), c.data() + c.numel());
    }
    return flat;
}

void set_flat(nn::Module& model, const std::vector<float>& flat) {
    const int64_t n = flat_size(model);
    if (static_cast<int64_t>(flat.size()) != n)
        throw std::invalid_argument("fed::set_flat: the vector has " + std::to_string(flat.size()) +
                                    " values, the model's state has " + std::to_string(n));
    size_t at = 0;
    for (auto& [name, t] : nn::state_dict(model)) {
        const int64_t k = t.numel();
        if (t.is_contiguous()) {
            std::memcpy(t.data(), flat.data() + at, static_cast<size_t>(k) * sizeof(float));
        } else {
            t.copy_(Tensor::from(t.shape(), std::vector<float>(flat.begin() + at, flat.begin() + at + k)));
        }
        at += static_cast<size_t>(k);
    }
}

void require_same_layout(const nn::Module& a, const nn::Module& b, const char* who) {
    const auto problems = nn::state_dict_problems(b, nn::state_dict(a), true);
    if (!problems.empty()) {
        std::string msg = std::string(who) + ": make_model() builds a model that does not match the global model: ";
        for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
        throw std::invalid_argument(msg);
    }
}

double l2_norm(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

}  // namespace iotgrad::iot::fed
