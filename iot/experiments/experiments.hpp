/// \file
/// The paper's five experiments (Section IV), measured on the simulated
/// wearable (iot/sim_har.hpp): each function runs one and returns its rows;
/// run_experiments() runs them all in order. Report writing: report.hpp.
///
/// | # | paper  | what is measured |
/// |---|--------|------------------|
/// | 1 | Fig. 3 | accuracy, macro P/R/F1 on held-out subjects, training time, batch-1 latency (median, p99), throughput, parameters, bytes, MACs |
/// | 2 | Fig. 4 | training time per epoch as the streamed training set grows; peak memory |
/// | 3 | Fig. 5 | energy per inference from the energy model of iot/report/energy.hpp |
/// | 4 | Fig. 6 | accuracy vs latency and its Pareto front |
/// | 5 | Fig. 7 | windows/s and per-window latency of an inference service as streaming nodes are added |
#pragma once
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "iot/experiments/config.hpp"
#include "iot/experiments/harness.hpp"
#include "iot/experiments/results.hpp"
#include "layers/module.hpp"

namespace iotgrad::iot::experiments {

/// Data and settings every experiment reads.
struct Context {
    ExperimentConfig cfg;
    std::ostream* log = nullptr;   ///< progress lines (never null inside the experiments)
    Standardizer standardizer;     ///< fitted on `train`; already applied to train and test
    WindowSet train, test;
};
/// Builds the split of cfg and standardises it.
Context make_context(const ExperimentConfig& cfg, std::ostream& log);

/// A model trained in experiment 1, kept for experiment 5.
struct TrainedModel {
    ModelEntry entry;
    std::unique_ptr<nn::Module> model;
};

/// Experiment 1. Trains every model of model_entries(cfg.federated) and
/// measures it. FedAvg uses iot/fed/fedavg.hpp with one client per training
/// subject; if it throws, its row is left out and `fed_note` says why.
std::vector<ModelResult> run_comparison(const Context& ctx, std::vector<TrainedModel>& trained,
                                        std::string& fed_note);

/// Experiment 2. For each size in cfg.scaling_sizes and each model: one epoch
/// of training on that many windows generated as a stream, one batch at a
/// time (FedAvg: rounds with every client training on its next chunk), so
/// memory does not grow with the size.
std::vector<ScalingPoint> run_scaling(const Context& ctx, bool include_federated);

/// Experiment 3: two device classes (energy.hpp) for each model of experiment 1.
std::vector<EnergyRow> energy_rows(const std::vector<ModelResult>& models);

/// Experiment 4: pareto_front of (median latency, accuracy).
std::vector<size_t> accuracy_latency_front(const std::vector<ModelResult>& models);

/// Experiment 5. For each trained centralized model and each node count n:
/// every round each of n simulated nodes delivers one window; the service
/// standardises the round's windows, splits them into cfg.service_threads chunks and
/// classifies the chunks in parallel (one model replica per worker thread).
/// A window's latency is from its arrival (the round's start) to its
/// prediction. Rounds repeat until cfg.node_min_rounds and
/// cfg.node_min_seconds are both reached.
std::vector<NodePoint> run_nodes(const Context& ctx, const std::vector<TrainedModel>& trained);

/// The CPU model (from /proc/cpuinfo where it exists), cores, threads, date.
RunInfo machine_info(int threads, int service_threads);

/// All five, in order, with progress on `log`.
Results run_experiments(const ExperimentConfig& cfg, std::ostream& log);

}  // namespace iotgrad::iot::experiments
