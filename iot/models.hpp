/// \file
/// The model zoo: the five window models of the benchmark reference
/// (`../shared/bench/torch_reference.py`) plus a GRU, built from iotgrad's
/// layers with the same shapes and parameter names, so the CLI, the
/// experiments, the federated module and the benchmark all train the same
/// networks.
///
/// Every model takes a window batch x of shape [N, T, C] (batch, time,
/// channel, as the reference) and returns [N, outputs]; the autoencoder
/// returns its reconstruction [N, T*C].
///
/// | kind        | layers (T = window, C = channels, K = outputs)                     | params at T=128, C=9, K=6 |
/// |-------------|--------------------------------------------------------------------|-----------|
/// | mlp         | flatten, Linear(TC,256), ReLU, Linear(256,128), ReLU, Linear(128,K) | 328,838   |
/// | cnn         | Conv1d(C,32,5), ReLU, MaxPool(2), Conv1d(32,64,5), ReLU, MaxPool(2), mean over time, Linear(64,K) | 12,166 |
/// | lstm        | LSTM(C,64), last hidden state, Linear(64,K)                        | 19,590    |
/// | gru         | GRU(C,64), last hidden state, Linear(64,K)                         | 14,790    |
/// | transformer | Linear(C,32), learned positions, 2 post-norm encoder layers (4 heads, ff 64), mean over time, Linear(32,K) | 21,702 |
/// | autoencoder | flatten, Linear(TC,128), ReLU, Linear(128,32), ReLU, Linear(32,128), ReLU, Linear(128,TC) | 304,544 |
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "layers/module.hpp"

namespace iotgrad::iot {

/// What to build. `outputs` is the number of classes (or 1 for a
/// regression / forecast target); it is ignored by the autoencoder.
struct ModelSpec {
    std::string kind = "cnn";  ///< One of model_kinds().
    int64_t window = 128;      ///< T, time steps per window.
    int64_t channels = 9;      ///< C, values per time step.
    int64_t outputs = 6;       ///< K.
    uint64_t seed = 0;         ///< Seeds the initial weights.
};

/// "mlp", "cnn", "lstm", "gru", "transformer", "autoencoder".
const std::vector<std::string>& model_kinds();

/// Builds the model. Throws std::invalid_argument naming the problem for an
/// unknown kind, a non-positive size, or a window too short for the model
/// (the CNN needs T >= 14: two valid 5-wide convolutions and two 2-pools).
std::unique_ptr<nn::Module> make_model(const ModelSpec& spec);

/// True for the autoencoder (trained on reconstruction, not on labels).
bool is_autoencoder(const std::string& kind);

/// Multiply-accumulate operations of one forward pass for one window,
/// counted from the layer shapes (matrix products and convolutions; the
/// attention score and weighted-sum products included; elementwise work not).
int64_t macs_per_sample(const ModelSpec& spec);

}  // namespace iotgrad::iot
