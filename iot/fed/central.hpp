/// \file
/// The centralized baseline of every federated comparison: all clients'
/// data uploaded to one server and trained there, reported in the same
/// RoundStats form (one "round" = one epoch over the union) so tables and
/// CSVs put the two side by side.
///
/// Its communication is the raw data itself, sent once: every sample's input
/// and target as float32, \f$ 4 \sum_k n_k (|x| + |y|) \f$ bytes up in round 1,
/// nothing down. FedAvg instead moves \f$ 4P \f$ bytes per client per round
/// each way (P = parameters) and no sample ever leaves its device.
#pragma once
#include <vector>

#include "iot/data.hpp"
#include "iot/fed/fedavg.hpp"
#include "layers/module.hpp"

namespace iotgrad::iot::fed {

/// Trains `model` for `epochs` epochs on the union of `clients` with cfg's
/// optimizer, lr, local_momentum, batch_size (0 = full batch), loss, seed and
/// eval settings. Throws std::invalid_argument for epochs < 1 or no data.
FedResult train_centralized(nn::Module& model, const std::vector<const Dataset*>& clients, const FedConfig& cfg,
                            int epochs, const Dataset* test = nullptr, const RoundCallback& on_epoch = {});

/// The clients' datasets one after another, as one dataset (the union).
class ConcatDataset : public Dataset {
public:
    explicit ConcatDataset(std::vector<const Dataset*> parts);
    int64_t size() const override { return total_; }
    Sample get(int64_t i) const override;

private:
    std::vector<const Dataset*> parts_;
    std::vector<int64_t> starts_;
    int64_t total_ = 0;
};

}  // namespace iotgrad::iot::fed
