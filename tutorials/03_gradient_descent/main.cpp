// Tutorial 03: gradient descent, the paper's equation (1),
//
//     w_{t+1} = w_t - alpha * grad L(w_t),
//
// on the two oldest models there are, both with IoT data made up here:
//
//   Part 1: linear regression. A building's power draw (kW) from three
//           standardized sensor readings; equation (1) written out by hand,
//           then the same with optim::SGD.
//   Part 2: the learning rate alpha: too small (crawls), good, too large
//           (the loss grows every step until it overflows; iot::LossWatcher
//           catches it and we report it instead of crashing).
//   Part 3: logistic regression. Is a motor bearing faulty, from its vibration
//           level and temperature? Same update rule, a different loss.
//
// Build and run:  make tutorials   (or: build/tutorial_03_gradient_descent)
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"   // Variable, ops, NoGradGuard
#include "iot/metrics.hpp"         // iot::accuracy
#include "iot/train_guard.hpp"     // iot::LossWatcher, iot::NonFiniteLoss
#include "layers/loss.hpp"         // nn::binary_cross_entropy_with_logits
#include "optim/sgd.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/matmul.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Parameters cost 4 bytes each as float32: on a microcontroller with 256 KB
// of RAM this number decides what fits.
void print_cost(const std::vector<Variable>& params, double seconds) {
    int64_t n = 0;
    for (const Variable& p : params) n += p.numel();
    std::cout << "  parameters: " << n << " (" << n * 4 << " bytes as float32), training time: " << std::fixed
              << std::setprecision(1) << seconds * 1000.0 << " ms\n"
              << std::setprecision(4);
}

// ---------------------------------------------------------------------------
// Part 1: linear regression by equation (1)
// ---------------------------------------------------------------------------

struct Regression {
    Tensor x;  // [N, 3] standardized readings: outdoor temperature, occupancy, solar irradiance
    Tensor y;  // [N]    power draw in kW
};

// y = 1.5 temp - 2.0 occupancy + 0.5 solar + 3.0 + noise(0.2), from a seeded Generator.
Regression make_power_data(int64_t n, uint64_t seed) {
    Generator gen(seed);
    const Tensor x = Tensor::randn({n, 3}, gen);
    const Tensor w_true = Tensor::from({3}, {1.5f, -2.0f, 0.5f});
    const Tensor noise = Tensor::randn({n}, gen, 0.0f, 0.2f);
    return {x, tensor::add(tensor::add(tensor::matmul(x, w_true), 3.0f), noise)};
}

// L(w, b) = (1/N) sum_i (x_i . w + b - y_i)^2, the mean squared error.
Variable mse(const Variable& w, const Variable& b, const Regression& d) {
    return mean(pow(matmul(Variable(d.x), w) + b - Variable(d.y), 2.0f));
}

// Equation (1) by hand for every parameter p: p <- p - alpha * dL/dp.
// The update is not part of the model, so NoGradGuard keeps it out of the graph;
// copy_ writes into the same storage, so p stays the same parameter.
void gradient_step(std::vector<Variable>& params, float alpha) {
    NoGradGuard no_grad;
    for (Variable& p : params) p.value().copy_(tensor::sub(p.value(), tensor::mul(p.grad(), alpha)));
}

void print_params(const std::string& what, const Variable& w, const Variable& b) {
    const std::vector<float> wv = w.value().to_vector();
    std::cout << "  " << std::left << std::setw(26) << what << std::right << std::fixed << std::setprecision(4)
              << "w = [" << std::setw(7) << wv[0] << ", " << std::setw(7) << wv[1] << ", " << std::setw(7) << wv[2]
              << "],  b = " << b.item() << "\n";
}

void fit_by_hand(const Regression& d, Variable& w, Variable& b, float alpha, int steps) {
    section("Part 1a: linear regression, w <- w - alpha dL/dw written out");
    std::cout << "  N = " << d.x.size(0) << " readings, alpha = " << alpha << ", " << steps << " full-batch steps\n";
    std::vector<Variable> params{w, b};  // copies share value and gradient with w and b
    const auto start = std::chrono::steady_clock::now();
    for (int step = 0; step < steps; ++step) {
        for (Variable& p : params) p.zero_grad();  // gradients accumulate; clear last step's
        Variable loss = mse(w, b, d);
        loss.backward();
        if (step % 10 == 0 || step == steps - 1)
            std::cout << "  step " << std::setw(3) << step << "  loss " << std::setprecision(5) << loss.item()
                      << "  |dL/dw| " << std::sqrt(tensor::sum(tensor::mul(w.grad(), w.grad())).item()) << "\n";
        gradient_step(params, alpha);
    }
    print_cost(params, seconds_since(start));
}

// The same loop with the optimizer: step() is equation (1) for every parameter.
void fit_with_sgd(const Regression& d, Variable& w, Variable& b, float alpha, int steps) {
    optim::SGD opt({w, b}, alpha);
    for (int step = 0; step < steps; ++step) {
        opt.zero_grad();
        Variable loss = mse(w, b, d);
        loss.backward();
        opt.step();
    }
}

void linear_regression() {
    const Regression d = make_power_data(200, /*seed=*/5);
    const float alpha = 0.1f;
    const int steps = 60;
    Variable w(Tensor::zeros({3}), true), b(Tensor::scalar(0.0f), true);
    fit_by_hand(d, w, b, alpha, steps);

    section("Part 1b: the same with optim::SGD");
    Variable w2(Tensor::zeros({3}), true), b2(Tensor::scalar(0.0f), true);
    fit_with_sgd(d, w2, b2, alpha, steps);
    print_params("true (before noise)", Variable(Tensor::from({3}, {1.5f, -2.0f, 0.5f})), Variable(Tensor::scalar(3)));
    print_params("by hand", w, b);
    print_params("optim::SGD", w2, b2);
    const float diff = tensor::max(tensor::abs(tensor::sub(w.value(), w2.value()))).item();
    std::cout << "  largest |w_hand - w_sgd| = " << std::scientific << std::setprecision(1) << diff
              << " (the same rule, so the same numbers)\n"
              << std::fixed << std::setprecision(4);
}

// ---------------------------------------------------------------------------
// Part 2: the learning rate
// ---------------------------------------------------------------------------

// Runs `steps` steps of equation (1) at learning rate alpha and prints the loss at
// a few steps. A loss that turns inf or NaN is caught by LossWatcher, which
// throws NonFiniteLoss naming the step; we report it and move on.
void try_learning_rate(const Regression& d, float alpha, int steps) {
    Variable w(Tensor::zeros({3}), true), b(Tensor::scalar(0.0f), true);
    std::vector<Variable> params{w, b};
    iot::LossWatcher watch;
    std::cout << "  alpha = " << std::left << std::setw(6) << std::defaultfloat << alpha << std::right << ":";
    try {
        for (int step = 0; step < steps; ++step) {
            for (Variable& p : params) p.zero_grad();
            Variable loss = mse(w, b, d);
            watch(loss.item());  // throws iot::NonFiniteLoss on inf / NaN
            if (step == 0 || step == 5 || step == 20 || step == 50 || step == steps - 1)
                std::cout << std::setw(12) << std::setprecision(4) << loss.item();
            loss.backward();
            gradient_step(params, alpha);
        }
        std::cout << "\n";
    } catch (const iot::NonFiniteLoss& e) {
        std::cout << "\n      diverged, caught iot::NonFiniteLoss: " << e.what() << "\n";
    }
    std::cout << std::fixed;
}

// The largest eigenvalue of the Hessian H = (2/N) A^T A, with A = [x, 1] (the
// bias is a weight on a constant input), by power iteration. Equation (1) on a
// quadratic loss is stable exactly when alpha < 2 / lambda_max.
float hessian_lambda_max(const Regression& d) {
    const int64_t n = d.x.size(0);
    Tensor a = Tensor::ones({n, 4});
    a.slice(1, 0, 3).copy_(d.x);
    const Tensor h = tensor::mul(tensor::matmul(a.t(), a), 2.0f / static_cast<float>(n));
    Tensor v = Tensor::ones({4});
    float lambda = 0;
    for (int it = 0; it < 100; ++it) {
        const Tensor hv = tensor::matmul(h, v);
        lambda = std::sqrt(tensor::sum(tensor::mul(hv, hv)).item());  // ||H v|| with ||v|| = 1
        v = tensor::mul(hv, 1.0f / lambda);
    }
    return lambda;
}

void learning_rates() {
    section("Part 2: learning rate too small, good, too large");
    const Regression d = make_power_data(200, /*seed=*/5);
    const float lambda = hessian_lambda_max(d);
    std::cout << "  curvature: lambda_max of the Hessian = " << std::setprecision(3) << lambda
              << ", so equation (1) is stable for alpha < 2 / lambda_max = " << 2.0f / lambda << "\n";
    const int steps = 200;
    std::cout << "  loss at step:" << std::setw(10) << 0 << std::setw(12) << 5 << std::setw(12) << 20 << std::setw(12)
              << 50 << std::setw(12) << steps - 1 << "\n";
    for (float alpha : {0.001f, 0.1f, 0.5f, 1.5f}) try_learning_rate(d, alpha, steps);
    std::cout << "  0.001 has barely moved after 200 steps; 0.1 and 0.5 reach the noise floor (the\n"
                 "  noise has variance 0.2^2 = 0.04, which no fit can remove); 1.5 overshoots the minimum\n"
                 "  by more than it started from on every step, so the loss grows geometrically until\n"
                 "  float32 overflows.\n";
}

// ---------------------------------------------------------------------------
// Part 3: logistic regression, the same rule with another loss
// ---------------------------------------------------------------------------

struct Classification {
    Tensor x;  // [N, 2] standardized vibration RMS and bearing temperature
    Tensor y;  // [N]    1 = faulty, 0 = healthy
};

// Healthy bearings cluster around (-1, -0.5), faulty ones around (1, 0.8); the
// clouds overlap, so no line separates them perfectly.
Classification make_bearing_data(int64_t n, uint64_t seed) {
    Generator gen(seed);
    Tensor x = Tensor::empty({n, 2}), y = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) {
        const bool faulty = gen.uniform() < 0.5f;
        x.at({i, 0}) = (faulty ? 1.0f : -1.0f) + 0.8f * gen.normal();
        x.at({i, 1}) = (faulty ? 0.8f : -0.5f) + 0.8f * gen.normal();
        y.at({i}) = faulty ? 1.0f : 0.0f;
    }
    return {x, y};
}

// p = sigmoid(x . w + b) > 0.5, i.e. x . w + b > 0: the fraction classified right.
double bearing_accuracy(const Variable& w, const Variable& b, const Classification& d) {
    const Tensor z = tensor::add(tensor::matmul(d.x, w.value()), b.value());
    std::vector<int64_t> pred, truth;
    for (int64_t i = 0; i < d.x.size(0); ++i) {
        pred.push_back(z.at({i}) > 0.0f ? 1 : 0);
        truth.push_back(static_cast<int64_t>(d.y.at({i})));
    }
    return iot::accuracy(truth, pred);
}

void logistic_regression() {
    section("Part 3: logistic regression, fault / no fault");
    const Classification train = make_bearing_data(400, /*seed=*/11), test = make_bearing_data(200, /*seed=*/12);
    Variable w(Tensor::zeros({2}), true), b(Tensor::scalar(0.0f), true);
    std::vector<Variable> params{w, b};
    const float alpha = 0.5f;
    const auto start = std::chrono::steady_clock::now();
    for (int step = 0; step < 100; ++step) {
        for (Variable& p : params) p.zero_grad();
        // L = -(1/N) sum [y log sigma(z) + (1 - y) log(1 - sigma(z))], z = x . w + b,
        // computed stably from the logits z; its gradient is (sigma(z) - y) / N per sample.
        const Variable z = matmul(Variable(train.x), w) + b;
        Variable loss = nn::binary_cross_entropy_with_logits(z, train.y);
        loss.backward();
        if (step % 20 == 0) std::cout << "  step " << std::setw(3) << step << "  loss " << loss.item() << "\n";
        gradient_step(params, alpha);  // equation (1), unchanged
    }
    print_cost(params, seconds_since(start));
    std::cout << "  w = [" << w.value().at({0}) << ", " << w.value().at({1}) << "], b = " << b.item() << "\n"
              << "  accuracy: train " << std::setprecision(1) << 100 * bearing_accuracy(w, b, train) << "%, test "
              << 100 * bearing_accuracy(w, b, test) << "% (" << test.x.size(0) << " unseen bearings)\n";
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);
    linear_regression();
    learning_rates();
    logistic_regression();
    return 0;
}
