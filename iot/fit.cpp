#include "iot/fit.hpp"

#include <cmath>
#include <stdexcept>

#include "autograd/autograd.hpp"
#include "iot/data.hpp"
#include "iot/progress.hpp"
#include "iot/train_guard.hpp"
#include "layers/loss.hpp"
#include "optim/adam.hpp"

namespace iotgrad::iot {

double fit(nn::Module& model, Task task, const Tensor& X, const Tensor& Y, const FitOptions& o) {
    if (X.dim() != 3) throw std::invalid_argument("fit: expected inputs [N, T, C]");
    if (X.size(0) == 0) throw std::invalid_argument("fit: no training windows (is the file shorter than one window?)");
    if (o.epochs < 1 || o.batch < 1 || !(o.lr > 0))
        throw std::invalid_argument("fit: epochs, batch and lr must be positive");
    const Tensor targets = task == Task::kAnomaly ? X.reshape({X.size(0), X.size(1) * X.size(2)}) : Y;
    TensorDataset data(X, targets);
    DataLoader loader(data, o.batch, o.seed);
    optim::Adam opt(model.parameters(), o.lr);
    LossWatcher watch;
    ProgressOptions popt;
    popt.print_every_percent = 50;
    std::optional<ProgressBar> bar;
    if (o.progress) bar.emplace(*o.progress, loader.num_batches(), o.progress_tty, popt);
    model.train();
    double last = 0.0;
    for (int64_t e = 0; e < o.epochs; ++e) {
        if (bar) bar->start_epoch(e + 1, o.epochs);
        double sum = 0.0;
        int64_t steps = 0;
        for (const Batch& b : loader) {
            const Variable out = model(Variable(b.x));
            Variable loss = task == Task::kClassify ? cross_entropy(out, b.y) : nn::mse_loss(out, b.y);
            const double l = loss.item();
            watch(l);
            opt.zero_grad();
            loss.backward();
            opt.step();
            sum += l;
            ++steps;
            if (bar) bar->step(l, b.x.size(0));
        }
        if (bar) bar->end_epoch();
        last = sum / static_cast<double>(steps);
    }
    model.eval();
    return last;
}

Tensor predict_batched(nn::Module& model, const Tensor& X, int64_t batch) {
    model.eval();
    NoGradGuard no_grad;
    const int64_t N = X.size(0);
    if (N == 0) return Tensor();
    std::vector<Tensor> parts;
    int64_t width = 0;
    for (int64_t i = 0; i < N; i += batch) {
        Tensor y = model(Variable(X.narrow(0, i, std::min(batch, N - i)).contiguous())).value().contiguous();
        width = y.numel() / y.size(0);
        parts.push_back(y);
    }
    Tensor out = Tensor::empty({N, width});
    float* o = out.data();
    for (const Tensor& p : parts) {
        std::copy(p.data(), p.data() + p.numel(), o);
        o += p.numel();
    }
    return out;
}

std::vector<double> reconstruction_errors(nn::Module& model, const Tensor& X, int64_t batch) {
    const Tensor rec = predict_batched(model, X, batch);
    const Tensor x = X.contiguous();
    const int64_t N = X.size(0), D = N ? x.numel() / N : 0;
    std::vector<double> err(static_cast<std::size_t>(N), 0.0);
    for (int64_t i = 0; i < N; ++i) {
        double s = 0.0;
        for (int64_t k = 0; k < D; ++k) {
            const double d = double(rec.data()[i * D + k]) - x.data()[i * D + k];
            s += d * d;
        }
        err[static_cast<std::size_t>(i)] = s / static_cast<double>(D);
    }
    return err;
}

double error_threshold(const std::vector<double>& e) {
    if (e.empty()) throw std::invalid_argument("error_threshold: no training errors");
    double mean = 0.0, sq = 0.0;
    for (double v : e) mean += v;
    mean /= static_cast<double>(e.size());
    for (double v : e) sq += (v - mean) * (v - mean);
    return mean + 3.0 * std::sqrt(sq / static_cast<double>(e.size()));
}

}  // namespace iotgrad::iot
