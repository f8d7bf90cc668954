/// \file
/// Entry point for training: federated averaging (FedAvg) and its family on
/// simulated IoT devices, all clients in one process.
///
/// H. B. McMahan, E. Moore, D. Ramage, S. Hampson, B. Agüera y Arcas,
/// "Communication-Efficient Learning of Deep Networks from Decentralized
/// Data", AISTATS 2017 (Algorithm 1). Each round t the server
///   1. samples \f$ m = \max(\lceil C K \rceil, 1) \f$ of the K clients,
///   2. sends them the global weights \f$ w_t \f$,
///   3. each client k runs E epochs of mini-batch SGD (batch B) on its
///      \f$ n_k \f$ samples, starting from \f$ w_t \f$, giving \f$ w^k_{t+1} \f$,
///   4. the server averages, weighted by sample counts:
///      \f[ w_{t+1} = \sum_{k \in S_t} \frac{n_k}{n} w^k_{t+1}, \qquad n = \sum_{k \in S_t} n_k . \f]
///
/// Clients send their update \f$ \Delta_k = w^k_{t+1} - w_t \f$ (the same
/// information), so the server step is \f$ w_{t+1} = w_t + \eta_s \bar\Delta \f$
/// with \f$ \bar\Delta = \sum_k \frac{n_k}{n}\Delta_k \f$ and server learning
/// rate \f$\eta_s = 1\f$ for plain FedAvg. The variants change one piece:
/// - FedSGD: E = 1, B = the whole local dataset, so each client takes one
///   full-batch gradient step: with C = 1 this is centralized full-batch
///   gradient descent (equation 1) on the union of the data.
/// - FedProx (Li et al., MLSys 2020): each client minimises
///   \f$ F_k(w) + \frac{\mu}{2}\lVert w - w_t \rVert^2 \f$, and the partial
///   work of stragglers is kept instead of dropped.
/// - FedAvgM (Hsu et al. 2019): server momentum
///   \f$ v_{t+1} = \beta v_t + \bar\Delta,\; w_{t+1} = w_t + \eta_s v_{t+1} \f$.
///
/// What crosses the "network" is exactly a flat vector of floats (the model's
/// state_dict, see params.hpp) each way; RoundStats counts those bytes.
///
/// Determinism: client k in round t draws everything (its batch order, whether
/// it drops out or straggles, its DP noise share) from generators seeded by
/// (seed, t, k), and the server aggregates in client order, so results are
/// identical for a seed whatever the number of OpenMP threads.
///
/// \code
/// fed::FedConfig cfg;                    // FedAvg, C = 0.1, E = 5, B = 10
/// cfg.rounds = 30;
/// auto make = [] { return iot::make_model({"cnn", 128, 9, 6, 0}); };
/// auto global = make();
/// fed::FedResult r = fed::train_federated(*global, make, client_ptrs, cfg, &test,
///                                         [](const fed::RoundStats& s) { std::cout << s.round << "\n"; });
/// \endcode
///
/// Taught in \ref tutorial_10_federated.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "iot/data.hpp"
#include "layers/module.hpp"

namespace iotgrad::iot::fed {

enum class Algorithm { FedAvg, FedSGD, FedProx, FedAvgM };
/// How the server combines client updates.
enum class Aggregator {
    Mean,        ///< weighted by n_k (FedAvg)
    Median,      ///< coordinate-wise median, unweighted
    TrimmedMean  ///< coordinate-wise mean after dropping trim_fraction at each end
};
/// Local optimizer of every client (a fresh one each round: clients keep no state).
enum class LocalOptimizer { SGD, Adam };
/// Training / evaluation loss: cross_entropy on class labels, or mse on targets.
enum class Loss { CrossEntropy, MSE };
/// What a poisoning client sends instead of its honest update \f$\Delta\f$.
enum class Poison {
    None,
    SignFlip,  ///< \f$ -s\,\Delta \f$
    Scale      ///< \f$ s\,\Delta \f$
};

/// DP-FedAvg (McMahan et al., ICLR 2018, "Learning Differentially Private
/// Recurrent Language Models"): each update is clipped to L2 norm S,
/// \f$ \tilde\Delta_k = \Delta_k \min(1, S / \lVert\Delta_k\rVert_2) \f$, and the
/// server adds Gaussian noise to their sum:
/// \f[ \bar\Delta = \frac{1}{m}\Big(\sum_{k} \tilde\Delta_k + \mathcal N(0, z^2 S^2 I)\Big) \f]
/// with noise multiplier z and m the number of sampled clients (a fixed
/// denominator, so one client changes the sum by at most S). Updates are
/// averaged with equal weights when DP is on.
struct DPConfig {
    bool enabled = false;
    double clip_norm = 1.0;         ///< S
    double noise_multiplier = 1.0;  ///< z (0: clipping only)
};

/// Everything a federated run needs; the defaults are McMahan et al.'s
/// FedAvg with C = 0.1, E = 5, B = 10.
struct FedConfig {
    Algorithm algorithm = Algorithm::FedAvg;
    int rounds = 20;
    double client_fraction = 0.1;  ///< C in (0, 1]
    int local_epochs = 5;          ///< E (FedSGD uses 1)
    int64_t batch_size = 10;       ///< B; 0 = the whole local dataset (B = infinity; FedSGD always)
    double lr = 0.05;              ///< client learning rate
    LocalOptimizer optimizer = LocalOptimizer::SGD;
    double local_momentum = 0.0;   ///< momentum of the client SGD
    double mu = 0.01;              ///< FedProx proximal weight
    double server_lr = 1.0;        ///< \f$\eta_s\f$
    double server_momentum = 0.9;  ///< FedAvgM \f$\beta\f$ (used only by FedAvgM)
    Aggregator aggregator = Aggregator::Mean;
    double trim_fraction = 0.2;    ///< TrimmedMean: fraction dropped at EACH end, in [0, 0.5)

    // ---- faults ----
    double dropout_rate = 0.0;     ///< chance a sampled client never reports back
    double straggler_rate = 0.0;   ///< chance a reporting client finishes only part of its local steps
    /// Keep a straggler's partial update (FedProx) or drop it (FedAvg, as in
    /// McMahan et al.). Unset: keep for FedProx, drop otherwise.
    std::optional<bool> keep_stragglers;
    int min_clients = 1;           ///< fewer reports than this: the round leaves the model unchanged

    // ---- robustness, privacy ----
    double poison_fraction = 0.0;  ///< fraction of the K clients that are malicious (fixed by seed)
    Poison poison = Poison::SignFlip;
    double poison_scale = 10.0;    ///< s
    DPConfig dp;
    /// Pairwise additive masks (secure_agg.hpp): the server sees only the sum.
    /// Needs Aggregator::Mean.
    bool secure_aggregation = false;

    Loss loss = Loss::CrossEntropy;
    int eval_every = 1;            ///< evaluate on the test set every this many rounds (and the last)
    int64_t eval_batch_size = 256;
    uint64_t seed = 0;
    int threads = 0;               ///< OpenMP threads for clients (0 = OpenMP's default)
};

/// What happened in one round. Lists hold client indices (0-based, into `clients`).
struct RoundStats {
    int round = 0;                     ///< 1-based
    int sampled = 0, finished = 0, missing = 0, stragglers = 0;
    std::vector<int> sampled_clients, missing_clients, straggler_clients;
    bool applied = true;               ///< false when fewer than min_clients reported
    int64_t bytes_up = 0;              ///< client -> server, this round
    int64_t bytes_down = 0;            ///< server -> clients, this round
    double client_seconds = 0.0;       ///< clients' local-training wall-clock seconds, summed
    double max_client_seconds = 0.0;   ///< the slowest client (the round's critical path)
    double train_loss = std::numeric_limits<double>::quiet_NaN();  ///< mean local loss (weighted by n_k)
    double update_norm = 0.0;          ///< \f$\lVert \bar\Delta \rVert_2\f$ of the applied step
    double dp_noise_std = 0.0;         ///< std of the noise added to \f$\bar\Delta\f$ (z S / m)
    double test_accuracy = std::numeric_limits<double>::quiet_NaN();  ///< NaN: not evaluated / not classification
    double test_loss = std::numeric_limits<double>::quiet_NaN();
};

/// A whole run.
struct FedResult {
    std::vector<RoundStats> rounds;
    int64_t num_parameters = 0;        ///< floats per model transfer
    int64_t total_bytes_up = 0, total_bytes_down = 0;
    double total_client_seconds = 0.0;
    std::vector<int> poisoned_clients; ///< the malicious clients, when poison_fraction > 0
    /// First round whose test accuracy is >= target, or -1.
    int rounds_to_accuracy(double target) const;
    /// The last evaluated round's accuracy / loss (NaN when none).
    double final_accuracy() const;
    double final_loss() const;
};

/// Called after each round (e.g. to print progress).
using RoundCallback = std::function<void(const RoundStats&)>;

/// Trains `global_model` in place with the configured algorithm.
/// `make_model` builds a fresh model of the same architecture (any weights:
/// they are overwritten); it is called on the calling thread only.
/// `clients[k]` is client k's local data; `test` (may be null) is evaluated
/// after rounds per eval_every. Throws std::invalid_argument naming the option
/// for a bad config, no clients, an empty client, or a model that does not match.
FedResult train_federated(nn::Module& global_model, const std::function<std::unique_ptr<nn::Module>()>& make_model,
                          const std::vector<const Dataset*>& clients, const FedConfig& cfg,
                          const Dataset* test = nullptr, const RoundCallback& on_round = {});

/// Throws std::invalid_argument naming the first bad option.
void validate(const FedConfig& cfg);

/// Names used by the CLI and reports, and their parsers (which throw
/// std::invalid_argument listing the valid names).
std::string algorithm_name(Algorithm a);
std::string aggregator_name(Aggregator a);
Algorithm parse_algorithm(const std::string& s);
Aggregator parse_aggregator(const std::string& s);
Poison parse_poison(const std::string& s);

}  // namespace iotgrad::iot::fed
