#include "iot/fed/central.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "iot/fed/local.hpp"
#include "iot/fed/params.hpp"
#include "iot/record.hpp"

namespace iotgrad::iot::fed {

ConcatDataset::ConcatDataset(std::vector<const Dataset*> parts) : parts_(std::move(parts)) {
    for (const Dataset* p : parts_) {
        if (!p) throw std::invalid_argument("fed::ConcatDataset: a part is null");
        starts_.push_back(total_);
        total_ += p->size();
    }
}

Sample ConcatDataset::get(int64_t i) const {
    if (i < 0 || i >= total_)
        throw std::out_of_range("fed::ConcatDataset: sample " + std::to_string(i) + " of " + std::to_string(total_));
    const size_t k = static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), i) - starts_.begin()) - 1;
    return parts_[k]->get(i - starts_[k]);
}

FedResult train_centralized(nn::Module& model, const std::vector<const Dataset*>& clients, const FedConfig& cfg,
                            int epochs, const Dataset* test, const RoundCallback& on_epoch) {
    if (epochs < 1) throw std::invalid_argument("fed::train_centralized: epochs must be >= 1, got " + std::to_string(epochs));
    const ConcatDataset all(clients);
    if (all.size() < 1) throw std::invalid_argument("fed::train_centralized: the clients hold no data");
    const Sample first = all.get(0);
    const int64_t bytes_per_sample = 4 * (first.x.numel() + first.y.numel());

    FedResult res;
    res.num_parameters = flat_size(model);
    for (int e = 1; e <= epochs; ++e) {
        // One epoch is local training with E = 1 on the union, batch order seeded by (seed, epoch).
        LocalPlan p;
        p.epochs = 1;
        p.batch_size = cfg.batch_size;
        p.lr = cfg.lr;
        p.optimizer = cfg.optimizer;
        p.momentum = cfg.local_momentum;
        p.loss = cfg.loss;
        p.shuffle_seed = stream_seed(cfg.seed, 0xCE, static_cast<uint64_t>(e));
        const LocalResult r = local_train(model, get_flat(model), all, p);
        RoundStats s;
        s.round = e;
        s.sampled = s.finished = 1;
        s.bytes_up = e == 1 ? all.size() * bytes_per_sample : 0;
        s.client_seconds = s.max_client_seconds = r.seconds;
        s.train_loss = r.mean_loss;
        s.update_norm = l2_norm(r.update);
        if (test && (e % cfg.eval_every == 0 || e == epochs)) {
            const Evaluation ev = evaluate(model, *test, cfg.loss, cfg.eval_batch_size);
            s.test_loss = ev.loss;
            s.test_accuracy = ev.accuracy;
        }
        res.total_bytes_up += s.bytes_up;
        res.total_client_seconds += s.client_seconds;
        res.rounds.push_back(s);
        if (on_epoch) on_epoch(res.rounds.back());
    }
    return res;
}

}  // namespace iotgrad::iot::fed
