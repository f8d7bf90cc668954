/// \file
/// The training loop and batched inference used by `iotgrad train`,
/// `evaluate` and `predict`, for the four tasks:
///
/// | task              | output      | loss |
/// |-------------------|-------------|------|
/// | classify          | [N, K] logits | cross-entropy against class indices |
/// | regress, forecast | [N, 1]      | MSE against the standardised target (forecast: its change from the last observed value, see Bundle) |
/// | anomaly           | [N, T*C]    | MSE of the autoencoder's reconstruction of its own input |
///
/// Adam, mini-batches shuffled per epoch from the seed (DataLoader), the
/// loss checked for NaN every step (LossWatcher), progress to a stream.
#pragma once
#include <cstdint>
#include <ostream>
#include <vector>

#include "iot/tasks.hpp"
#include "layers/module.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::iot {

struct FitOptions {
    int64_t epochs = 10;
    int64_t batch = 32;
    double lr = 3e-3;
    uint64_t seed = 0;             ///< Shuffle order.
    std::ostream* progress = nullptr;  ///< Progress here (none when null) ...
    bool progress_tty = false;         ///< ... redrawn in place (a terminal) or as plain lines.
};

/// Trains `model` on inputs X [N, T, C] and targets Y ([N] class indices for
/// classify, [N, 1] for regress/forecast, ignored for anomaly). Returns the
/// last epoch's mean loss. Throws NonFiniteLoss when the loss becomes NaN.
double fit(nn::Module& model, Task task, const Tensor& X, const Tensor& Y, const FitOptions& options);

/// model(X) in eval mode without gradients, `batch` windows at a time.
Tensor predict_batched(nn::Module& model, const Tensor& X, int64_t batch = 256);

/// Mean squared reconstruction error of each window, \f$ \frac{1}{TC}\sum (\hat x - x)^2 \f$.
std::vector<double> reconstruction_errors(nn::Module& model, const Tensor& X, int64_t batch = 256);

/// The anomaly threshold from training errors: \f$ \mu + 3\sigma \f$ of the
/// reconstruction errors of the training windows, the three-sigma rule the
/// rolling z-score baseline uses too.
double error_threshold(const std::vector<double>& training_errors);

}  // namespace iotgrad::iot
