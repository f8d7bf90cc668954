// Experiment 2 (the paper's Fig. 4): training time per epoch as the number of
// windows grows, the windows generated as a stream so memory stays bounded.
#include <algorithm>
#include <memory>

#include "iot/data.hpp"
#include "iot/experiments/experiments.hpp"
#include "iot/fed/fedavg.hpp"
#include "iot/models.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::experiments {
namespace {

std::vector<int> training_subjects(const ExperimentConfig& c) {
    std::vector<int> s;
    for (int i = 0; i < c.subjects - c.test_subjects; ++i) s.push_back(i);
    return s;
}

// Prints "x% of n windows" at each further 10% once a point has run for 10 s,
// so a --full run (16 minutes for the Transformer at 1M windows) shows it is alive.
class Ticker {
public:
    Ticker(std::ostream& log, const std::string& id, int64_t n) : log_(log), id_(id), n_(n), start_(now_seconds()) {}
    void advance(int64_t windows) {
        done_ += windows;
        const int64_t decile = done_ * 10 / n_;
        if (decile <= decile_) return;
        decile_ = decile;
        const double secs = now_seconds() - start_;
        if (secs >= 10 && done_ < n_)
            log_ << "      " << id_ << ": " << decile * 10 << "% of " << n_ << " windows after "
                 << report::fmt(secs / 60, 1) << " min\n" << std::flush;
    }

private:
    std::ostream& log_;
    std::string id_;
    int64_t n_, done_ = 0, decile_ = 0;
    double start_;
};

// Windows pulled from a stream, stacked and standardised: only these exist at a time.
WindowSet next_windows(HarMultiStream& stream, int64_t n, const Standardizer& st) {
    std::vector<Window> w;
    w.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) w.push_back(stream.next_window());
    WindowSet s = stack_windows(w);
    st.apply(s.x);
    return s;
}

ScalingPoint centralized_point(const Context& ctx, const std::string& kind, int64_t n) {
    const ExperimentConfig& c = ctx.cfg;
    const HarSimulator sim(har_config(c));
    HarMultiStream stream(sim, training_subjects(c));
    auto model = make_model({kind, 128, kHarChannels, kHarClasses, c.seed});
    Ticker ticker(*ctx.log, kind, n);
    const StreamEpoch e = train_stream_epoch(*model, n, c.batch_size, c.lr, [&](int64_t count, Tensor& x, Tensor& y) {
        ticker.advance(count);
        WindowSet b = next_windows(stream, count, ctx.standardizer);
        x = b.x;
        y = b.y;
    });
    ScalingPoint p;
    p.model_id = kind;
    p.windows = n;
    p.epoch_seconds = e.seconds;
    p.generate_seconds = e.generate_seconds;
    return p;
}

// One FedAvg "epoch" over about n windows: ceil(n / (K B)) rounds in which
// every one of the K clients (one per training subject) trains one local
// epoch on its next chunk = floor(n / (K rounds)) <= B windows.
ScalingPoint federated_point(const Context& ctx, int64_t n) {
    const ExperimentConfig& c = ctx.cfg;
    const HarSimulator sim(har_config(c));
    std::vector<HarSubjectStream> streams;
    for (int s : training_subjects(c)) streams.push_back(sim.subject(s));
    const int64_t K = static_cast<int64_t>(streams.size());
    const int64_t rounds = std::max<int64_t>(1, (n + K * c.batch_size - 1) / (K * c.batch_size));
    const int64_t chunk = std::max<int64_t>(1, n / (K * rounds));
    const ModelSpec spec{"cnn", 128, kHarChannels, kHarClasses, c.seed};
    auto global = make_model(spec);
    fed::FedConfig fc;
    fc.rounds = 1;
    fc.client_fraction = 1.0;
    fc.local_epochs = 1;
    fc.batch_size = c.fed_batch_size;
    fc.lr = c.fed_lr;
    fc.optimizer = fed::LocalOptimizer::Adam;
    fc.threads = c.threads;
    ScalingPoint p;
    p.model_id = "fedavg-cnn";
    p.epoch_seconds = 0;
    p.generate_seconds = 0;
    Ticker ticker(*ctx.log, p.model_id, rounds * K * chunk);
    for (int64_t r = 0; r < rounds; ++r) {
        ticker.advance(K * chunk);
        const double t0 = now_seconds();
        std::vector<std::unique_ptr<TensorDataset>> owned;
        std::vector<const Dataset*> clients;
        for (HarSubjectStream& s : streams) {
            std::vector<Window> w;
            for (int64_t i = 0; i < chunk; ++i) w.push_back(s.next_window());
            WindowSet ws = stack_windows(w);
            ctx.standardizer.apply(ws.x);
            owned.push_back(std::make_unique<TensorDataset>(ws.x, ws.y));
            clients.push_back(owned.back().get());
        }
        const double t1 = now_seconds();
        fc.seed = stream_seed(c.seed, static_cast<uint64_t>(r));
        fed::train_federated(*global, [spec] { return make_model(spec); }, clients, fc);
        p.epoch_seconds += now_seconds() - t1;
        p.generate_seconds += t1 - t0;
    }
    p.windows = rounds * K * chunk;
    return p;
}

}  // namespace

std::vector<ScalingPoint> run_scaling(const Context& ctx, bool include_federated) {
    std::vector<std::string> ids = {"cnn", "lstm", "transformer"};
    if (include_federated) ids.push_back("fedavg-cnn");
    std::vector<ScalingPoint> out;
    for (int64_t n : ctx.cfg.scaling_sizes)
        for (const std::string& id : ids) {
            ScalingPoint p = id == "fedavg-cnn" ? federated_point(ctx, n) : centralized_point(ctx, id, n);
            p.peak_rss_mb = peak_rss_mb();
            *ctx.log << "    " << id << ": " << p.windows << " windows, one epoch in "
                     << report::fmt(p.epoch_seconds, 2) << " s (+" << report::fmt(p.generate_seconds, 2)
                     << " s simulating), peak memory " << report::fmt(p.peak_rss_mb, 0) << " MB\n"
                     << std::flush;
            out.push_back(p);
        }
    return out;
}

}  // namespace iotgrad::iot::experiments
