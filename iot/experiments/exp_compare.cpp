// Experiment 1 (the paper's Fig. 3): train the four models, measure each.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

#include "iot/data.hpp"
#include "iot/experiments/experiments.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/models.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::experiments {
namespace {

ModelSpec spec_for(const ExperimentConfig& cfg, const std::string& kind) {
    return ModelSpec{kind, 128, kHarChannels, kHarClasses, cfg.seed};
}

// Everything that does not depend on how the model was trained.
void measure_inference(const Context& ctx, nn::Module& model, ModelResult& r) {
    const ExperimentConfig& c = ctx.cfg;
    const Scores s = evaluate(model, ctx.test);
    r.accuracy = s.accuracy;
    r.precision = s.precision;
    r.recall = s.recall;
    r.f1 = s.f1;
    r.test_windows = ctx.test.size();
    const std::vector<double> ms = batch1_latencies_ms(model, ctx.test.x, c.latency_repeats);
    r.latency_median_ms = percentile(ms, 50);
    r.latency_p99_ms = percentile(ms, 99);
    r.throughput_wps = throughput_wps(model, ctx.test.x, c.throughput_batch, c.throughput_min_seconds);
    r.parameters = model.num_parameters();
    r.size_bytes = 4 * r.parameters;
    r.macs = macs_per_sample(spec_for(c, r.model.kind));
}

void log_result(std::ostream& log, const ModelResult& r) {
    log << "    " << r.model.label << ": accuracy " << report::fmt(100 * r.accuracy, 1) << "%, macro F1 "
        << report::fmt(100 * r.f1, 1) << "%, trained in " << report::fmt(r.train_seconds, 1)
        << " s, latency " << report::fmt(r.latency_median_ms, 3) << " ms (p99 "
        << report::fmt(r.latency_p99_ms, 3) << "), " << report::fmt(r.throughput_wps, 0) << " windows/s\n";
}

ModelResult train_centralized(const Context& ctx, const ModelEntry& e, std::unique_ptr<nn::Module>& model) {
    const ExperimentConfig& c = ctx.cfg;
    std::ostream& log = *ctx.log;
    model = make_model(spec_for(c, e.kind));
    ModelResult r;
    r.model = e;
    log << "  training " << e.label << " on " << ctx.train.size() << " windows for " << c.epochs << " epochs\n";
    const TrainStats st = train_classifier(*model, ctx.train, {c.epochs, c.batch_size, c.lr, c.seed},
                                           [&](int epoch, double loss, double secs) {
                                               log << "    epoch " << epoch << "/" << c.epochs << "  loss "
                                                   << report::fmt(loss, 4) << "  " << report::fmt(secs, 1)
                                                   << " s\n" << std::flush;
                                           });
    r.train_seconds = st.seconds;
    r.train_windows = ctx.train.size();
    r.epochs = c.epochs;
    r.final_loss = st.epoch_loss.back();
    return r;
}

// FedAvg (McMahan et al. 2017) of the CNN: one client per training subject,
// Adam locally (a fresh one each round: clients keep no state), cfg.fed_rounds rounds.
ModelResult train_fedavg(const Context& ctx, const ModelEntry& e, std::unique_ptr<nn::Module>& model) {
    const ExperimentConfig& c = ctx.cfg;
    std::ostream& log = *ctx.log;
    std::map<int, std::vector<int64_t>> rows;  // subject -> its windows
    for (int64_t i = 0; i < ctx.train.size(); ++i) rows[ctx.train.subject[static_cast<size_t>(i)]].push_back(i);
    std::vector<std::unique_ptr<TensorDataset>> owned;
    std::vector<const Dataset*> clients;
    for (const auto& [subject, idx] : rows) {
        Tensor x = Tensor::empty({static_cast<int64_t>(idx.size()), ctx.train.x.size(1), ctx.train.x.size(2)});
        Tensor y = Tensor::empty({static_cast<int64_t>(idx.size())});
        for (size_t k = 0; k < idx.size(); ++k) {
            x.select(0, static_cast<int64_t>(k)).copy_(ctx.train.x.select(0, idx[k]));
            y.data()[k] = ctx.train.y.data()[idx[k]];
        }
        owned.push_back(std::make_unique<TensorDataset>(x, y));
        clients.push_back(owned.back().get());
    }
    fed::FedConfig fc;
    fc.rounds = c.fed_rounds;
    fc.client_fraction = c.fed_client_fraction;
    fc.local_epochs = c.fed_local_epochs;
    fc.batch_size = c.fed_batch_size;
    fc.lr = c.fed_lr;
    fc.optimizer = fed::LocalOptimizer::Adam;
    fc.eval_every = c.fed_rounds;
    fc.seed = c.seed;
    fc.threads = c.threads;
    log << "  training " << e.label << ": " << clients.size() << " clients (one per subject), " << fc.rounds
        << " rounds, " << fc.client_fraction * 100 << "% of clients per round, " << fc.local_epochs
        << " local epoch(s), batch " << fc.batch_size << "\n";
    const ModelSpec spec = spec_for(c, e.kind);
    model = make_model(spec);
    const double start = now_seconds();
    const fed::FedResult fr = fed::train_federated(
        *model, [spec] { return make_model(spec); }, clients, fc, nullptr, [&](const fed::RoundStats& s) {
            log << "    round " << s.round << "/" << fc.rounds << "  clients " << s.finished << "  loss "
                << report::fmt(s.train_loss, 4) << "\n" << std::flush;
        });
    ModelResult r;
    r.model = e;
    r.train_seconds = now_seconds() - start;
    r.train_windows = ctx.train.size();
    r.epochs = fc.rounds;
    r.final_loss = fr.rounds.empty() ? kNaN : fr.rounds.back().train_loss;
    return r;
}

}  // namespace

std::vector<ModelResult> run_comparison(const Context& ctx, std::vector<TrainedModel>& trained,
                                        std::string& fed_note) {
    std::vector<ModelResult> out;
    for (const ModelEntry& e : model_entries(ctx.cfg.federated)) {
        std::unique_ptr<nn::Module> model;
        ModelResult r;
        if (e.federated) {
            try {
                r = train_fedavg(ctx, e, model);
            } catch (const std::exception& ex) {
                fed_note = std::string("FedAvg training failed and is left out: ") + ex.what();
                *ctx.log << "  " << fed_note << "\n";
                continue;
            }
        } else {
            r = train_centralized(ctx, e, model);
        }
        measure_inference(ctx, *model, r);
        log_result(*ctx.log, r);
        out.push_back(r);
        trained.push_back({e, std::move(model)});
    }
    return out;
}

}  // namespace iotgrad::iot::experiments
