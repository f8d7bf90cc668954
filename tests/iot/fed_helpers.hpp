// Small shared fixtures of the federated tests: Gaussian blobs and a linear model.
#pragma once
#include <memory>
#include <vector>

#include "iot/data.hpp"
#include "layers/layers.hpp"
#include "tensor/random.hpp"
#include "tensor/tensor.hpp"

namespace fedtest {

using namespace iotgrad;

/// n samples of `features` values in `classes` Gaussian blobs (centres +-2 on
/// one axis per class, noise `spread`); labels cycle 0, 1, ..., classes - 1.
inline iot::TensorDataset blobs(int64_t n, int64_t features, int classes, uint64_t seed, float spread = 1.0f) {
    Generator g(seed);
    Tensor X = Tensor::zeros({n, features}), Y = Tensor::zeros({n});
    for (int64_t i = 0; i < n; ++i) {
        const int c = static_cast<int>(i % classes);
        Y.at({i}) = static_cast<float>(c);
        for (int64_t f = 0; f < features; ++f)
            X.at({i, f}) = spread * g.normal() + (f == c % features ? (c < features ? 2.0f : -2.0f) : 0.0f);
    }
    return iot::TensorDataset(X, Y);
}

/// A Linear(features, classes) classifier with weights from `seed`.
inline std::unique_ptr<nn::Module> linear_model(int64_t features, int64_t classes, uint64_t seed = 1) {
    Generator g(seed);
    return std::make_unique<nn::Sequential>(nn::Linear(features, classes, g));
}

}  // namespace fedtest
