// Tutorial 10: federated learning on simulated wearables.
//
//   Every subject's phone keeps its own sensor windows. Instead of uploading
//   them, the phones train the model locally and only weights travel:
//
//     w_{t+1} = sum_k (n_k / n) w^k_{t+1}                 (FedAvg's server step)
//
//   Part 1: the data: 16 training subjects (one client each), 8 held-out subjects.
//   Part 2: centralized training on the union of the data (the baseline).
//   Part 3: FedAvg with IID clients, then with the natural per-subject clients.
//   Part 4: FedProx with stragglers (partial work kept) vs FedAvg (stragglers dropped).
//   Part 5: rounds to the target accuracy and bytes communicated, side by side.
//   Part 6: one round of secure aggregation, step by step.
//
// Build and run:  make tutorials   (or: build/tutorial_10_federated)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "iot/fed/central.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/partition.hpp"
#include "iot/fed/report.hpp"
#include "iot/fed/scenario.hpp"
#include "iot/fed/secure_agg.hpp"
#include "iot/models.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

/// Test accuracy after every round, as one line of percentages.
void print_curve(const std::string& name, const fed::FedResult& r) {
    std::cout << "  " << std::left << std::setw(16) << name << std::right;
    for (const fed::RoundStats& s : r.rounds) std::cout << std::setw(5) << std::fixed << std::setprecision(0) << 100.0 * s.test_accuracy;
    std::cout << "\n";
}

std::vector<const Dataset*> pointers(const std::vector<std::unique_ptr<fed::Subset>>& subsets) {
    std::vector<const Dataset*> out;
    for (const auto& s : subsets) out.push_back(s.get());
    return out;
}

std::string hex(uint64_t w) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(w));
    return buf;
}

// ---------------------------------------------------------------------------
// Part 6: secure aggregation with three clients and four-number updates
// ---------------------------------------------------------------------------

void secure_aggregation_walkthrough() {
    section("Part 6: one round of secure aggregation, step by step");
    const std::vector<int> clients{0, 1, 2};
    const std::vector<fed::Update> x{{0.50, -0.25, 0.125, 1.0}, {-0.10, 0.20, 0.30, -0.40}, {0.05, 0.05, -0.55, 0.20}};
    const uint64_t round_seed = 2024;
    std::cout << "  updates x_i (what each client would send in plain FedAvg):\n";
    for (int i : clients) {
        std::cout << "    x_" << i << " =";
        for (double v : x[i]) std::cout << std::setw(8) << std::setprecision(3) << std::fixed << v;
        std::cout << "\n";
    }
    std::cout << "  step 1: q(x) = round(x * 2^32) in 64-bit words; q(x_0[0]) = 0.5 * 2^32 = 0x"
              << hex(fed::encode_fixed(x[0][0])) << "\n";
    std::cout << "  step 2: each pair (i, j), i < j, expands a shared seed into a mask m_ij; i adds it, j subtracts it.\n";
    std::cout << "          m_01[0] = 0x" << hex(fed::pair_mask(fed::pair_seed(round_seed, 0, 1), 4)[0])
              << ", m_02[0] = 0x" << hex(fed::pair_mask(fed::pair_seed(round_seed, 0, 2), 4)[0]) << "\n";
    std::vector<fed::Masked> y;
    for (int i : clients) y.push_back(fed::mask_update(x[i], i, clients, round_seed));
    std::cout << "  step 3: what the server receives, y_i = q(x_i) + sum_{j>i} m_ij - sum_{j<i} m_ji (decoded as numbers):\n";
    for (int i : clients) {
        std::cout << "    y_" << i << " =";
        for (uint64_t w : y[i]) std::cout << std::setw(16) << std::setprecision(0) << fed::decode_fixed(w);
        std::cout << "\n";
    }
    const fed::Masked sum = fed::sum_masked({&y[0], &y[1], &y[2]});
    const fed::Update s = fed::decode_sum(sum);
    std::cout << "  step 4: the server adds them; every mask appears once with + and once with -:\n    sum  =";
    for (double v : s) std::cout << std::setw(8) << std::setprecision(3) << v;
    std::cout << "   (x_0 + x_1 + x_2 exactly)\n";

    // Client 2 drops out after the masks were agreed: only y_0 and y_1 arrive.
    fed::Masked partial = fed::sum_masked({&y[0], &y[1]});
    std::cout << "  dropout: client 2 never reports; y_0 + y_1 still holds m_02 and m_12:\n    sum  =";
    for (double v : fed::decode_sum(partial)) std::cout << std::setw(16) << std::setprecision(0) << v;
    fed::remove_dropped_masks(partial, {0, 1}, {2}, round_seed);
    std::cout << "\n  recovery: clients 0 and 1 reveal their seeds with client 2; the server removes m_02, m_12:\n    sum  =";
    for (double v : fed::decode_sum(partial)) std::cout << std::setw(8) << std::setprecision(3) << v;
    std::cout << "   (x_0 + x_1)\n";
}

}  // namespace

int main() {
    const auto start = std::chrono::steady_clock::now();

    // -----------------------------------------------------------------------
    // Part 1: the data
    // -----------------------------------------------------------------------
    section("Part 1: wearable windows, one client per subject");
    HarConfig hc;       // the simulator's defaults, with 64-sample windows (1.28 s) to keep the tutorial fast
    hc.window = 64;
    hc.step = 32;
    const int train_subjects = 16, test_subjects = 8, windows = 30;
    const fed::FedData data = fed::har_data(hc, train_subjects, test_subjects, windows);
    const std::vector<int> labels = fed::dataset_labels(*data.train);
    const fed::Partition natural = fed::partition_by_group(data.train_device);
    const fed::Partition iid = fed::partition_iid(data.train->size(), train_subjects, 1);
    std::cout << "  " << data.train->size() << " training windows from " << train_subjects << " subjects, "
              << data.test->size() << " test windows from " << test_subjects << " other subjects, [" << data.window
              << " x " << data.channels << "] each\n";
    std::cout << std::setprecision(2) << std::fixed << "  mean label entropy per client: natural "
              << fed::mean_label_entropy(labels, natural) << " bits, IID " << fed::mean_label_entropy(labels, iid)
              << " bits (6 balanced classes: " << std::log2(6.0) << ")\n";
    const auto natural_clients = fed::make_subsets(*data.train, natural);
    const auto iid_clients = fed::make_subsets(*data.train, iid);

    const ModelSpec spec{"cnn", data.window, data.channels, data.classes, 0};
    auto make = [&spec] { return make_model(spec); };
    fed::FedConfig cfg;
    cfg.rounds = 20;
    cfg.client_fraction = 0.5;  // C: 8 of 16 clients per round
    cfg.local_epochs = 5;       // E
    cfg.batch_size = 10;        // B
    cfg.lr = 0.1;               // plain SGD on the clients, as in McMahan et al.
    std::cout << "  model: " << spec.kind << ", " << fed::flat_size(*make()) << " parameters = "
              << fed::format_bytes(4 * fed::flat_size(*make())) << " per transfer\n";

    // -----------------------------------------------------------------------
    // Part 2: centralized baseline
    // -----------------------------------------------------------------------
    section("Part 2: centralized training on the union (the baseline)");
    auto central_model = make();
    const fed::FedResult central = fed::train_centralized(*central_model, pointers(natural_clients), cfg, 8, data.test.get());
    std::cout << "  test accuracy (%) after each epoch:\n";
    print_curve("centralized", central);
    const double target = central.final_accuracy() - 0.03;
    std::cout << "  target for the federated runs: centralized - 3 points = " << std::setprecision(1) << 100.0 * target << "%\n";

    // -----------------------------------------------------------------------
    // Part 3: FedAvg, IID and natural
    // -----------------------------------------------------------------------
    section("Part 3: FedAvg, IID clients vs one client per subject");
    auto run = [&](const fed::FedConfig& c, const std::vector<std::unique_ptr<fed::Subset>>& clients) {
        auto global = make();
        return fed::train_federated(*global, make, pointers(clients), c, data.test.get());
    };
    const fed::FedResult fedavg_iid = run(cfg, iid_clients);
    const fed::FedResult fedavg_natural = run(cfg, natural_clients);
    std::cout << "  test accuracy (%) after each round:\n";
    print_curve("FedAvg IID", fedavg_iid);
    print_curve("FedAvg natural", fedavg_natural);

    // -----------------------------------------------------------------------
    // Part 4: stragglers
    // -----------------------------------------------------------------------
    section("Part 4: 30% stragglers: FedAvg drops them, FedProx keeps their partial work");
    fed::FedConfig slow = cfg;
    slow.rounds = 12;  // shorter, to keep the tutorial quick
    slow.straggler_rate = 0.3;
    const fed::FedResult fedavg_slow = run(slow, natural_clients);
    slow.algorithm = fed::Algorithm::FedProx;
    slow.mu = 0.01;
    const fed::FedResult fedprox_slow = run(slow, natural_clients);
    print_curve("FedAvg, drop", fedavg_slow);
    print_curve("FedProx, keep", fedprox_slow);
    int dropped = 0;
    for (const fed::RoundStats& s : fedavg_slow.rounds) dropped += s.stragglers;
    std::cout << "  FedAvg discarded " << dropped << " straggler updates over " << slow.rounds << " rounds\n";

    // -----------------------------------------------------------------------
    // Part 5: the accounting
    // -----------------------------------------------------------------------
    section("Part 5: rounds to target and bytes communicated");
    fed::write_summary(std::cout, {{"centralized", &central}, {"fedavg-iid", &fedavg_iid},
                                   {"fedavg-natural", &fedavg_natural}, {"fedavg-stragglers", &fedavg_slow},
                                   {"fedprox-stragglers", &fedprox_slow}}, target);
    std::cout << "  (centralized: 'rounds' are epochs, and its upload is the raw windows themselves)\n";

    secure_aggregation_walkthrough();

    std::cout << "\ntotal time: " << std::setprecision(1)
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n";
    return 0;
}
