/// \file
/// The client side of federated learning: local training from the global
/// weights (ClientUpdate in McMahan et al.'s Algorithm 1), and evaluation of
/// a model on a dataset, shared by the server and the centralized baseline.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "iot/data.hpp"
#include "iot/fed/fedavg.hpp"
#include "layers/module.hpp"

namespace iotgrad::iot::fed {

/// One client's job for one round.
struct LocalPlan {
    int epochs = 1;                 ///< E
    int64_t batch_size = 0;         ///< B; <= 0 or >= n: the whole local dataset
    double lr = 0.05;
    LocalOptimizer optimizer = LocalOptimizer::SGD;
    double momentum = 0.0;
    double mu = 0.0;                ///< FedProx proximal weight (0: plain local loss)
    Loss loss = Loss::CrossEntropy;
    /// Stop after this many optimizer steps (a straggler); -1 = all E * ceil(n/B).
    int64_t max_steps = -1;
    uint64_t shuffle_seed = 0;      ///< batch order of epoch e is DataLoader's (shuffle_seed, e)
};

/// What local training produced. The update is computed in double from the
/// float weights, \f$\Delta = w^k - w_t\f$, which is exact (both are floats
/// of similar size), so \f$ w_t + \Delta \f$ gives back \f$ w^k \f$ bit for bit.
struct LocalResult {
    std::vector<double> update;     ///< \f$\Delta_k\f$
    int64_t samples = 0;            ///< \f$n_k\f$
    int64_t steps_done = 0, steps_planned = 0;
    double mean_loss = std::numeric_limits<double>::quiet_NaN();  ///< over the steps run
    double seconds = 0.0;
};

/// Trains `model` (which must already hold the global weights `global`) on
/// `data` following the plan. For FedProx (\f$\mu > 0\f$) the local objective is
/// \f[ h_k(w) = F_k(w) + \frac{\mu}{2}\lVert w - w_t\rVert^2, \qquad
///     \nabla h_k(w) = \nabla F_k(w) + \mu (w - w_t), \f]
/// and the proximal gradient is added to each parameter's gradient after backward.
/// Throws std::invalid_argument for an empty dataset.
LocalResult local_train(nn::Module& model, const std::vector<float>& global, const Dataset& data,
                        const LocalPlan& plan);

/// The training loss of one batch: cross_entropy on class labels (y [B])
/// or mse_loss (y reshaped to the output's shape when the sizes agree).
Variable batch_loss(const Variable& output, const Tensor& y, Loss loss);

/// Mean loss and accuracy (argmax vs label; NaN for MSE) of `model` on `data`,
/// without gradients, in evaluation mode (restores training mode after).
struct Evaluation {
    double loss = std::numeric_limits<double>::quiet_NaN();
    double accuracy = std::numeric_limits<double>::quiet_NaN();
};
Evaluation evaluate(nn::Module& model, const Dataset& data, Loss loss, int64_t batch_size = 256);

}  // namespace iotgrad::iot::fed
