/// \file
/// Splitting one dataset into K clients' datasets, the four ways federated
/// experiments do it, plus a measure of how skewed the result is.
///
/// - IID: a random permutation cut into K near-equal parts (every client sees
///   the same label mix, the easy case).
/// - Dirichlet(\f$\alpha\f$) label skew (Hsu et al. 2019): for each class c,
///   the shares \f$ (p_{c,1}, \dots, p_{c,K}) \sim \mathrm{Dir}(\alpha, \dots, \alpha) \f$
///   of its samples go to the K clients. Large \f$\alpha\f$ approaches IID; small
///   \f$\alpha\f$ gives each client few classes.
/// - Pathological shards (McMahan et al. 2017's non-IID MNIST): sort by label,
///   cut into \f$ K s \f$ shards, give each client s random shards (s = 2: most
///   clients see only two classes).
/// - Natural: one client per device / subject / machine / site, the way IoT
///   data is really split.
///
/// Every partitioner assigns each sample index to exactly one client.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "iot/data.hpp"

namespace iotgrad::iot::fed {

/// partition[k] = the sample indices of client k (increasing).
using Partition = std::vector<std::vector<int64_t>>;

/// Throws std::invalid_argument for clients < 1 or n < clients.
Partition partition_iid(int64_t n, int clients, uint64_t seed);

/// Retries the draw (up to 1000 times) until every client has at least
/// min_size samples; throws std::invalid_argument naming alpha when it cannot.
Partition partition_dirichlet(const std::vector<int>& labels, int clients, double alpha, uint64_t seed,
                              int64_t min_size = 1);

/// Throws std::invalid_argument when there are fewer samples than shards.
Partition partition_shards(const std::vector<int>& labels, int clients, int shards_per_client, uint64_t seed);

/// One client per distinct group id (in increasing id order): group[i] is
/// sample i's device / subject.
Partition partition_by_group(const std::vector<int>& groups);

/// The labels of a classification dataset (y rounded to int). Reads every sample.
std::vector<int> dataset_labels(const Dataset& data);

/// Shannon entropy (bits) of the label histogram of the given samples:
/// \f$ H = -\sum_c p_c \log_2 p_c \f$; \f$\log_2 C\f$ when balanced, 0 for one class.
double label_entropy(const std::vector<int>& labels, const std::vector<int64_t>& indices);
/// Mean over clients of label_entropy.
double mean_label_entropy(const std::vector<int>& labels, const Partition& p);

/// A client's view of a shared dataset: sample i is base[indices[i]].
/// The base dataset must outlive it.
class Subset : public Dataset {
public:
    /// Throws std::out_of_range for an index outside the base dataset.
    Subset(const Dataset& base, std::vector<int64_t> indices);
    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
    Sample get(int64_t i) const override;
    const std::vector<int64_t>& indices() const { return indices_; }

private:
    const Dataset* base_;
    std::vector<int64_t> indices_;
};

/// One Subset per client of a partition.
std::vector<std::unique_ptr<Subset>> make_subsets(const Dataset& base, const Partition& p);

}  // namespace iotgrad::iot::fed
