#include "iot/fed/fedavg.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "iot/fed/aggregate.hpp"
#include "iot/fed/local.hpp"
#include "iot/fed/params.hpp"
#include "iot/fed/secure_agg.hpp"
#include "iot/record.hpp"
#include "tensor/parallel.hpp"
#include "tensor/random.hpp"

namespace iotgrad::iot::fed {

namespace {

// Sub-stream tags, so the sampling, poisoning and noise generators never share a stream.
constexpr uint64_t kSampleTag = 0x5A11, kPoisonTag = 0xBAD, kNoiseTag = 0xD9, kMaskTag = 0x3A5C;

/// One sampled client's fate this round, drawn from its own generator (seed, round, client).
struct Job {
    int client = 0;
    bool dropped = false, straggler = false;
    double work_fraction = 1.0;
    uint64_t shuffle_seed = 0;
    int64_t samples = 0;  ///< n_k (the server knows every client's count)
};

Job draw_job(const FedConfig& cfg, int round, int client) {
    Generator g(stream_seed(cfg.seed, static_cast<uint64_t>(round), static_cast<uint64_t>(client)));
    Job j;
    j.client = client;
    j.dropped = g.uniform() < cfg.dropout_rate;     // every draw is made whatever the rates,
    j.straggler = g.uniform() < cfg.straggler_rate;  // so changing one rate does not reshuffle the rest
    j.work_fraction = g.uniform();
    j.shuffle_seed = g.next_u64();
    return j;
}

/// m of K clients without replacement (partial Fisher–Yates), returned in increasing order.
std::vector<int> sample_clients(int K, int m, uint64_t seed, int round) {
    std::vector<int> ids(static_cast<size_t>(K));
    for (int k = 0; k < K; ++k) ids[k] = k;
    Generator g(stream_seed(seed, kSampleTag, static_cast<uint64_t>(round)));
    for (int i = 0; i < m; ++i) std::swap(ids[i], ids[i + static_cast<int>(g.below(static_cast<uint64_t>(K - i)))]);
    ids.resize(static_cast<size_t>(m));
    std::sort(ids.begin(), ids.end());
    return ids;
}

LocalPlan plan_for(const FedConfig& cfg) {
    LocalPlan p;
    p.lr = cfg.lr;
    p.loss = cfg.loss;
    if (cfg.algorithm == Algorithm::FedSGD) {  // one full-batch gradient step per client
        p.epochs = 1;
        p.batch_size = 0;
        return p;
    }
    p.epochs = cfg.local_epochs;
    p.batch_size = cfg.batch_size;
    p.optimizer = cfg.optimizer;
    p.momentum = cfg.local_momentum;
    if (cfg.algorithm == Algorithm::FedProx) p.mu = cfg.mu;
    return p;
}

/// \f$ -s\Delta \f$ or \f$ s\Delta \f$: what a poisoning client sends.
void poison_update(Update& u, const FedConfig& cfg) {
    const double f = cfg.poison == Poison::SignFlip ? -cfg.poison_scale : cfg.poison == Poison::Scale ? cfg.poison_scale : 1.0;
    for (double& x : u) x *= f;
}

/// Runs the jobs' local training, in parallel over clients. Each job gets its
/// own fresh model, loaded with the global weights, so nothing depends on
/// which thread ran it.
std::vector<LocalResult> run_clients(const std::vector<Job>& jobs, std::vector<std::unique_ptr<nn::Module>>& models,
                                     const std::vector<float>& global, const std::vector<const Dataset*>& clients,
                                     const FedConfig& cfg) {
    const LocalPlan base = plan_for(cfg);
    std::vector<LocalResult> out(jobs.size());
    std::vector<std::string> errors(jobs.size());
    const int n = static_cast<int>(jobs.size());
    auto work = [&](int i) {
        const Job& j = jobs[i];
        if (j.dropped) return;
        try {
            LocalPlan p = base;
            p.shuffle_seed = j.shuffle_seed;
            if (j.straggler) {  // finishes only a fraction of its E * ceil(n_k / B) steps
                const int64_t B = (p.batch_size <= 0 || p.batch_size > j.samples) ? j.samples : p.batch_size;
                const int64_t planned = p.epochs * ((j.samples + B - 1) / B);
                p.max_steps = std::max<int64_t>(1, static_cast<int64_t>(std::floor(j.work_fraction * static_cast<double>(planned))));
            }
            set_flat(*models[i], global);
            out[i] = local_train(*models[i], global, *clients[j.client], p);
        } catch (const std::exception& e) {
            errors[i] = "client " + std::to_string(j.client) + ": " + e.what();
        }
    };
#if defined(_OPENMP)
    const int threads = cfg.threads > 0 ? cfg.threads : max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int i = 0; i < n; ++i) work(i);
#else
    for (int i = 0; i < n; ++i) work(i);
#endif
    for (const std::string& e : errors)
        if (!e.empty()) throw std::runtime_error("fed::train_federated: " + e);
    return out;
}

/// Secure aggregation of the reporting clients' updates: each pre-scales its
/// update so that the plain sum is the wanted mean, masks it (secure_agg.hpp),
/// and the server only ever adds masked vectors, then removes the masks of
/// the sampled clients that never reported.
/// Weighted: \f$ x_k = \frac{n_k}{N_S}\Delta_k \f$ with \f$ N_S \f$ the
/// sampled clients' total, and the server rescales the sum by \f$ N_S / N_R \f$
/// (R = those who reported). DP: \f$ x_k = \tilde\Delta_k / m \f$.
Update secure_mean(const FedConfig& cfg, const std::vector<Job>& jobs, const std::vector<LocalResult>& reports,
                   const std::vector<size_t>& reporting, int round) {
    std::vector<int> participants, survivors, dropped;
    double n_sampled = 0.0, n_reporting = 0.0;
    for (const Job& j : jobs) {
        participants.push_back(j.client);
        n_sampled += static_cast<double>(j.samples);
    }
    const uint64_t round_seed = stream_seed(cfg.seed, kMaskTag, static_cast<uint64_t>(round));
    std::vector<Masked> masked;
    for (size_t i : reporting) {
        Update x = reports[i].update;
        const double scale = cfg.dp.enabled ? 1.0 / static_cast<double>(jobs.size())
                                            : static_cast<double>(reports[i].samples) / n_sampled;
        for (double& v : x) v *= scale;
        masked.push_back(mask_update(x, jobs[i].client, participants, round_seed));
        survivors.push_back(jobs[i].client);
        n_reporting += static_cast<double>(reports[i].samples);
    }
    for (const Job& j : jobs)
        if (std::find(survivors.begin(), survivors.end(), j.client) == survivors.end()) dropped.push_back(j.client);
    std::vector<const Masked*> received;
    for (const Masked& y : masked) received.push_back(&y);
    Masked sum = sum_masked(received);
    remove_dropped_masks(sum, survivors, dropped, round_seed);
    Update mean = decode_sum(sum);
    if (!cfg.dp.enabled)
        for (double& v : mean) v *= n_sampled / n_reporting;
    return mean;
}

/// The server's aggregate \f$\bar\Delta\f$ of the reporting clients' updates
/// (already poisoned and clipped where configured), plus the DP noise
/// \f$\mathcal N(0, (zS/m)^2)\f$ on the mean; fills s.dp_noise_std.
Update aggregate(const FedConfig& cfg, const std::vector<Job>& jobs, const std::vector<LocalResult>& reports,
                 const std::vector<size_t>& reporting, int round, RoundStats& s) {
    const double m_sampled = static_cast<double>(jobs.size());
    std::vector<const Update*> ups;
    std::vector<double> weights;
    for (size_t i : reporting) {
        ups.push_back(&reports[i].update);
        weights.push_back(static_cast<double>(reports[i].samples));
    }
    Update agg;
    if (cfg.secure_aggregation) {
        agg = secure_mean(cfg, jobs, reports, reporting, round);
    } else if (cfg.aggregator == Aggregator::Median) {
        agg = coordinate_median(ups);
    } else if (cfg.aggregator == Aggregator::TrimmedMean) {
        agg = trimmed_mean(ups, cfg.trim_fraction);
    } else if (cfg.dp.enabled) {  // equal weights, fixed denominator m
        agg.assign(ups[0]->size(), 0.0);
        for (const Update* u : ups)
            for (size_t i = 0; i < agg.size(); ++i) agg[i] += (*u)[i] / m_sampled;
    } else {
        agg = weighted_mean(ups, weights);
    }
    if (cfg.dp.enabled && cfg.dp.noise_multiplier > 0) {
        s.dp_noise_std = cfg.dp.noise_multiplier * cfg.dp.clip_norm / m_sampled;
        Generator g(stream_seed(cfg.seed, kNoiseTag, static_cast<uint64_t>(round)));
        add_gaussian_noise(agg, s.dp_noise_std, g);
    }
    return agg;
}

/// The server's view of a round, in client order: who reported and who was
/// missing (dropouts, and stragglers unless kept). Poisons and clips the
/// reporters' updates where configured, and fills the counts, lists, mean
/// training loss, compute seconds and bytes of s. Returns the reporters' positions.
std::vector<size_t> server_view(const FedConfig& cfg, const std::vector<Job>& jobs, std::vector<LocalResult>& reports,
                                const std::vector<int>& poisoned, bool keep_stragglers, int64_t P, RoundStats& s) {
    std::vector<size_t> reporting;
    double loss_sum = 0.0, loss_n = 0.0;
    for (size_t i = 0; i < jobs.size(); ++i) {
        const Job& j = jobs[i];
        s.sampled_clients.push_back(j.client);
        s.client_seconds += reports[i].seconds;
        s.max_client_seconds = std::max(s.max_client_seconds, reports[i].seconds);
        if (j.straggler && !j.dropped) s.straggler_clients.push_back(j.client);
        if (j.dropped || (j.straggler && !keep_stragglers)) {
            s.missing_clients.push_back(j.client);
            continue;
        }
        if (std::binary_search(poisoned.begin(), poisoned.end(), j.client)) poison_update(reports[i].update, cfg);
        if (cfg.dp.enabled) clip_to_norm(reports[i].update, cfg.dp.clip_norm);
        reporting.push_back(i);
        loss_sum += reports[i].mean_loss * static_cast<double>(reports[i].samples);
        loss_n += static_cast<double>(reports[i].samples);
    }
    s.sampled = static_cast<int>(jobs.size());
    s.finished = static_cast<int>(reporting.size());
    s.missing = static_cast<int>(s.missing_clients.size());
    s.stragglers = static_cast<int>(s.straggler_clients.size());
    if (loss_n > 0) s.train_loss = loss_sum / loss_n;
    s.bytes_down = static_cast<int64_t>(jobs.size()) * P * 4;  // the model, float32, to every sampled client
    s.bytes_up = static_cast<int64_t>(reporting.size()) * P * (cfg.secure_aggregation ? kSecAggBytesPerValue : 4);
    return reporting;
}

/// The server step \f$ w_{t+1} = w_t + \eta_s \bar\Delta \f$, or with FedAvgM
/// \f$ v_{t+1} = \beta v_t + \bar\Delta,\; w_{t+1} = w_t + \eta_s v_{t+1} \f$,
/// in double, rounded once to float. With one client and \f$\eta_s = 1\f$
/// this gives back the client's weights bit for bit.
void server_step(const FedConfig& cfg, const Update& agg, std::vector<double>& velocity, std::vector<float>& global,
                 RoundStats& s) {
    Update step = agg;
    if (cfg.algorithm == Algorithm::FedAvgM) {
        for (size_t i = 0; i < step.size(); ++i) velocity[i] = cfg.server_momentum * velocity[i] + agg[i];
        step = velocity;
    }
    for (double& v : step) v *= cfg.server_lr;
    s.update_norm = l2_norm(step);
    for (size_t i = 0; i < global.size(); ++i) global[i] = static_cast<float>(static_cast<double>(global[i]) + step[i]);
}

}  // namespace

void validate(const FedConfig& c) {
    auto bad = [](const std::string& what, const std::string& rule, double v) {
        throw std::invalid_argument("fed::FedConfig: " + what + " must be " + rule + ", got " + std::to_string(v));
    };
    if (c.rounds < 1) bad("rounds", ">= 1", c.rounds);
    if (!(c.client_fraction > 0.0 && c.client_fraction <= 1.0)) bad("client_fraction (C)", "in (0, 1]", c.client_fraction);
    if (c.local_epochs < 1) bad("local_epochs (E)", ">= 1", c.local_epochs);
    if (c.batch_size < 0) bad("batch_size (B)", ">= 0 (0 = full local dataset)", static_cast<double>(c.batch_size));
    if (!(c.lr > 0.0 && std::isfinite(c.lr))) bad("lr", "> 0", c.lr);
    if (!(c.local_momentum >= 0.0 && c.local_momentum < 1.0)) bad("local_momentum", "in [0, 1)", c.local_momentum);
    if (!(c.mu >= 0.0)) bad("mu", ">= 0", c.mu);
    if (!(c.server_lr > 0.0)) bad("server_lr", "> 0", c.server_lr);
    if (!(c.server_momentum >= 0.0 && c.server_momentum < 1.0)) bad("server_momentum", "in [0, 1)", c.server_momentum);
    if (!(c.trim_fraction >= 0.0 && c.trim_fraction < 0.5)) bad("trim_fraction", "in [0, 0.5)", c.trim_fraction);
    if (!(c.dropout_rate >= 0.0 && c.dropout_rate < 1.0)) bad("dropout_rate", "in [0, 1)", c.dropout_rate);
    if (!(c.straggler_rate >= 0.0 && c.straggler_rate <= 1.0)) bad("straggler_rate", "in [0, 1]", c.straggler_rate);
    if (c.min_clients < 1) bad("min_clients", ">= 1", c.min_clients);
    if (!(c.poison_fraction >= 0.0 && c.poison_fraction < 1.0)) bad("poison_fraction", "in [0, 1)", c.poison_fraction);
    if (c.dp.enabled && !(c.dp.clip_norm > 0.0)) bad("dp.clip_norm", "> 0", c.dp.clip_norm);
    if (c.dp.enabled && !(c.dp.noise_multiplier >= 0.0)) bad("dp.noise_multiplier", ">= 0", c.dp.noise_multiplier);
    if (c.eval_every < 1) bad("eval_every", ">= 1", c.eval_every);
    if (c.eval_batch_size < 1) bad("eval_batch_size", ">= 1", static_cast<double>(c.eval_batch_size));
    if (c.secure_aggregation && c.aggregator != Aggregator::Mean)
        throw std::invalid_argument("fed::FedConfig: secure_aggregation needs aggregator mean (the server only sees the sum, "
                                    "so it cannot take a median or trim), got " + aggregator_name(c.aggregator));
}

FedResult train_federated(nn::Module& global_model, const std::function<std::unique_ptr<nn::Module>()>& make_model,
                          const std::vector<const Dataset*>& clients, const FedConfig& cfg, const Dataset* test,
                          const RoundCallback& on_round) {
    validate(cfg);
    if (!make_model) throw std::invalid_argument("fed::train_federated: make_model is empty");
    if (clients.empty()) throw std::invalid_argument("fed::train_federated: no clients");
    for (size_t k = 0; k < clients.size(); ++k)
        if (!clients[k] || clients[k]->size() < 1)
            throw std::invalid_argument("fed::train_federated: client " + std::to_string(k) + " has no data");
    require_same_layout(global_model, *make_model(), "fed::train_federated");

    const int K = static_cast<int>(clients.size());
    const int m = std::clamp(static_cast<int>(std::ceil(cfg.client_fraction * K - 1e-9)), 1, K);
    std::vector<float> global = get_flat(global_model);
    const int64_t P = static_cast<int64_t>(global.size());
    std::vector<double> velocity(global.size(), 0.0);  // FedAvgM

    FedResult res;
    res.num_parameters = P;
    const int n_poison = static_cast<int>(std::floor(cfg.poison_fraction * K + 0.5));
    if (n_poison > 0) res.poisoned_clients = sample_clients(K, n_poison, stream_seed(cfg.seed, kPoisonTag), 0);
    const bool keep_stragglers = cfg.keep_stragglers.value_or(cfg.algorithm == Algorithm::FedProx);

    for (int t = 1; t <= cfg.rounds; ++t) {
        RoundStats s;
        s.round = t;
        std::vector<Job> jobs;
        for (int k : sample_clients(K, m, cfg.seed, t)) {
            jobs.push_back(draw_job(cfg, t, k));
            jobs.back().samples = clients[k]->size();
        }
        std::vector<std::unique_ptr<nn::Module>> models(jobs.size());
        for (size_t i = 0; i < jobs.size(); ++i)
            if (!jobs[i].dropped) models[i] = make_model();
        std::vector<LocalResult> reports = run_clients(jobs, models, global, clients, cfg);

        const std::vector<size_t> reporting = server_view(cfg, jobs, reports, res.poisoned_clients, keep_stragglers, P, s);
        s.applied = !reporting.empty() && s.finished >= cfg.min_clients;
        if (s.applied) {
            server_step(cfg, aggregate(cfg, jobs, reports, reporting, t, s), velocity, global, s);
            set_flat(global_model, global);
        }
        if (test && (t % cfg.eval_every == 0 || t == cfg.rounds)) {
            const Evaluation ev = evaluate(global_model, *test, cfg.loss, cfg.eval_batch_size);
            s.test_loss = ev.loss;
            s.test_accuracy = ev.accuracy;
        }
        res.total_bytes_up += s.bytes_up;
        res.total_bytes_down += s.bytes_down;
        res.total_client_seconds += s.client_seconds;
        res.rounds.push_back(s);
        if (on_round) on_round(res.rounds.back());
    }
    return res;
}

int FedResult::rounds_to_accuracy(double target) const {
    for (const RoundStats& s : rounds)
        if (!std::isnan(s.test_accuracy) && s.test_accuracy >= target) return s.round;
    return -1;
}

double FedResult::final_accuracy() const {
    for (auto it = rounds.rbegin(); it != rounds.rend(); ++it)
        if (!std::isnan(it->test_loss)) return it->test_accuracy;
    return std::nan("");
}

double FedResult::final_loss() const {
    for (auto it = rounds.rbegin(); it != rounds.rend(); ++it)
        if (!std::isnan(it->test_loss)) return it->test_loss;
    return std::nan("");
}

std::string algorithm_name(Algorithm a) {
    switch (a) {
        case Algorithm::FedAvg: return "fedavg";
        case Algorithm::FedSGD: return "fedsgd";
        case Algorithm::FedProx: return "fedprox";
        case Algorithm::FedAvgM: return "fedavgm";
    }
    return "?";
}

std::string aggregator_name(Aggregator a) {
    switch (a) {
        case Aggregator::Mean: return "mean";
        case Aggregator::Median: return "median";
        case Aggregator::TrimmedMean: return "trimmed_mean";
    }
    return "?";
}

Algorithm parse_algorithm(const std::string& s) {
    for (Algorithm a : {Algorithm::FedAvg, Algorithm::FedSGD, Algorithm::FedProx, Algorithm::FedAvgM})
        if (s == algorithm_name(a)) return a;
    throw std::invalid_argument("unknown algorithm \"" + s + "\" (expected fedavg, fedsgd, fedprox or fedavgm)");
}

Aggregator parse_aggregator(const std::string& s) {
    for (Aggregator a : {Aggregator::Mean, Aggregator::Median, Aggregator::TrimmedMean})
        if (s == aggregator_name(a)) return a;
    throw std::invalid_argument("unknown aggregator \"" + s + "\" (expected mean, median or trimmed_mean)");
}

Poison parse_poison(const std::string& s) {
    if (s == "none") return Poison::None;
    if (s == "sign_flip") return Poison::SignFlip;
    if (s == "scale") return Poison::Scale;
    throw std::invalid_argument("unknown poison \"" + s + "\" (expected none, sign_flip or scale)");
}

}  // namespace iotgrad::iot::fed
