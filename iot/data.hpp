/// \file
/// Datasets and the DataLoader: samples by index, stacked into mini-batches,
/// shuffled per epoch from an explicit seed.
///
/// \code
/// iot::TensorDataset data(X, Y);                  // X [N, 9], Y [N]
/// iot::DataLoader loader(data, 32, /*shuffle_seed*/ 7);
/// for (int epoch = 0; epoch < 10; ++epoch)
///     for (const iot::Batch& b : loader) {        // b.x [32, 9], b.y [32]
///         ...
///     }
/// \endcode
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// One sample: an input and its target.
struct Sample {
    Tensor x, y;
};

/// A mini-batch: samples stacked along a new first dimension,
/// x [B, ...x's shape], y [B, ...y's shape] (a rank-0 class label gives y [B]).
struct Batch {
    Tensor x, y;
};

/// Anything that can produce sample i of n on demand.
class Dataset {
public:
    virtual ~Dataset() = default;
    /// Number of samples.
    virtual int64_t size() const = 0;
    /// Sample i, 0 <= i < size(). Every call for the same i must return the same values.
    virtual Sample get(int64_t i) const = 0;
};

/// Samples are rows of two tensors: sample i is (X[i], Y[i]). The tensors
/// are shared, not copied; get() returns views.
class TensorDataset : public Dataset {
public:
    /// Throws ShapeError unless X and Y have rank >= 1 and the same first dimension.
    TensorDataset(Tensor X, Tensor Y);
    int64_t size() const override { return X_.size(0); }
    Sample get(int64_t i) const override;

private:
    Tensor X_, Y_;
};

/// Samples computed when asked for: a function of the index. A million
/// sliding windows over a sensor stream, or simulated readings, never sit in
/// memory at once; only the current batch does. The function must be
/// deterministic in i (derive any randomness from i, e.g. Generator(seed + i)).
class GeneratedDataset : public Dataset {
public:
    using Fn = std::function<Sample(int64_t)>;
    /// Throws std::invalid_argument for n < 0 or an empty function.
    GeneratedDataset(int64_t n, Fn make);
    int64_t size() const override { return n_; }
    Sample get(int64_t i) const override;

private:
    int64_t n_;
    Fn make_;
};

/// Stacks samples into one batch; throws ShapeError naming the first sample
/// whose x or y shape differs from the first one's.
Batch collate(const std::vector<Sample>& samples);

/// Mini-batches over a dataset, in order or shuffled.
///
/// Shuffling: the order of epoch e is a Fisher–Yates shuffle driven by a
/// Generator seeded from (shuffle_seed, e), so the same seed gives the same
/// order every run, and different epochs give different orders. Each
/// range-for over the loader is one epoch: it uses epoch() and then advances
/// it; set_epoch() jumps (e.g. to resume training from a checkpoint).
///
/// The loader refers to the dataset, which must outlive it.
class DataLoader {
public:
    /// Throws std::invalid_argument for batch_size < 1.
    DataLoader(const Dataset& dataset, int64_t batch_size, std::optional<uint64_t> shuffle_seed = std::nullopt,
               bool drop_last = false);
    /// A temporary dataset would dangle: keep the dataset in a variable.
    DataLoader(const Dataset&& dataset, int64_t batch_size, std::optional<uint64_t> shuffle_seed = std::nullopt,
               bool drop_last = false) = delete;

    /// Batches per epoch: ceil(n / batch_size), or floor with drop_last
    /// (which drops the last, smaller batch).
    int64_t num_batches() const;
    int64_t batch_size() const { return batch_size_; }
    const Dataset& dataset() const { return *dataset_; }

    /// The epoch the next range-for will run (starts at 0).
    int64_t epoch() const { return epoch_; }
    void set_epoch(int64_t epoch) { epoch_ = epoch; }
    /// The sample order of an epoch: 0..n-1 without a seed, else a permutation.
    std::vector<int64_t> order(int64_t epoch) const;
    /// Batch b (0-based) of an epoch.
    Batch batch(int64_t epoch, int64_t b) const;

    /// Walks the batches of one epoch; the batch is made when first dereferenced.
    class Iterator {
    public:
        const Batch& operator*() const;
        const Batch* operator->() const { return &**this; }
        Iterator& operator++();
        bool operator==(const Iterator& o) const { return b_ == o.b_; }
        bool operator!=(const Iterator& o) const { return b_ != o.b_; }

    private:
        friend class DataLoader;
        Iterator(const DataLoader* loader, std::shared_ptr<const std::vector<int64_t>> order, int64_t b)
            : loader_(loader), order_(std::move(order)), b_(b) {}
        const DataLoader* loader_;
        std::shared_ptr<const std::vector<int64_t>> order_;
        int64_t b_;
        mutable std::optional<Batch> current_;
    };
    /// Starts epoch(), then advances epoch() by one.
    Iterator begin();
    Iterator end() const;

private:
    Batch make_batch(const std::vector<int64_t>& order, int64_t b) const;

    const Dataset* dataset_;
    int64_t batch_size_;
    std::optional<uint64_t> seed_;
    bool drop_last_;
    int64_t epoch_ = 0;
};

}  // namespace iotgrad::iot
