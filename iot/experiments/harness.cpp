// Data split, training loop, evaluation and timing of harness.hpp.
#include "iot/experiments/harness.hpp"
#include "iot/experiments/results.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "autograd/variable.hpp"
#include "iot/data.hpp"
#include "iot/metrics.hpp"
#include "iot/train_guard.hpp"
#include "layers/loss.hpp"
#include "optim/adam.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#define IOTGRAD_HAS_GETRUSAGE 1
#endif

namespace iotgrad::iot::experiments {

HarConfig har_config(const ExperimentConfig& cfg) {
    HarConfig h;
    h.subjects = cfg.subjects;
    h.seed = cfg.seed;
    return h;
}

WindowSet stack_windows(const std::vector<Window>& windows) {
    if (windows.empty()) throw std::invalid_argument("stack_windows: no windows");
    const Shape shape = windows[0].x.shape();
    const int64_t per = windows[0].x.numel(), n = static_cast<int64_t>(windows.size());
    WindowSet s;
    Shape full = {n};
    full.insert(full.end(), shape.begin(), shape.end());
    s.x = Tensor::empty(full);
    s.y = Tensor::empty({n});
    float* dst = s.x.data();
    for (int64_t i = 0; i < n; ++i) {
        const Window& w = windows[static_cast<size_t>(i)];
        if (w.x.shape() != shape)
            throw std::invalid_argument("stack_windows: window " + std::to_string(i) + " has shape " +
                                        shape_str(w.x.shape()) + " but window 0 has " + shape_str(shape));
        const Tensor c = w.x.contiguous();
        std::memcpy(dst + i * per, c.data(), sizeof(float) * static_cast<size_t>(per));
        s.y.data()[i] = static_cast<float>(w.label);
        s.subject.push_back(w.device);
    }
    return s;
}

WindowSet training_windows(const ExperimentConfig& cfg) {
    const HarSimulator sim(har_config(cfg));
    std::vector<int> subjects;
    for (int s = 0; s < cfg.subjects - cfg.test_subjects; ++s) subjects.push_back(s);
    HarMultiStream stream(sim, subjects);
    std::vector<Window> w;
    w.reserve(static_cast<size_t>(cfg.train_windows));
    for (int64_t i = 0; i < cfg.train_windows; ++i) w.push_back(stream.next_window());
    return stack_windows(w);
}

WindowSet test_windows(const ExperimentConfig& cfg) {
    const HarSimulator sim(har_config(cfg));
    std::vector<Window> w;
    for (int s = cfg.subjects - cfg.test_subjects; s < cfg.subjects; ++s) {
        HarSubjectStream stream = sim.subject(s);
        for (int64_t i = 0; i < cfg.test_windows_per_subject; ++i) w.push_back(stream.next_window());
    }
    return stack_windows(w);
}

Standardizer Standardizer::fit(const Tensor& x) {
    const int64_t C = x.size(-1), rows = x.numel() / C;
    const Tensor xc = x.contiguous();
    const float* p = xc.data();
    std::vector<double> sum(static_cast<size_t>(C), 0.0), sq(static_cast<size_t>(C), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) sum[static_cast<size_t>(c)] += p[r * C + c];
    Standardizer s;
    for (int64_t c = 0; c < C; ++c) s.mean.push_back(static_cast<float>(sum[static_cast<size_t>(c)] / rows));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) {
            const double d = p[r * C + c] - s.mean[static_cast<size_t>(c)];
            sq[static_cast<size_t>(c)] += d * d;
        }
    for (int64_t c = 0; c < C; ++c) {
        const double sd = std::sqrt(sq[static_cast<size_t>(c)] / rows);
        s.inv_std.push_back(sd > 1e-12 ? static_cast<float>(1.0 / sd) : 1.0f);
    }
    return s;
}

void Standardizer::apply(Tensor& x) const {
    const int64_t C = static_cast<int64_t>(mean.size());
    if (x.size(-1) != C || !x.is_contiguous())
        throw std::invalid_argument("Standardizer::apply: expected a contiguous tensor with " + std::to_string(C) +
                                    " channels last, got shape " + shape_str(x.shape()));
    float* p = x.data();
    const int64_t rows = x.numel() / C;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c)
            p[r * C + c] = (p[r * C + c] - mean[static_cast<size_t>(c)]) * inv_std[static_cast<size_t>(c)];
}

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

TrainStats train_classifier(nn::Module& model, const WindowSet& data, const TrainOptions& opt,
                            const EpochCallback& on_epoch) {
    model.train();
    optim::Adam adam(model.parameters(), opt.lr);
    const TensorDataset dataset(data.x, data.y);
    DataLoader loader(dataset, opt.batch_size, opt.seed);
    LossWatcher watch;
    TrainStats stats;
    for (int e = 0; e < opt.epochs; ++e) {
        const double start = now_seconds();
        double total = 0;
        int64_t seen = 0;
        for (const Batch& b : loader) {
            Variable loss = cross_entropy(model(Variable(b.x)), b.y);
            const double l = loss.item();
            watch(l);
            adam.zero_grad();
            loss.backward();
            adam.step();
            total += l * static_cast<double>(b.x.size(0));
            seen += b.x.size(0);
        }
        const double secs = now_seconds() - start;
        stats.seconds += secs;
        stats.epoch_seconds.push_back(secs);
        stats.epoch_loss.push_back(total / static_cast<double>(std::max<int64_t>(seen, 1)));
        if (on_epoch) on_epoch(e + 1, stats.epoch_loss.back(), secs);
    }
    return stats;
}

StreamEpoch train_stream_epoch(nn::Module& model, int64_t windows, int64_t batch_size, double lr,
                               const std::function<void(int64_t, Tensor&, Tensor&)>& next_batch) {
    model.train();
    optim::Adam adam(model.parameters(), lr);
    LossWatcher watch;
    StreamEpoch r;
    double total = 0;
    const int64_t batches = (windows + batch_size - 1) / batch_size;
    for (int64_t b = 0; b < batches; ++b) {
        Tensor x, y;
        double t0 = now_seconds();
        next_batch(std::min(batch_size, windows - b * batch_size), x, y);
        const double t1 = now_seconds();
        Variable loss = cross_entropy(model(Variable(x)), y);
        const double l = loss.item();
        watch(l);
        adam.zero_grad();
        loss.backward();
        adam.step();
        r.seconds += now_seconds() - t1;
        r.generate_seconds += t1 - t0;
        total += l;
    }
    r.mean_loss = batches > 0 ? total / static_cast<double>(batches) : kNaN;
    return r;
}

std::vector<int64_t> predict(nn::Module& model, const Tensor& x, int64_t batch) {
    const bool was_training = model.is_training();
    model.eval();
    NoGradGuard no_grad;
    std::vector<int64_t> out;
    for (int64_t i = 0; i < x.size(0); i += batch) {
        const int64_t n = std::min(batch, x.size(0) - i);
        const std::vector<int64_t> p = predictions(model(Variable(x.narrow(0, i, n))).value());
        out.insert(out.end(), p.begin(), p.end());
    }
    model.train(was_training);
    return out;
}

Scores evaluate(nn::Module& model, const WindowSet& test, int64_t batch) {
    const std::vector<int64_t> truth = labels(test.y), pred = predict(model, test.x, batch);
    const ConfusionMatrix cm(truth, pred, kHarClasses);
    const PRF macro = macro_average(cm);
    return {accuracy(truth, pred), macro.precision, macro.recall, macro.f1};
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) throw std::invalid_argument("percentile: no values");
    if (!(p >= 0 && p <= 100)) throw std::invalid_argument("percentile: p must be in [0, 100], got " + std::to_string(p));
    std::sort(v.begin(), v.end());
    const double pos = p / 100.0 * static_cast<double>(v.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos)), hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::vector<double> batch1_latencies_ms(nn::Module& model, const Tensor& x, int repeats) {
    const bool was_training = model.is_training();
    model.eval();
    NoGradGuard no_grad;
    for (int i = 0; i < 3; ++i) model(Variable(x.narrow(0, i % x.size(0), 1)));  // warm caches and allocator
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const Variable xi(x.narrow(0, i % x.size(0), 1));
        const double t0 = now_seconds();
        model(xi);
        ms.push_back((now_seconds() - t0) * 1e3);
    }
    model.train(was_training);
    return ms;
}

double throughput_wps(nn::Module& model, const Tensor& x, int64_t batch, double min_seconds) {
    Shape shape = x.shape();
    shape[0] = batch;
    Tensor xb = Tensor::empty(shape);
    const int64_t per = x.numel() / x.size(0);
    const Tensor xc = x.contiguous();
    for (int64_t i = 0; i < batch; ++i)
        std::memcpy(xb.data() + i * per, xc.data() + (i % x.size(0)) * per, sizeof(float) * static_cast<size_t>(per));
    const bool was_training = model.is_training();
    model.eval();
    NoGradGuard no_grad;
    model(Variable(xb));  // warm-up
    int64_t runs = 0;
    const double start = now_seconds();
    double elapsed = 0;
    while (runs < 2 || elapsed < min_seconds) {
        model(Variable(xb));
        ++runs;
        elapsed = now_seconds() - start;
    }
    model.train(was_training);
    return static_cast<double>(runs * batch) / elapsed;
}

double peak_rss_mb() {
#ifdef IOTGRAD_HAS_GETRUSAGE
    struct rusage ru {};
    if (getrusage(RUSAGE_SELF, &ru) != 0) return kNaN;
#if defined(__APPLE__)
    return static_cast<double>(ru.ru_maxrss) / (1024.0 * 1024.0);  // bytes on macOS
#else
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // kilobytes on Linux
#endif
#else
    return kNaN;
#endif
}

}  // namespace iotgrad::iot::experiments
