// Models section of iotgrad_bench: the five reference models of
// /work/shared/bench/torch_reference.py (built by iot::make_model with the same
// shapes and parameter counts), timed the way that script times them:
//   - training: batch 64, Adam(lr 1e-3); one step = forward + loss + zero_grad +
//     backward + step, over 8 distinct synthetic batches in turn; samples/s from
//     the median time per step (TimingRule), at each requested thread count;
//   - batch-1 latency: individually timed calls over 64 distinct samples, median,
//     in eval mode without gradients, at the largest thread count;
//   - batch-256 throughput: eval, no gradients, 4 distinct batches, median.
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

#include "bench.hpp"
#include "iot/models.hpp"
#include "layers/loss.hpp"
#include "optim/adam.hpp"
#include "tensor/parallel.hpp"

namespace iotgrad::bench {
namespace {

constexpr int64_t kWindow = 128, kChannels = 9, kClasses = 6;
constexpr int64_t kTrainBatch = 64, kInferBatch = 256;

struct Batch {
    Tensor x;  // [B, 128, 9]
    Tensor y;  // [B] class indices as floats
};

std::vector<Batch> synthetic_batches(int64_t batch, int count, uint64_t seed) {
    Generator gen(seed);
    std::vector<Batch> out;
    for (int i = 0; i < count; ++i) {
        Batch b;
        b.x = Tensor::randn({batch, kWindow, kChannels}, gen);
        std::vector<float> labels(static_cast<size_t>(batch));
        for (float& l : labels) l = static_cast<float>(gen.below(kClasses));
        b.y = Tensor::from({batch}, labels);
        out.push_back(std::move(b));
    }
    return out;
}

iot::ModelSpec spec_of(const ModelCase& c) {
    iot::ModelSpec s;
    s.kind = c.kind;
    s.window = kWindow;
    s.channels = kChannels;
    s.outputs = kClasses;
    s.seed = 0;
    return s;
}

/// Cross-entropy for classifiers, MSE reconstruction for the autoencoder (as the reference).
Variable loss_of(bool autoencoder, const Variable& out, const Batch& b) {
    if (autoencoder) return nn::mse_loss(out, b.x.reshape({b.x.size(0), kWindow * kChannels}));
    return cross_entropy(out, b.y);
}

double train_samples_per_s(const ModelCase& c, int threads, const TimingRule& rule) {
    set_num_threads(threads);
    const std::function<void()> step = train_step(c);
    return static_cast<double>(kTrainBatch) / seconds_per_call(step, rule);
}

/// Median of `calls` individually timed batch-1 forward passes (after `warmup` untimed ones).
double latency_b1_ms(nn::Module& model, int calls, int warmup) {
    using clock = std::chrono::steady_clock;
    const std::vector<Batch> xs = synthetic_batches(1, 64, 2);
    size_t next = 0;
    for (int i = 0; i < warmup; ++i) (void)model(Variable(xs[next++ % xs.size()].x));
    std::vector<double> ms;
    ms.reserve(static_cast<size_t>(calls));
    for (int i = 0; i < calls; ++i) {
        const Variable x(xs[next++ % xs.size()].x);
        const auto t0 = clock::now();
        Variable y = model(x);
        ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const size_t h = ms.size() / 2;
    return ms.size() % 2 ? ms[h] : 0.5 * (ms[h - 1] + ms[h]);
}

}  // namespace

std::function<void()> train_step(const ModelCase& c) {
    struct State {
        std::unique_ptr<nn::Module> model;
        std::unique_ptr<optim::Adam> opt;
        std::vector<Batch> batches;
        size_t next = 0;
        bool ae = false;
    };
    auto s = std::make_shared<State>();
    s->model = iot::make_model(spec_of(c));
    s->model->train();
    s->opt = std::make_unique<optim::Adam>(s->model->parameters(), 1e-3);
    s->ae = iot::is_autoencoder(c.kind);
    s->batches = synthetic_batches(kTrainBatch, 8, 1);
    return [s] {
        const Batch& b = s->batches[s->next++ % s->batches.size()];
        Variable out = (*s->model)(Variable(b.x));
        Variable loss = loss_of(s->ae, out, b);
        s->opt->zero_grad();
        loss.backward();
        s->opt->step();
    };
}

const std::vector<ModelCase>& model_cases() {
    static const std::vector<ModelCase> cases = {{"MLP", "mlp", 328838},
                                                 {"CNN1d", "cnn", 12166},
                                                 {"LSTM", "lstm", 19590},
                                                 {"Transformer", "transformer", 21702},
                                                 {"Autoencoder", "autoencoder", 304544}};
    return cases;
}

std::vector<ModelResult> run_model_bench(const Options& opt) {
    // The reference: 7 repetitions of >= 0.5 s (quick: 3 of >= 0.1 s); 10 (3)
    // warm-up training steps; 500 (200) latency calls after 50 (20) warm-up calls.
    TimingRule train_rule{opt.quick ? 3 : 10, opt.quick ? 3 : 7, opt.quick ? 0.1 : 0.5};
    TimingRule infer_rule{3, opt.quick ? 3 : 7, opt.quick ? 0.1 : 0.5};
    if (opt.quick) train_rule.min_time_s = infer_rule.min_time_s = 0.02;
    const int latency_calls = opt.quick ? 50 : 500, latency_warmup = opt.quick ? 5 : 50;

    std::vector<ModelResult> results;
    for (const ModelCase& c : model_cases()) {
        if (!opt.models.empty() && std::find(opt.models.begin(), opt.models.end(), c.name) == opt.models.end())
            continue;
        ModelResult r;
        r.name = c.name;
        auto model = iot::make_model(spec_of(c));
        r.params = model->num_parameters();
        if (r.params != c.expected_params)
            throw std::runtime_error("iotgrad_bench: " + c.name + " has " + std::to_string(r.params) +
                                     " parameters, the reference has " + std::to_string(c.expected_params));
        for (int t : opt.threads) r.train_by_threads.emplace_back(t, train_samples_per_s(c, t, train_rule));

        set_num_threads(opt.threads.back());
        model->eval();
        NoGradGuard no_grad;
        r.latency_b1_ms = latency_b1_ms(*model, latency_calls, latency_warmup);
        const std::vector<Batch> xs = synthetic_batches(kInferBatch, 4, 3);
        size_t next = 0;
        const double s = seconds_per_call([&] { (void)(*model)(Variable(xs[next++ % xs.size()].x)); }, infer_rule);
        r.infer_b256_samples_per_s = static_cast<double>(kInferBatch) / s;
        std::fprintf(stderr, "  %-12s train %8.0f samples/s (%dT)  latency b1 %.3f ms  infer b256 %9.0f samples/s\n",
                     r.name.c_str(), r.train_by_threads.back().second, r.train_by_threads.back().first,
                     r.latency_b1_ms, r.infer_b256_samples_per_s);
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace iotgrad::bench
