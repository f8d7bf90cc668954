/// \file
/// From a CSV table to the samples of a learning task: which columns are
/// time, device, features and target; windows of `window` consecutive records
/// of one device (never two devices), `stride` apart; and what each window
/// is asked to predict:
///
/// | task     | a window's target |
/// |----------|-------------------|
/// | classify | the class of its last record ("what is happening now") |
/// | regress  | the target value of its last record (e.g. remaining useful life) |
/// | forecast | the target value `horizon` records after its last record |
/// | anomaly  | 1 when any of its records is labelled anomalous, else 0 (the autoencoder never sees it) |
///
/// Class names (classify) are kept in **sorted order**: numerically when
/// every name is a number ("2" before "10"), else by byte order. Sorting
/// makes the class index independent of which class the file happens to
/// start with, so a model trained on one file reads another's labels alike.
///
/// Anomaly labels are numbers (0 normal, anything else anomalous) or words
/// ("normal", "false", "no" and "0" normal, anything else anomalous).
///
/// Samples whose target cell is empty are skipped (there is nothing to learn
/// or score); missing feature values are handled by the chosen
/// MissingStrategy (iot/missing.hpp), after normalisation with statistics
/// from the training part only (Normalizer).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "iot/csv.hpp"
#include "iot/missing.hpp"
#include "iot/split.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::iot {

enum class Task { kClassify, kRegress, kForecast, kAnomaly };
/// "classify", "regress", "forecast", "anomaly"; throws std::invalid_argument otherwise.
Task parse_task(const std::string& name);
std::string task_name(Task task);

/// Which columns mean what. Empty time: the row order is the time; empty
/// device: all rows are one device; empty target: no labels (predict).
struct ColumnSpec {
    std::string time, device;
    std::vector<std::string> features;
    std::string target;
};

/// The default features: every column but time, device, target, `lat`,
/// `lon` and the `ignore`d ones whose first non-empty cell is a number.
std::vector<std::string> default_features(const CsvTable& table, const ColumnSpec& columns,
                                          const std::vector<std::string>& ignore);

/// The numbers of a CSV table, row by row.
struct SeriesTable {
    std::string source;
    int64_t channels = 0;
    std::vector<double> time;               ///< Seconds (or the file's unit).
    std::vector<int> device;                ///< Dense ids 0..D-1, in first-seen order.
    std::vector<std::string> device_names;  ///< The file's device cell of each id.
    std::vector<float> x;                   ///< [rows, channels], NaN = missing.
    std::vector<float> target;              ///< Value or class index; NaN = missing or no target.
    std::vector<int64_t> lines;             ///< File line of each row.
    int64_t rows() const { return static_cast<int64_t>(time.size()); }
};

/// Converts the table. For classify, `learn_classes` true collects the class
/// names into `classes` (sorted, see the file comment); false maps the
/// labels through `classes` and refuses an unknown one. Throws CsvError with
/// file:line:column and the reason for a bad number, time or label.
SeriesTable load_series(const CsvTable& table, const ColumnSpec& columns, Task task,
                        std::vector<std::string>& classes, bool learn_classes);

struct TaskWindow {
    int64_t window = 32, stride = 16, horizon = 1;
};

/// One sample: `window` rows of one device starting at position `start` of
/// that device's row list.
struct SampleRef {
    int device = 0;
    int64_t start = 0;
};

/// A table cut into samples.
struct TaskData {
    Task task = Task::kClassify;
    TaskWindow win;
    SeriesTable table;
    std::vector<std::vector<int64_t>> rows;  ///< Row indices of each device, in order (drop removes some).
    std::vector<SampleRef> samples;
    std::vector<SampleSpan> spans;           ///< For split_by_time / split_by_device.
    int64_t skipped_no_target = 0;           ///< Samples left out for an empty target cell.

    /// Global row index of row `offset` of sample i's window (forecast: offset
    /// window - 1 + horizon is the target row).
    int64_t row(int64_t i, int64_t offset) const;
};

/// Groups rows by device, applies drop (rows with a missing feature go),
/// and lists the windows. Throws std::invalid_argument for window < 1,
/// stride < 1, or horizon < 1 in a forecast.
TaskData make_task_data(SeriesTable table, Task task, const TaskWindow& win, MissingStrategy missing);

/// Per-feature mean and standard deviation (population; 1 where it is 0).
struct Normalizer {
    std::vector<float> mean, std;
};
/// Statistics of the feature rows read by the given samples (each row once; NaN skipped).
Normalizer fit_normalizer(const TaskData& data, const std::vector<int64_t>& samples);

/// Window inputs [n, window, C'] of the given samples: normalised, then the
/// missing-value strategy applied per device over its whole row list.
Tensor make_inputs(const TaskData& data, const Normalizer& norm, MissingStrategy missing,
                   const std::vector<int64_t>& samples);
/// Each sample's target (see the file comment): class index, value or 0/1.
std::vector<float> sample_targets(const TaskData& data, const std::vector<int64_t>& samples);
/// All sample indices 0..n-1.
std::vector<int64_t> all_samples(const TaskData& data);

/// Persistence: the last observed target in each sample's window (`fallback` when none).
std::vector<float> persistence_predictions(const TaskData& data, const std::vector<int64_t>& samples, float fallback);
/// The rolling z-score baseline's score of each sample: the largest
/// rolling_zscore (over the previous `window` records of its device, on
/// normalised features) of any of its records.
std::vector<double> zscore_scores(const TaskData& data, const Normalizer& norm, const std::vector<int64_t>& samples);

}  // namespace iotgrad::iot
