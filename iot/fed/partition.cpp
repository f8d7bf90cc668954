#include "iot/fed/partition.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

#include "tensor/random.hpp"

namespace iotgrad::iot::fed {

namespace {

void shuffle(std::vector<int64_t>& v, Generator& g) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[g.below(i)]);
}

void require_clients(int clients, int64_t n, const char* who) {
    if (clients < 1) throw std::invalid_argument(std::string(who) + ": clients must be >= 1, got " + std::to_string(clients));
    if (n < clients)
        throw std::invalid_argument(std::string(who) + ": " + std::to_string(n) + " samples cannot fill " +
                                    std::to_string(clients) + " clients");
}

/// Gamma(a, 1) by Marsaglia & Tsang (2000); for a < 1, Gamma(a + 1) * U^(1/a).
double gamma_sample(double a, Generator& g) {
    if (a < 1.0) {
        double u;
        do u = g.uniform(); while (u <= 0.0);
        return gamma_sample(a + 1.0, g) * std::pow(u, 1.0 / a);
    }
    const double d = a - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = g.normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = g.uniform();
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
}

void sort_each(Partition& p) {
    for (auto& idx : p) std::sort(idx.begin(), idx.end());
}

}  // namespace

Partition partition_iid(int64_t n, int clients, uint64_t seed) {
    require_clients(clients, n, "fed::partition_iid");
    std::vector<int64_t> perm(static_cast<size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);
    Generator g(seed);
    shuffle(perm, g);
    Partition p(static_cast<size_t>(clients));
    for (int k = 0; k < clients; ++k)
        p[k].assign(perm.begin() + n * k / clients, perm.begin() + n * (k + 1) / clients);
    sort_each(p);
    return p;
}

Partition partition_dirichlet(const std::vector<int>& labels, int clients, double alpha, uint64_t seed,
                              int64_t min_size) {
    require_clients(clients, static_cast<int64_t>(labels.size()), "fed::partition_dirichlet");
    if (!(alpha > 0.0)) throw std::invalid_argument("fed::partition_dirichlet: alpha must be > 0, got " + std::to_string(alpha));
    std::map<int, std::vector<int64_t>> by_class;
    for (size_t i = 0; i < labels.size(); ++i) by_class[labels[i]].push_back(static_cast<int64_t>(i));
    Generator g(seed);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        Partition p(static_cast<size_t>(clients));
        for (auto& [c, idx] : by_class) {
            std::vector<int64_t> members = idx;
            shuffle(members, g);
            // Shares p_{c,k} ~ Dir(alpha): normalised Gamma(alpha) draws.
            std::vector<double> share(static_cast<size_t>(clients));
            double total = 0.0;
            for (double& s : share) total += (s = gamma_sample(alpha, g));
            // Cumulative cut points, so the class's samples are used exactly once.
            const double n = static_cast<double>(members.size());
            double cum = 0.0;
            size_t from = 0;
            for (int k = 0; k < clients; ++k) {
                cum += share[k];
                const size_t to = k + 1 == clients ? members.size()
                                                   : std::min(members.size(), static_cast<size_t>(std::llround(n * cum / total)));
                p[k].insert(p[k].end(), members.begin() + from, members.begin() + std::max(from, to));
                from = std::max(from, to);
            }
        }
        bool ok = true;
        for (const auto& idx : p) ok = ok && static_cast<int64_t>(idx.size()) >= min_size;
        if (ok) {
            sort_each(p);
            return p;
        }
    }
    throw std::invalid_argument("fed::partition_dirichlet: 1000 draws with alpha = " + std::to_string(alpha) +
                                " all left a client with fewer than " + std::to_string(min_size) +
                                " samples; use a larger alpha or fewer clients");
}

Partition partition_shards(const std::vector<int>& labels, int clients, int shards_per_client, uint64_t seed) {
    if (shards_per_client < 1)
        throw std::invalid_argument("fed::partition_shards: shards_per_client must be >= 1, got " + std::to_string(shards_per_client));
    const int64_t n = static_cast<int64_t>(labels.size());
    require_clients(clients, n, "fed::partition_shards");
    const int64_t shards = static_cast<int64_t>(clients) * shards_per_client;
    if (n < shards)
        throw std::invalid_argument("fed::partition_shards: " + std::to_string(n) + " samples cannot make " +
                                    std::to_string(shards) + " shards");
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return labels[a] < labels[b]; });
    std::vector<int64_t> shard_ids(static_cast<size_t>(shards));
    std::iota(shard_ids.begin(), shard_ids.end(), 0);
    Generator g(seed);
    shuffle(shard_ids, g);
    Partition p(static_cast<size_t>(clients));
    for (int64_t s = 0; s < shards; ++s) {
        const int64_t id = shard_ids[s];  // shard id covers sorted positions [id n / S, (id + 1) n / S)
        auto& dst = p[static_cast<size_t>(s / shards_per_client)];
        dst.insert(dst.end(), order.begin() + id * n / shards, order.begin() + (id + 1) * n / shards);
    }
    sort_each(p);
    return p;
}

Partition partition_by_group(const std::vector<int>& groups) {
    std::map<int, std::vector<int64_t>> by_group;
    for (size_t i = 0; i < groups.size(); ++i) by_group[groups[i]].push_back(static_cast<int64_t>(i));
    Partition p;
    for (auto& [id, idx] : by_group) p.push_back(std::move(idx));
    return p;
}

std::vector<int> dataset_labels(const Dataset& data) {
    std::vector<int> out(static_cast<size_t>(data.size()));
    for (int64_t i = 0; i < data.size(); ++i) out[i] = static_cast<int>(std::lround(data.get(i).y.item()));
    return out;
}

double label_entropy(const std::vector<int>& labels, const std::vector<int64_t>& indices) {
    if (indices.empty()) return 0.0;
    std::map<int, int64_t> count;
    for (int64_t i : indices) ++count[labels.at(static_cast<size_t>(i))];
    double h = 0.0;
    for (const auto& [c, k] : count) {
        const double p = static_cast<double>(k) / static_cast<double>(indices.size());
        h -= p * std::log2(p);
    }
    return h;
}

double mean_label_entropy(const std::vector<int>& labels, const Partition& p) {
    double s = 0.0;
    for (const auto& idx : p) s += label_entropy(labels, idx);
    return p.empty() ? 0.0 : s / static_cast<double>(p.size());
}

Subset::Subset(const Dataset& base, std::vector<int64_t> indices) : base_(&base), indices_(std::move(indices)) {
    for (int64_t i : indices_)
        if (i < 0 || i >= base.size())
            throw std::out_of_range("fed::Subset: index " + std::to_string(i) + " is outside the base dataset of " +
                                    std::to_string(base.size()) + " samples");
}

Sample Subset::get(int64_t i) const {
    if (i < 0 || i >= size())
        throw std::out_of_range("fed::Subset: sample " + std::to_string(i) + " of " + std::to_string(size()));
    return base_->get(indices_[static_cast<size_t>(i)]);
}

std::vector<std::unique_ptr<Subset>> make_subsets(const Dataset& base, const Partition& p) {
    std::vector<std::unique_ptr<Subset>> out;
    for (const auto& idx : p) out.push_back(std::make_unique<Subset>(base, idx));
    return out;
}

}  // namespace iotgrad::iot::fed
