#include "iot/data.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "tensor/random.hpp"

namespace iotgrad::iot {

TensorDataset::TensorDataset(Tensor X, Tensor Y) : X_(std::move(X)), Y_(std::move(Y)) {
    if (!X_.defined() || !Y_.defined()) throw std::invalid_argument("TensorDataset: X and Y must be defined tensors");
    if (X_.dim() < 1 || Y_.dim() < 1 || X_.size(0) != Y_.size(0))
        throw ShapeError("TensorDataset: X " + shape_str(X_.shape()) + " and Y " + shape_str(Y_.shape()) +
                         " must have the same first dimension (one row per sample)");
}

Sample TensorDataset::get(int64_t i) const {
    if (i < 0 || i >= size())
        throw std::out_of_range("TensorDataset: sample " + std::to_string(i) + " out of range for " +
                                std::to_string(size()) + " samples");
    return {X_.select(0, i), Y_.select(0, i)};
}

GeneratedDataset::GeneratedDataset(int64_t n, Fn make) : n_(n), make_(std::move(make)) {
    if (n < 0) throw std::invalid_argument("GeneratedDataset: size must be >= 0, got " + std::to_string(n));
    if (!make_) throw std::invalid_argument("GeneratedDataset: the sample function is empty");
}

Sample GeneratedDataset::get(int64_t i) const {
    if (i < 0 || i >= n_)
        throw std::out_of_range("GeneratedDataset: sample " + std::to_string(i) + " out of range for " +
                                std::to_string(n_) + " samples");
    return make_(i);
}

namespace {
/// out[j] = t for j-th block of out's first dimension; all shapes checked by the caller.
void put_row(Tensor& out, int64_t j, const Tensor& t) {
    const Tensor c = t.contiguous();
    const int64_t n = c.numel();
    std::copy(c.data(), c.data() + n, out.data() + j * n);
}

Shape with_batch(int64_t b, const Shape& s) {
    Shape out{b};
    out.insert(out.end(), s.begin(), s.end());
    return out;
}
}  // namespace

Batch collate(const std::vector<Sample>& samples) {
    if (samples.empty()) throw std::invalid_argument("collate: no samples");
    const Sample& first = samples.front();
    if (!first.x.defined() || !first.y.defined()) throw std::invalid_argument("collate: sample 0 has an undefined x or y");
    const auto B = static_cast<int64_t>(samples.size());
    Batch batch{Tensor::empty(with_batch(B, first.x.shape())), Tensor::empty(with_batch(B, first.y.shape()))};
    for (int64_t j = 0; j < B; ++j) {
        const Sample& s = samples[static_cast<std::size_t>(j)];
        if (!s.x.defined() || !s.y.defined() || s.x.shape() != first.x.shape() || s.y.shape() != first.y.shape())
            throw ShapeError("collate: sample " + std::to_string(j) + " has x " +
                             (s.x.defined() ? shape_str(s.x.shape()) : "undefined") + ", y " +
                             (s.y.defined() ? shape_str(s.y.shape()) : "undefined") + " but sample 0 has x " +
                             shape_str(first.x.shape()) + ", y " + shape_str(first.y.shape()));
        put_row(batch.x, j, s.x);
        put_row(batch.y, j, s.y);
    }
    return batch;
}

DataLoader::DataLoader(const Dataset& dataset, int64_t batch_size, std::optional<uint64_t> shuffle_seed, bool drop_last)
    : dataset_(&dataset), batch_size_(batch_size), seed_(shuffle_seed), drop_last_(drop_last) {
    if (batch_size < 1) throw std::invalid_argument("DataLoader: batch_size must be >= 1, got " + std::to_string(batch_size));
}

int64_t DataLoader::num_batches() const {
    const int64_t n = dataset_->size();
    return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

std::vector<int64_t> DataLoader::order(int64_t epoch) const {
    std::vector<int64_t> idx(static_cast<std::size_t>(dataset_->size()));
    std::iota(idx.begin(), idx.end(), int64_t{0});
    if (!seed_) return idx;
    // One generator per (seed, epoch): the golden-ratio step spreads epochs
    // apart and the Generator's splitmix64 seeding scrambles the rest.
    Generator gen(*seed_ + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(epoch));
    for (std::size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[gen.below(i)]);  // Fisher–Yates
    return idx;
}

Batch DataLoader::make_batch(const std::vector<int64_t>& order, int64_t b) const {
    if (b < 0 || b >= num_batches())
        throw std::out_of_range("DataLoader: batch " + std::to_string(b) + " out of range for " +
                                std::to_string(num_batches()) + " batches");
    const int64_t begin = b * batch_size_;
    const int64_t end = std::min(begin + batch_size_, static_cast<int64_t>(order.size()));
    std::vector<Sample> samples;
    samples.reserve(static_cast<std::size_t>(end - begin));
    for (int64_t k = begin; k < end; ++k) samples.push_back(dataset_->get(order[static_cast<std::size_t>(k)]));
    return collate(samples);
}

Batch DataLoader::batch(int64_t epoch, int64_t b) const { return make_batch(order(epoch), b); }

DataLoader::Iterator DataLoader::begin() {
    auto ord = std::make_shared<const std::vector<int64_t>>(order(epoch_));
    ++epoch_;
    return Iterator(this, std::move(ord), 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(this, nullptr, num_batches()); }

const Batch& DataLoader::Iterator::operator*() const {
    if (!current_) current_ = loader_->make_batch(*order_, b_);
    return *current_;
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
    ++b_;
    current_.reset();
    return *this;
}

}  // namespace iotgrad::iot
