// Partitioners: every sample assigned exactly once; skew behaves as its parameter says.
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "catch_compat.hpp"
#include "fed_helpers.hpp"
#include "iot/fed/partition.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;
using namespace iotgrad::iot::fed;

namespace {

/// Every index 0..n-1 appears in exactly one client.
bool covers_exactly_once(const Partition& p, int64_t n) {
    std::vector<int> seen(static_cast<size_t>(n), 0);
    for (const auto& idx : p)
        for (int64_t i : idx) {
            if (i < 0 || i >= n) return false;
            ++seen[static_cast<size_t>(i)];
        }
    return std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; });
}

std::vector<int> cyclic_labels(int n, int classes) {
    std::vector<int> y(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) y[i] = i % classes;
    return y;
}

}  // namespace

TEST_CASE("partition: IID, Dirichlet, shards and natural groups assign every sample exactly once", "[iot][fed]") {
    const std::vector<int> y = cyclic_labels(603, 6);
    const Partition iid = partition_iid(603, 10, 1);
    CHECK(covers_exactly_once(iid, 603));
    for (const auto& idx : iid) CHECK((idx.size() == 60u || idx.size() == 61u));
    for (double alpha : {0.1, 1.0, 100.0}) CHECK(covers_exactly_once(partition_dirichlet(y, 10, alpha, 2), 603));
    CHECK(covers_exactly_once(partition_shards(y, 10, 2, 3), 603));  // 603 is not a multiple of 20 shards
    const Partition nat = partition_by_group({3, 1, 3, 2, 1});
    REQUIRE(nat.size() == 3u);
    CHECK(nat[0] == std::vector<int64_t>{1, 4});
    CHECK(nat[1] == std::vector<int64_t>{3});
    CHECK(nat[2] == std::vector<int64_t>{0, 2});
    // Different seeds, different splits; the same seed, the same split.
    CHECK(partition_iid(603, 10, 1) == iid);
    CHECK(partition_iid(603, 10, 2) != iid);
}

TEST_CASE("partition: Dirichlet label skew grows as alpha shrinks (label entropy per client)", "[iot][fed]") {
    const std::vector<int> y = cyclic_labels(3000, 6);
    const double h_iid = mean_label_entropy(y, partition_iid(3000, 20, 5));
    const double h100 = mean_label_entropy(y, partition_dirichlet(y, 20, 100.0, 5));
    const double h1 = mean_label_entropy(y, partition_dirichlet(y, 20, 1.0, 5));
    const double h01 = mean_label_entropy(y, partition_dirichlet(y, 20, 0.1, 5));
    const double hmax = std::log2(6.0);
    CHECK(h_iid > 0.97 * hmax);
    CHECK(h100 > 0.95 * hmax);
    CHECK(h100 > h1 + 0.2);
    CHECK(h1 > h01 + 0.4);
    CHECK(h01 < 0.5 * hmax);
    CHECK(label_entropy(y, {0, 6, 12}) == 0.0);  // one class
    CHECK(label_entropy(y, {0, 1, 2, 3, 4, 5}) == Approx(hmax));
}

TEST_CASE("partition: pathological shards give each client at most two classes", "[iot][fed]") {
    const std::vector<int> y = cyclic_labels(600, 6);  // 100 per class, 60 shards of 10
    const Partition p = partition_shards(y, 30, 2, 7);
    size_t most = 0;
    for (const auto& idx : p) {
        std::set<int> classes;
        for (int64_t i : idx) classes.insert(y[static_cast<size_t>(i)]);
        most = std::max(most, classes.size());
        CHECK(idx.size() == 20u);
    }
    CHECK(most <= 2u);
    CHECK(mean_label_entropy(y, p) <= 1.0);
}

TEST_CASE("partition: bad arguments are named; Subset views the base dataset", "[iot][fed]") {
    const std::vector<int> y = cyclic_labels(10, 2);
    CHECK_THROWS_WITH(partition_iid(5, 10, 0), IOTGRAD_HAS("cannot fill 10 clients"));
    CHECK_THROWS_WITH(partition_dirichlet(y, 2, 0.0, 0), IOTGRAD_HAS("alpha must be > 0"));
    CHECK_THROWS_WITH(partition_shards(y, 4, 3, 0), IOTGRAD_HAS("cannot make 12 shards"));
    const TensorDataset data = fedtest::blobs(10, 4, 2, 1);
    const Subset s(data, {7, 2});
    CHECK(s.size() == 2);
    CHECK(s.get(0).y.item() == data.get(7).y.item());
    CHECK(dataset_labels(s) == std::vector<int>{1, 0});
    CHECK_THROWS_WITH(Subset(data, {10}), IOTGRAD_HAS("outside the base dataset"));
}
