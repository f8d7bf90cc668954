// Tutorial 06: convolution, the paper's equation (4), and convolutional networks.
//
//     (f * g)(x, y) = sum_m sum_n f(m, n) g(x - m, y - n)          (4)
//
//   Part 1: a tiny 1-d convolution by nested loops, then conv1d: they agree.
//           Deep learning's "convolution" is cross-correlation (no flip);
//           equation (4) is conv1d with the kernel flipped.
//   Part 2: im2col: the same convolution as ONE matrix product.
//   Part 3: a 1-d CNN on synthetic sensor windows (9 channels x 64 steps, 3 activities).
//   Part 4: a 2-d CNN on tiny 12x12 images of horizontal, vertical and diagonal bars.
//
// Build and run:  make tutorials   (or: build/tutorial_06_cnn)
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"
#include "iot/data.hpp"
#include "iot/metrics.hpp"
#include "layers/layers.hpp"
#include "optim/adam.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/im2col.hpp"
#include "tensor/matmul.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

void print_values(const std::string& label, const Tensor& t) {
    std::cout << "  " << std::left << std::setw(34) << label << std::right;
    for (float v : t.to_vector()) std::cout << std::setw(7) << v;
    std::cout << "\n";
}

float max_abs_diff(const Tensor& a, const Tensor& b) { return tensor::max(tensor::abs(tensor::sub(a, b))).item(); }

// ---------------------------------------------------------------------------
// Part 1: nested loops vs conv1d
// ---------------------------------------------------------------------------

// What conv1d computes, as loops (stride 1, no padding):
//   y[o, t] = b[o] + sum_c sum_k w[o, c, k] * x[c, t + k]
// The kernel slides along time; at each step it takes a weighted sum of a
// K-step window of every input channel.
Tensor conv1d_loops(const Tensor& x, const Tensor& w, const Tensor& b) {
    const int64_t C_in = x.size(0), L = x.size(1), C_out = w.size(0), K = w.size(2), L_out = L - K + 1;
    Tensor y = Tensor::zeros({C_out, L_out});
    for (int64_t o = 0; o < C_out; ++o)
        for (int64_t t = 0; t < L_out; ++t) {
            float s = b.at({o});
            for (int64_t c = 0; c < C_in; ++c)
                for (int64_t k = 0; k < K; ++k) s += w.at({o, c, k}) * x.at({c, t + k});
            y.at({o, t}) = s;
        }
    return y;
}

// Equation (4) in one dimension, f = signal, g = kernel: (f * g)(t) = sum_m f(m) g(t - m),
// kept where the kernel lies fully inside the signal (t = K-1 .. L-1, "valid").
// Note g(t - m): the kernel is read backwards.
Tensor true_convolution(const Tensor& f, const Tensor& g) {
    const int64_t L = f.size(0), K = g.size(0);
    Tensor y = Tensor::zeros({L - K + 1});
    for (int64_t t = K - 1; t < L; ++t) {
        float s = 0;
        for (int64_t m = t - K + 1; m <= t; ++m) s += f.at({m}) * g.at({t - m});
        y.at({t - K + 1}) = s;
    }
    return y;
}

void loops_versus_conv1d() {
    section("Part 1: a tiny convolution by nested loops and by conv1d");
    // Two sensor channels (say, x and y acceleration), 8 samples each.
    const Tensor x = Tensor::from({2, 8}, {0, 1, 3, 2, 5, 4, 1, 0,    //
                                           1, 1, 0, -1, -2, 0, 2, 3});
    // Two output channels: a "rising edge" detector and a smoother, K = 3.
    const Tensor w = Tensor::from({2, 2, 3}, {-1, 0, 1, -1, 0, 1,   // out 0: x[t+2] - x[t] on both channels
                                              1, 2, 1, 0, 0, 0});   // out 1: 1-2-1 smoothing of channel 0
    const Tensor b = Tensor::from({2}, {0.0f, 0.5f});
    std::cout << std::setprecision(1);
    print_values("input channel 0", x.select(0, 0));
    print_values("input channel 1", x.select(0, 1));

    const Tensor loops = conv1d_loops(x, w, b);
    const Tensor op = conv1d(Variable(x.unsqueeze(0)), Variable(w), Variable(b)).value().squeeze(0);  // N = 1
    print_values("nested loops, output channel 0", loops.select(0, 0));
    print_values("conv1d,       output channel 0", op.select(0, 0));
    print_values("nested loops, output channel 1", loops.select(0, 1));
    print_values("conv1d,       output channel 1", op.select(0, 1));
    std::cout << "  largest difference: " << max_abs_diff(loops, op) << "\n";

    std::cout << "\n  Equation (4) reads the kernel backwards (g(t - m)); conv1d does not (cross-correlation).\n";
    const Tensor f = x.select(0, 0), g = Tensor::from({3}, {1, 2, 3});
    const Tensor g_flipped = Tensor::from({1, 1, 3}, {3, 2, 1});
    const Tensor g_as_is = g.reshape({1, 1, 3});
    print_values("equation (4), g = [1, 2, 3]", true_convolution(f, g));
    print_values("conv1d with g = [1, 2, 3]", conv1d(Variable(f.reshape({1, 1, 8})), Variable(g_as_is), Variable())
                                                     .value());
    print_values("conv1d with flipped g = [3, 2, 1]",
                 conv1d(Variable(f.reshape({1, 1, 8})), Variable(g_flipped), Variable()).value());
    std::cout << "  A learned kernel does not care which way round it is stored: the network simply\n"
                 "  learns the flipped weights. So every framework skips the flip.\n";
}

// ---------------------------------------------------------------------------
// Part 2: im2col
// ---------------------------------------------------------------------------

void im2col_demo() {
    section("Part 2: im2col: a convolution is one matrix product");
    const Tensor x = Tensor::from({2, 8}, {0, 1, 3, 2, 5, 4, 1, 0, 1, 1, 0, -1, -2, 0, 2, 3});
    const Tensor w = Tensor::from({2, 2, 3}, {-1, 0, 1, -1, 0, 1, 1, 2, 1, 0, 0, 0});
    // Column t of `cols` is the window every output at time t reads: rows
    // (c, k) = x[c, t + k], C_in * K = 6 rows, L_out = 6 columns.
    const Tensor cols = tensor::im2col1d(x, /*kernel=*/3);
    std::cout << "  cols = im2col1d(x, 3), shape " << shape_str(cols.shape()) << " (row c*K + k holds x[c, t + k]):\n"
              << cols << "\n";
    // The kernel as a matrix [C_out, C_in * K] times the windows [C_in * K, L_out].
    const Tensor y = tensor::matmul(w.reshape({2, 6}), cols);
    const Tensor op = conv1d(Variable(x.unsqueeze(0)), Variable(w), Variable()).value().squeeze(0);
    std::cout << "  w.reshape({2, 6}) @ cols:\n" << y << "\n  conv1d(x, w):\n" << op << "\n";
    std::cout << "  largest difference: " << max_abs_diff(y, op) << "\n"
              << "  The library's conv1d/conv2d do exactly this (tensor/im2col.hpp + the GEMM kernel):\n"
                 "  the K-fold copy costs memory, but the product runs at matrix-multiply speed.\n";
    std::cout << std::setprecision(4);
}

// ---------------------------------------------------------------------------
// Shared training loop and cost report
// ---------------------------------------------------------------------------

struct Split {
    Tensor x_train, y_train, x_test, y_test;
};

// Adam + cross-entropy over shuffled mini-batches; prints the loss per epoch.
double train(nn::Module& model, const Split& d, int epochs, double lr) {
    optim::Adam opt(model.parameters(), lr);
    const iot::TensorDataset data(d.x_train, d.y_train);
    iot::DataLoader loader(data, /*batch_size=*/32, /*shuffle_seed=*/1);
    const auto start = std::chrono::steady_clock::now();
    for (int epoch = 0; epoch < epochs; ++epoch) {
        double total = 0;
        for (const iot::Batch& b : loader) {
            Variable loss = cross_entropy(model(Variable(b.x)), b.y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            total += loss.item() * b.x.size(0);
        }
        std::cout << "  epoch " << epoch + 1 << "/" << epochs << "  mean loss " << total / d.x_train.size(0) << "\n";
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Test accuracy next to what an IoT device cares about: weights, memory, time per window.
void report(nn::Module& model, const Split& d, double train_seconds, const std::vector<std::string>& names,
            const std::string& what) {
    model.eval();
    NoGradGuard no_grad;
    const Tensor scores = model(Variable(d.x_test)).value();
    const int64_t n = 100;  // latency: one sample at a time, as a device would see them
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < n; ++i) model(Variable(d.x_test.narrow(0, i, 1)));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
    std::cout << "  parameters: " << model.num_parameters() << " (" << model.num_parameters() * 4
              << " bytes as float32), training time: " << std::setprecision(2) << train_seconds
              << " s, inference: " << std::setprecision(3) << ms << " ms per " << what << "\n"
              << "  test accuracy: " << std::setprecision(1) << 100 * iot::accuracy(scores, d.y_test) << "% on "
              << d.x_test.size(0) << " " << what << "s\n"
              << std::setprecision(4);
    std::cout << iot::classification_report(
        iot::ConfusionMatrix(iot::labels(d.y_test), iot::predictions(scores), static_cast<int64_t>(names.size())),
        names);
}

// ---------------------------------------------------------------------------
// Part 3: a 1-d CNN on sensor windows
// ---------------------------------------------------------------------------

// A window of 9 channels x 64 steps (like UCI HAR's 3 sensors x 3 axes): every
// channel oscillates at the activity's rhythm (walking 3, running 5, cycling 8
// cycles per window, each +-1 at random), with its own amplitude and phase,
// buried in noise of standard deviation 0.6.
void sensor_windows(int64_t n, Generator& gen, Tensor& x, Tensor& y) {
    const float base[3] = {3.0f, 5.0f, 8.0f};
    x = Tensor::empty({n, 9, 64});
    y = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = static_cast<int64_t>(gen.below(3));
        const float cycles = base[c] + gen.uniform(-1.0f, 1.0f);
        for (int64_t ch = 0; ch < 9; ++ch) {
            const float amp = gen.uniform(0.5f, 1.5f), phase = gen.uniform(0.0f, 6.2831853f);
            for (int64_t t = 0; t < 64; ++t)
                x.at({i, ch, t}) = amp * std::sin(6.2831853f * cycles * t / 64.0f + phase) + 0.6f * gen.normal();
        }
        y.at({i}) = static_cast<float>(c);
    }
}

Split make_sensor_split(uint64_t seed) {
    Generator gen(seed);
    Split d;
    sensor_windows(600, gen, d.x_train, d.y_train);
    sensor_windows(300, gen, d.x_test, d.y_test);
    return d;
}

void cnn1d() {
    section("Part 3: a 1-d CNN on sensor windows (9 channels x 64 steps, 3 activities)");
    const Split d = make_sensor_split(/*seed=*/2024);
    Generator gen(7);
    // Each Conv1d is equation (4) along time; pooling halves the length; the
    // global average makes the output independent of where in the window the pattern is.
    nn::Sequential model(nn::Conv1d(nn::Conv1dOptions(9, 16, 5).padding(2), gen), nn::ReLU(), nn::MaxPool1d(2),
                         nn::Conv1d(nn::Conv1dOptions(16, 32, 5).padding(2), gen), nn::ReLU(), nn::MaxPool1d(2), nn::GlobalAvgPool1d(),
                         nn::Linear(32, 3, gen));
    std::cout << nn::summary(model, {1, 9, 64});
    const double seconds = train(model, d, /*epochs=*/8, /*lr=*/0.01);
    report(model, d, seconds, {"walking", "running", "cycling"}, "window");
}

// ---------------------------------------------------------------------------
// Part 4: a 2-d CNN on tiny images
// ---------------------------------------------------------------------------

// A 12x12 image (think: a low-resolution thermal or occupancy sensor) with one
// bar, horizontal (class 0), vertical (1) or diagonal (2), at a random place,
// plus noise of standard deviation 0.4.
void bar_images(int64_t n, Generator& gen, Tensor& x, Tensor& y) {
    x = Tensor::randn({n, 1, 12, 12}, gen, 0.0f, 0.4f);
    y = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = static_cast<int64_t>(gen.below(3));
        const int64_t pos = static_cast<int64_t>(gen.below(8)) + 2;  // the bar's row, column, or diagonal shift
        for (int64_t k = 0; k < 12; ++k) {
            if (c == 0) x.at({i, 0, pos, k}) += 1.0f;
            if (c == 1) x.at({i, 0, k, pos}) += 1.0f;
            if (c == 2 && k + pos - 6 >= 0 && k + pos - 6 < 12) x.at({i, 0, k, k + pos - 6}) += 1.0f;
        }
        y.at({i}) = static_cast<float>(c);
    }
}

void cnn2d() {
    section("Part 4: a 2-d CNN on 12x12 images of bars");
    Generator data_gen(77);
    Split d;
    bar_images(600, data_gen, d.x_train, d.y_train);
    bar_images(300, data_gen, d.x_test, d.y_test);
    Generator gen(8);
    nn::Sequential model(nn::Conv2d(nn::Conv2dOptions(1, 8, 3).padding(1), gen), nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(nn::Conv2dOptions(8, 16, 3).padding(1), gen),
                         nn::ReLU(), nn::GlobalAvgPool2d(), nn::Linear(16, 3, gen));
    std::cout << nn::summary(model, {1, 1, 12, 12});
    const double seconds = train(model, d, /*epochs=*/6, /*lr=*/0.01);
    report(model, d, seconds, {"horizontal", "vertical", "diagonal"}, "image");
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);
    loops_versus_conv1d();
    im2col_demo();
    cnn1d();
    cnn2d();
    return 0;
}
