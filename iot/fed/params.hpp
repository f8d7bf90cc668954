/// \file
/// A model as one flat vector: what a client downloads and uploads in
/// federated learning. The order is the model's state_dict order (parameters
/// and buffers, PyTorch's keys), so two models of the same architecture have
/// the same layout and their vectors can be averaged coordinate by coordinate.
#pragma once
#include <cstdint>
#include <vector>

#include "layers/module.hpp"

namespace iotgrad::iot::fed {

/// Number of floats in the model's state (parameters and buffers).
int64_t flat_size(const nn::Module& model);
/// The state as one vector (a copy).
std::vector<float> get_flat(const nn::Module& model);
/// Writes `flat` back into the model's parameters and buffers, in place (so
/// optimizers that hold the parameters keep working). Throws
/// std::invalid_argument when the length differs from flat_size(model).
void set_flat(nn::Module& model, const std::vector<float>& flat);
/// Throws std::invalid_argument unless both models have the same keys and shapes.
void require_same_layout(const nn::Module& a, const nn::Module& b, const char* who);

/// \f$\lVert v \rVert_2\f$, summed in double.
double l2_norm(const std::vector<double>& v);

}  // namespace iotgrad::iot::fed
