/// \file
/// A saved model with everything needed to use it on new data: the model's
/// spec and weights, the task, the column names, the window / stride /
/// horizon, the missing-value strategy, the feature normalisation measured on
/// the training part, the class names, the anomaly threshold and the
/// baseline's fitted value. One archive file (tensor/archive.hpp), so a
/// truncated or corrupt bundle is refused by its size and CRC-32 before
/// anything is used; the fields are then checked against each other
/// (feature count vs normalisation, classes vs outputs, the weights vs the
/// model spec) so a bundle never loads half-way.
///
/// Archive keys: strings `bundle.format` ("iotgrad-model 1"), `task`,
/// `model.kind`, `missing`, `column.time`, `column.device`, `column.target`,
/// `feature.<i>`, `class.<i>`; scalars `window`, `stride`, `horizon`,
/// `model.seed`, `features`, `classes`, `target.mean`, `target.std`,
/// `anomaly.threshold`, `baseline.value`; tensors `norm.mean`, `norm.std`
/// and `weights.<state_dict key>`.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "iot/models.hpp"
#include "iot/tasks.hpp"
#include "layers/module.hpp"
#include "layers/state.hpp"

namespace iotgrad::iot {

struct Bundle {
    ModelSpec spec;
    Task task = Task::kClassify;
    ColumnSpec columns;
    TaskWindow win;
    MissingStrategy missing = MissingStrategy::kForwardFill;
    Normalizer norm;
    /// Regression targets are trained standardised, \f$ (y - \mu) / \sigma \f$; forecast targets
    /// as the standardised change from the window's last observed value, \f$ (y_{t+h} - y_t - \mu) / \sigma \f$,
    /// so the model learns a correction to persistence rather than the level.
    float target_mean = 0.0f, target_std = 1.0f;
    std::vector<std::string> classes;            ///< Classify: class names by index.
    double anomaly_threshold = 0.0;              ///< Anomaly: reconstruction error above this is flagged.
    double baseline_value = 0.0;                 ///< Majority class index (classify) or training mean of the target.
    nn::NamedTensors weights;                    ///< The model's state_dict.
};

/// Writes the bundle atomically. Throws std::invalid_argument for an
/// inconsistent bundle, tensor::ArchiveError on I/O failure.
void save_bundle(const std::string& path, const Bundle& bundle);
/// Reads and checks a bundle; throws tensor::ArchiveError for a bad file and
/// std::runtime_error naming the problem ("model.bundle: ...") for missing or
/// inconsistent fields.
Bundle load_bundle(const std::string& path);
/// The model of the bundle with its weights loaded (in eval mode).
std::unique_ptr<nn::Module> build_model(const Bundle& bundle);

}  // namespace iotgrad::iot
