// Presets, model names and validation of config.hpp.
#include "iot/experiments/config.hpp"

#include <stdexcept>

namespace iotgrad::iot::experiments {

ExperimentConfig preset(const std::string& name) {
    ExperimentConfig c;  // the defaults are the `make demo` budget (under 2 minutes on 2 cores)
    c.preset = name;
    if (name == "default") return c;
    if (name == "quick") {  // CI: every experiment and file, tiny sizes (well under 20 s)
        c.train_windows = 360;
        c.test_windows_per_subject = 20;
        c.epochs = 1;
        c.fed_rounds = 2;
        c.latency_repeats = 20;
        c.throughput_batch = 64;
        c.throughput_min_seconds = 0.05;
        c.scaling_sizes = {100, 200};
        c.node_counts = {1, 2, 4, 8};
        c.node_min_rounds = 2;
        c.node_min_seconds = 0.03;
        return c;
    }
    if (name == "full") {  // the paper's sizes for Fig. 4 (about 35 minutes on a 2-core laptop)
        c.train_windows = 10000;
        c.test_windows_per_subject = 300;
        c.epochs = 5;
        c.fed_rounds = 10;
        c.latency_repeats = 1000;
        c.throughput_min_seconds = 1.0;
        c.scaling_sizes = {10000, 100000, 1000000};
        c.node_counts = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        c.node_min_seconds = 1.0;
        return c;
    }
    throw std::invalid_argument("unknown experiments preset '" + name + "' (valid: quick, default, full)");
}

std::vector<ModelEntry> model_entries(bool include_federated) {
    std::vector<ModelEntry> m = {{"cnn", "CNN", "cnn", false},
                                 {"lstm", "LSTM", "lstm", false},
                                 {"transformer", "Transformer", "transformer", false}};
    if (include_federated) m.push_back({"fedavg-cnn", "FL (FedAvg CNN)", "cnn", true});
    return m;
}

void validate(const ExperimentConfig& c) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("experiments: " + what); };
    if (c.threads < 1) bad("threads must be >= 1, got " + std::to_string(c.threads));
    if (c.service_threads < 1) bad("service_threads must be >= 1, got " + std::to_string(c.service_threads));
    if (c.subjects < 2 || c.test_subjects < 1 || c.test_subjects >= c.subjects)
        bad("need 1 <= test_subjects < subjects, got test_subjects=" + std::to_string(c.test_subjects) +
            ", subjects=" + std::to_string(c.subjects));
    if (c.train_windows < c.subjects - c.test_subjects)
        bad("train_windows must be at least one per training subject, got " + std::to_string(c.train_windows));
    if (c.test_windows_per_subject < 1) bad("test_windows_per_subject must be >= 1");
    if (c.epochs < 1 || c.batch_size < 1 || !(c.lr > 0)) bad("epochs, batch_size and lr must be positive");
    if (c.fed_batch_size < 1 || !(c.fed_lr > 0)) bad("fed_batch_size and fed_lr must be positive");
    if (c.fed_rounds < 1 || !(c.fed_client_fraction > 0 && c.fed_client_fraction <= 1) || c.fed_local_epochs < 1)
        bad("fed_rounds >= 1, 0 < fed_client_fraction <= 1 and fed_local_epochs >= 1 are required");
    if (c.latency_repeats < 2 || c.throughput_batch < 1) bad("latency_repeats >= 2 and throughput_batch >= 1 required");
    if (c.scaling_sizes.empty()) bad("scaling_sizes is empty");
    for (int64_t n : c.scaling_sizes)
        if (n < c.batch_size) bad("every scaling size must be >= batch_size, got " + std::to_string(n));
    if (c.node_counts.empty()) bad("node_counts is empty");
    for (int n : c.node_counts)
        if (n < 1) bad("node counts must be >= 1, got " + std::to_string(n));
    if (c.node_min_rounds < 1) bad("node_min_rounds must be >= 1");
}

}  // namespace iotgrad::iot::experiments
