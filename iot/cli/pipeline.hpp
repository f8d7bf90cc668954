/// \file
/// What `iotgrad train`, `evaluate` and `predict` share: turning a bundle's
/// model outputs into predictions, and scoring them beside the baseline.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "iot/bundle.hpp"
#include "iot/task_report.hpp"
#include "iot/tasks.hpp"
#include "layers/module.hpp"

namespace iotgrad::iot::cli {

/// A model's answers for some windows (only the task's fields are filled).
struct Predictions {
    std::vector<int64_t> cls;        ///< classify: predicted class index
    std::vector<float> confidence;   ///< classify: its softmax probability
    std::vector<float> value;        ///< regress / forecast: the prediction in the target's units
    std::vector<double> score;       ///< anomaly: reconstruction error
};

/// Runs the model on the given samples of `data` (normalised with the bundle's statistics).
Predictions run_model(const Bundle& bundle, nn::Module& model, const TaskData& data,
                      const std::vector<int64_t>& samples);

/// The model's and the baseline's metrics on the given samples (which must have targets).
Report score(const Bundle& bundle, const Predictions& pred, const TaskData& data,
             const std::vector<int64_t>& samples, const std::string& part);

/// The bundle's columns checked against a CSV's header: with `need_target`
/// false an absent target column is dropped (predict needs no labels).
ColumnSpec columns_for(const Bundle& bundle, const CsvTable& table, bool need_target);


}  // namespace iotgrad::iot::cli
