/// \file
/// The metrics report of `iotgrad train` and `iotgrad evaluate`: the model
/// beside its task's naive baseline (iot/baseline.hpp), with the same metric
/// keys for both, on screen and as JSON:
///
/// \code{.json}
/// {"task": "classify", "records": 38400, "samples": 119,
///  "model": {"name": "cnn", "accuracy": 0.93, "macro_f1": 0.92, "precision": 0.93, "recall": 0.92},
///  "baseline": {"name": "majority_class", "accuracy": 0.21, "macro_f1": 0.06, "precision": 0.04, "recall": 0.17}}
/// \endcode
///
/// Keys per task: classify accuracy, macro_f1, precision, recall (macro
/// averages); regress and forecast rmse, mae; anomaly precision, recall, f1
/// (of the anomalous class) and roc_auc. A metric that cannot be computed
/// (ROC-AUC when the data hold only one class) is written as JSON null.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace iotgrad::iot {

/// Named metric values, in a fixed order.
using Metrics = std::vector<std::pair<std::string, double>>;

/// accuracy, macro_f1, precision, recall (macro) of predicted classes.
Metrics classify_metrics(const std::vector<int64_t>& truth, const std::vector<int64_t>& pred, int64_t classes);
/// rmse, mae.
Metrics regression_metrics(const std::vector<float>& truth, const std::vector<float>& pred);
/// precision, recall, f1 of "score > threshold" against labels (1 anomaly),
/// and roc_auc of the scores (NaN with one class only).
Metrics anomaly_metrics(const std::vector<int>& labels, const std::vector<double>& scores, double threshold);

struct Report {
    std::string task;
    int64_t records = 0;   ///< Data rows of the CSV.
    int64_t samples = 0;   ///< Windows scored.
    std::string part;      ///< What was scored: "validation", "training", "all".
    std::string model_name, baseline_name;
    Metrics model, baseline;
};

/// The report as one JSON object (see the file comment); NaN -> null.
std::string report_json(const Report& r);
/// A small table: one row per metric, the model's and the baseline's values.
std::string report_text(const Report& r);

}  // namespace iotgrad::iot
