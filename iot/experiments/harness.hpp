/// \file
/// The measuring tools the experiments share: the wearable data split by
/// subject, a timed training loop, evaluation (accuracy, macro P/R/F1),
/// batch-1 latency percentiles, throughput and peak memory.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "iot/experiments/config.hpp"
#include "iot/sim_har.hpp"
#include "layers/module.hpp"
#include "tensor/tensor.hpp"

namespace iotgrad::iot::experiments {

/// Windows stacked for training: x [N, T, C], y [N] (class indices as
/// floats), subject[i] = the subject window i came from.
struct WindowSet {
    Tensor x, y;
    std::vector<int> subject;
    int64_t size() const { return x.defined() ? x.size(0) : 0; }
};

/// The simulator's settings for this run (its seed derived from cfg.seed).
HarConfig har_config(const ExperimentConfig& cfg);
/// Stacks windows into a WindowSet (all must be [T, C] of the first one's shape).
WindowSet stack_windows(const std::vector<Window>& windows);
/// cfg.train_windows windows, round-robin over subjects 0 .. subjects-test_subjects-1.
WindowSet training_windows(const ExperimentConfig& cfg);
/// cfg.test_windows_per_subject windows of each held-out subject (the last test_subjects).
WindowSet test_windows(const ExperimentConfig& cfg);

/// Per-channel standardisation \f$ x' = (x - \mu_c) / \sigma_c \f$ with the mean and
/// standard deviation of each channel over the training windows (all times):
/// the nine channels differ in scale by 10x (gyro rad/s vs body_acc g), which
/// slows the LSTM in particular. Fitted on training data only, applied to
/// everything the models see.
struct Standardizer {
    std::vector<float> mean, inv_std;
    /// Fits on x [N, T, C]; a constant channel gets inv_std 1.
    static Standardizer fit(const Tensor& x);
    /// Standardises x [..., C] in place (x must be contiguous).
    void apply(Tensor& x) const;
};

/// Mini-batch Adam on cross-entropy; batch order shuffled per epoch from `seed`.
struct TrainOptions {
    int epochs = 1;
    int64_t batch_size = 32;
    double lr = 1e-3;
    uint64_t seed = 0;
};
struct TrainStats {
    double seconds = 0;                  ///< all epochs, training steps only
    std::vector<double> epoch_seconds;
    std::vector<double> epoch_loss;      ///< mean loss of each epoch
};
/// Called after each epoch (1-based) with its mean loss and seconds.
using EpochCallback = std::function<void(int epoch, double loss, double seconds)>;
/// Trains in place; throws iot::NonFiniteLoss if the loss stops being a number.
TrainStats train_classifier(nn::Module& model, const WindowSet& data, const TrainOptions& opt,
                            const EpochCallback& on_epoch = {});

/// One optimizer step per batch of a stream that is never held in memory:
/// `next_batch(count, x, y)` fills x [count, T, C] and y [count] with the next
/// windows (count = batch_size, the last batch whatever is left of `windows`);
/// the returned seconds count the training steps only, `generate_seconds`
/// the calls to next_batch.
struct StreamEpoch {
    double seconds = 0, generate_seconds = 0, mean_loss = 0;
};
StreamEpoch train_stream_epoch(nn::Module& model, int64_t windows, int64_t batch_size, double lr,
                               const std::function<void(int64_t count, Tensor& x, Tensor& y)>& next_batch);

/// Accuracy and macro-averaged precision, recall and F1 (iot/metrics.hpp) on a held-out set.
struct Scores {
    double accuracy = 0, precision = 0, recall = 0, f1 = 0;
};
Scores evaluate(nn::Module& model, const WindowSet& test, int64_t batch = 256);
/// The predicted class of each window of x [N, T, C].
std::vector<int64_t> predict(nn::Module& model, const Tensor& x, int64_t batch = 256);

/// The p-th percentile (0..100) by linear interpolation between order
/// statistics (numpy's default); throws std::invalid_argument on an empty list.
double percentile(std::vector<double> values, double p);

/// Batch-1 forward passes over windows of x, cycling; returns each pass's milliseconds.
std::vector<double> batch1_latencies_ms(nn::Module& model, const Tensor& x, int repeats);
/// Windows per second of forward passes at `batch` (windows from x, cycled),
/// repeated until `min_seconds` have passed (at least twice).
double throughput_wps(nn::Module& model, const Tensor& x, int64_t batch, double min_seconds);

/// The process's peak resident set size in MB (getrusage; NaN where unavailable).
double peak_rss_mb();
/// Seconds since an arbitrary start (steady clock).
double now_seconds();

}  // namespace iotgrad::iot::experiments
