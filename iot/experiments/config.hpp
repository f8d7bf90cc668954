/// \file
/// The settings of `iotgrad experiments`: one preset per budget (quick for CI,
/// default for `make demo`, full for the paper's sizes) and the names the
/// report uses for the models.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace iotgrad::iot::experiments {

/// Everything the five experiments need. All sizes are in windows
/// ([128, 9] slices of the wearable's stream, 50% overlap).
struct ExperimentConfig {
    std::string preset = "default";  ///< "quick", "default" or "full"
    std::string out_dir = "results";
    uint64_t seed = 42;
    /// OpenMP threads for training and the per-model measurements (>= 1). One
    /// by default: these models are small, the parallel kernels seldom split,
    /// and a second thread on a busy laptop mostly spin-waits.
    int threads = 1;
    /// Worker threads of the inference service of experiment 5 (one model
    /// replica each; the CLI sets it to one per core unless told).
    int service_threads = 1;

    // ---- data: the wearable simulator, split by subject -----------------------------
    int subjects = 30;               ///< UCI HAR's 30
    int test_subjects = 6;           ///< the last ones are held out for evaluation
    int64_t train_windows = 2400;    ///< round-robin over the training subjects
    int64_t test_windows_per_subject = 100;

    // ---- experiment 1 (Fig. 3): training ----------------------------------------------
    int epochs = 3;
    int64_t batch_size = 32;
    double lr = 2e-3;                ///< Adam
    bool federated = true;           ///< include FedAvg training the CNN
    int fed_rounds = 6;              ///< FedAvg rounds
    double fed_client_fraction = 0.5;
    int fed_local_epochs = 2;
    int64_t fed_batch_size = 16;     ///< clients hold ~75 windows: smaller batches, more local steps
    double fed_lr = 3e-3;            ///< clients' Adam

    // ---- experiment 1: inference speed ---------------------------------------------------
    int latency_repeats = 200;       ///< batch-1 forward passes per model (median, p99)
    int64_t throughput_batch = 256;
    double throughput_min_seconds = 0.3;

    // ---- experiment 2 (Fig. 4): training time per epoch vs windows, streamed -----------
    std::vector<int64_t> scaling_sizes = {500, 1000, 2000};

    // ---- experiment 5 (Fig. 7): nodes streaming into the inference service ------------
    std::vector<int> node_counts = {1, 2, 4, 8, 16, 32, 64};
    int node_min_rounds = 3;         ///< each node sends at least this many windows ...
    double node_min_seconds = 0.15;  ///< ... and the service runs at least this long per point
};

/// The preset by name; throws std::invalid_argument listing the valid names.
ExperimentConfig preset(const std::string& name);

/// The models of the comparison, in report order: "cnn", "lstm", "transformer"
/// (centralized) and "fedavg-cnn" (the CNN trained by FedAvg).
struct ModelEntry {
    std::string id;       ///< "cnn", "lstm", "transformer", "fedavg-cnn"
    std::string label;    ///< "CNN", "LSTM", "Transformer", "FL (FedAvg CNN)"
    std::string kind;     ///< the make_model kind: "cnn", "lstm", "transformer"
    bool federated = false;
};
std::vector<ModelEntry> model_entries(bool include_federated);

/// Throws std::invalid_argument naming the first bad setting.
void validate(const ExperimentConfig& cfg);

}  // namespace iotgrad::iot::experiments
