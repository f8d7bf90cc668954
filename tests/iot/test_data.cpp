#include <algorithm>
#include <set>
#include <vector>

#include "catch_compat.hpp"
#include "iot/data.hpp"

using namespace iotgrad;
using iot::Batch;
using iot::DataLoader;

namespace {

/// Sample i has x = [i, 10 i] and label y = i (rank 0), so a batch tells which samples it holds.
iot::TensorDataset indexed(int64_t n) {
    std::vector<float> x, y;
    for (int64_t i = 0; i < n; ++i) {
        x.push_back(static_cast<float>(i));
        x.push_back(static_cast<float>(10 * i));
        y.push_back(static_cast<float>(i));
    }
    return iot::TensorDataset(Tensor::from({n, 2}, x), Tensor::from({n}, y));
}

/// The sample indices of one epoch, batch by batch, as the loader delivers them.
std::vector<int64_t> epoch_indices(DataLoader& loader, std::vector<int64_t>* batch_sizes = nullptr) {
    std::vector<int64_t> out;
    for (const Batch& b : loader) {
        REQUIRE(b.x.dim() == 2);
        REQUIRE(b.y.dim() == 1);
        REQUIRE(b.x.size(0) == b.y.size(0));
        if (batch_sizes) batch_sizes->push_back(b.x.size(0));
        for (int64_t j = 0; j < b.x.size(0); ++j) {
            const auto i = static_cast<int64_t>(b.y.at({j}));
            CHECK(b.x.at({j, 0}) == static_cast<float>(i));  // x and y of a sample stay together
            CHECK(b.x.at({j, 1}) == static_cast<float>(10 * i));
            out.push_back(i);
        }
    }
    return out;
}

bool is_permutation_of_range(std::vector<int64_t> v, int64_t n) {
    std::sort(v.begin(), v.end());
    for (int64_t i = 0; i < n; ++i)
        if (v.size() != static_cast<std::size_t>(n) || v[static_cast<std::size_t>(i)] != i) return false;
    return true;
}

}  // namespace

TEST_CASE("DataLoader without a seed walks the samples in order", "[iot][data]") {
    const iot::TensorDataset data = indexed(10);
    DataLoader loader(data, 3);
    CHECK(loader.num_batches() == 4);
    std::vector<int64_t> sizes;
    CHECK(epoch_indices(loader, &sizes) == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(sizes == std::vector<int64_t>{3, 3, 3, 1});
    CHECK(loader.epoch() == 1);
}

TEST_CASE("DataLoader covers every sample exactly once per shuffled epoch", "[iot][data]") {
    const iot::TensorDataset data = indexed(23);
    DataLoader loader(data, 4, /*shuffle_seed*/ 42);
    std::set<std::vector<int64_t>> orders;
    for (int epoch = 0; epoch < 5; ++epoch) {
        const std::vector<int64_t> seen = epoch_indices(loader);
        CHECK(is_permutation_of_range(seen, 23));
        orders.insert(seen);
    }
    CHECK(orders.size() == 5);  // every epoch a different order
    CHECK(loader.epoch() == 5);
}

TEST_CASE("DataLoader shuffles are reproducible from the seed and the epoch", "[iot][data]") {
    const iot::TensorDataset data = indexed(50);
    DataLoader a(data, 8, 7), b(data, 8, 7), c(data, 8, 8);
    const std::vector<int64_t> a0 = epoch_indices(a), a1 = epoch_indices(a);
    CHECK(epoch_indices(b) == a0);
    CHECK(epoch_indices(b) == a1);
    CHECK(a0 != a1);
    CHECK(epoch_indices(c) != a0);
    CHECK(a.order(0) == a0);
    // Jumping to an epoch gives that epoch's order (resuming training).
    DataLoader d(data, 8, 7);
    d.set_epoch(1);
    CHECK(epoch_indices(d) == a1);
    // A shuffled order is not the identity.
    std::vector<int64_t> identity(50);
    for (int64_t i = 0; i < 50; ++i) identity[static_cast<std::size_t>(i)] = i;
    CHECK(a0 != identity);
}

TEST_CASE("DataLoader drop_last drops only the short last batch", "[iot][data]") {
    const iot::TensorDataset data = indexed(10);
    DataLoader loader(data, 3, 1, /*drop_last*/ true);
    CHECK(loader.num_batches() == 3);
    std::vector<int64_t> sizes;
    const std::vector<int64_t> seen = epoch_indices(loader, &sizes);
    CHECK(sizes == std::vector<int64_t>{3, 3, 3});
    CHECK(std::set<int64_t>(seen.begin(), seen.end()).size() == 9);
    DataLoader even(data, 5, std::nullopt, true);
    CHECK(even.num_batches() == 2);
    DataLoader tiny(data, 20, std::nullopt, true);
    CHECK(tiny.num_batches() == 0);
    int batches = 0;
    for (const Batch& b : tiny) batches += static_cast<int>(b.x.size(0) > 0);
    CHECK(batches == 0);
    CHECK_THROWS_AS(DataLoader(data, 0), std::invalid_argument);
}

TEST_CASE("GeneratedDataset makes samples on demand and batches stack them", "[iot][data]") {
    int64_t calls = 0;
    // A window of 4 readings of 2 channels, computed from the index alone.
    iot::GeneratedDataset windows(1000000, [&calls](int64_t i) {
        ++calls;
        Tensor x = Tensor::full({2, 4}, static_cast<float>(i));
        return iot::Sample{x, Tensor::scalar(static_cast<float>(i % 3))};
    });
    DataLoader loader(windows, 16, 3);
    CHECK(loader.num_batches() == 62500);
    int64_t seen = 0;
    for (const Batch& b : loader) {
        CHECK(shape_str(b.x.shape()) == "[16, 2, 4]");
        CHECK(shape_str(b.y.shape()) == "[16]");
        for (int64_t j = 0; j < 16; ++j) {
            const auto i = static_cast<int64_t>(b.x.at({j, 1, 3}));  // every reading of window i is i
            CHECK(b.y.at({j}) == static_cast<float>(i % 3));
        }
        if (++seen == 3) break;  // three batches only: no epoch of a million samples in a unit test
    }
    CHECK(calls == 48);
    CHECK_THROWS_AS(windows.get(1000000), std::out_of_range);
    CHECK_THROWS_AS(iot::GeneratedDataset(-1, [](int64_t) { return iot::Sample{}; }), std::invalid_argument);
}

TEST_CASE("collate refuses samples of different shapes", "[iot][data]") {
    std::vector<iot::Sample> s = {{Tensor::zeros({3}), Tensor::scalar(0)}, {Tensor::zeros({4}), Tensor::scalar(1)}};
    CHECK_THROWS_WITH(iot::collate(s), IOTGRAD_HAS("collate: sample 1 has x [4], y [] but sample 0 has x [3], y []"));
    CHECK_THROWS_AS(iot::collate({}), std::invalid_argument);
    CHECK_THROWS_AS(iot::TensorDataset(Tensor::zeros({3, 2}), Tensor::zeros({4})), ShapeError);
}
