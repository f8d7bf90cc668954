/// \file
/// What the five experiments measure, as plain structs the report writer
/// turns into tables, plots, CSV and JSON. Times are wall-clock seconds or
/// milliseconds on the machine that ran them; everything else is
/// deterministic for a seed and a thread count.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "iot/experiments/config.hpp"

namespace iotgrad::iot::experiments {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Experiment 1 (Fig. 3), one row per model.
struct ModelResult {
    ModelEntry model;
    double accuracy = kNaN, precision = kNaN, recall = kNaN, f1 = kNaN;  ///< macro P/R/F1, held-out subjects
    int64_t test_windows = 0;
    double train_seconds = kNaN;       ///< whole training run
    int64_t train_windows = 0;         ///< windows seen per epoch
    int epochs = 0;                    ///< epochs (FedAvg: rounds)
    double final_loss = kNaN;          ///< mean training loss of the last epoch / round
    double latency_median_ms = kNaN;   ///< batch-1 forward pass
    double latency_p99_ms = kNaN;
    double throughput_wps = kNaN;      ///< windows per second at throughput_batch
    int64_t parameters = 0;
    int64_t size_bytes = 0;            ///< float32 weights
    int64_t macs = 0;                  ///< multiply-accumulates per window
};

/// Experiment 2 (Fig. 4): one epoch over `windows` streamed windows.
struct ScalingPoint {
    std::string model_id;
    int64_t windows = 0;
    double epoch_seconds = kNaN;       ///< training steps only (generation excluded)
    double generate_seconds = kNaN;    ///< simulating the windows
    double peak_rss_mb = kNaN;         ///< the process's peak resident memory so far (getrusage)
};

/// Experiment 3 (Fig. 5): the energy model for one model on one device class.
struct EnergyRow {
    std::string model_id, device;
    int64_t macs = 0, bytes = 0;
    double compute_mj = kNaN, memory_mj = kNaN, total_mj = kNaN, total_mwh = kNaN;
};

/// Experiment 5 (Fig. 7): the inference service with `nodes` streaming nodes.
struct NodePoint {
    std::string model_id;
    int nodes = 0;
    int64_t windows = 0;               ///< windows served in the measurement
    double windows_per_s = kNaN;
    double latency_median_ms = kNaN;   ///< per window: arrival to prediction
    double latency_p99_ms = kNaN;
    double agreement = kNaN;           ///< fraction of predictions equal to the window's label
};

/// The machine and run the numbers come from.
struct RunInfo {
    std::string cpu = "unknown";
    int cores = 0;
    int threads = 1;                   ///< training and per-model measurements
    int service_threads = 1;           ///< experiment 5's inference service
    bool openmp = false;
    std::string date_utc;
    std::string load_average;          ///< /proc/loadavg's 1, 5, 15-minute averages at the start ("" if unknown)
    std::string command;
    double total_seconds = kNaN;
    std::string federated_note;        ///< why FedAvg is missing, when it is
};

struct Results {
    ExperimentConfig config;
    RunInfo info;
    std::vector<ModelResult> models;
    std::vector<ScalingPoint> scaling;
    std::vector<EnergyRow> energy;
    std::vector<size_t> pareto;        ///< indices into models on the accuracy/latency front
    std::vector<NodePoint> nodes;
};

/// Indices of the points not dominated when lower x (latency) and higher y
/// (accuracy) are better: j dominates i when x_j <= x_i and y_j >= y_i with
/// one of them strict. Returned in increasing x (then decreasing y). NaN
/// points are never on the front.
std::vector<size_t> pareto_front(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace iotgrad::iot::experiments
