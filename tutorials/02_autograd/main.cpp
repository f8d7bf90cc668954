// Tutorial 02: automatic differentiation, checked three ways, then used to fit
// a line with gradient descent (the paper's equation 1).
//
//   Part 1: one neuron's squared error, L = (tanh(w x + b) - t)^2.
//           Its gradient by hand (chain rule), by backward(), and by finite
//           differences / gradcheck: the three must agree.
//   Part 2: fit y = 2x + 1 + noise by w <- w - alpha dL/dw, written out by
//           hand, then the same with optim::SGD. The loss graph is written to
//           loss_graph.dot for Graphviz.
//
// Build and run:  make tutorials   (or: build/tutorial_02_autograd)
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"  // Variable, every op, gradcheck, write_dot
#include "optim/sgd.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

// ---------------------------------------------------------------------------
// Part 1: one neuron, three ways to its gradient
// ---------------------------------------------------------------------------

constexpr float kTarget = 1.0f;  // t, the output we want the neuron to give

// L(w, x, b) = (a - t)^2 with a = tanh(z), z = w x + b: a neuron (equation 5,
// a = f(z)) and its squared error. inputs = {w, x, b}.
Variable neuron_loss(const std::vector<Variable>& in) {
    const Variable z = in[0] * in[1] + in[2];
    const Variable a = tanh(z);
    const Variable e = a - kTarget;
    return e * e;
}

// The chain rule, written out: dL/dw = dL/da * da/dz * dz/dw, and likewise for x, b.
std::vector<double> gradient_by_hand(double w, double x, double b) {
    const double z = w * x + b;
    const double a = std::tanh(z);
    const double dL_da = 2.0 * (a - kTarget);  // d/da (a - t)^2
    const double da_dz = 1.0 - a * a;          // d/dz tanh z = 1 - tanh^2 z
    std::cout << "  by hand:  z = w x + b = " << z << ",  a = tanh z = " << a << ",  L = (a - t)^2 = "
              << (a - kTarget) * (a - kTarget) << "\n"
              << "            dL/da = 2(a - t) = " << dL_da << ",  da/dz = 1 - a^2 = " << da_dz << "\n"
              << "            dz/dw = x,  dz/dx = w,  dz/db = 1\n";
    return {dL_da * da_dz * x, dL_da * da_dz * w, dL_da * da_dz * 1.0};
}

// Central differences (L(v + eps) - L(v - eps)) / (2 eps): the definition of
// the derivative, with no calculus at all. gradcheck does this for every element.
std::vector<double> gradient_by_differences(const std::vector<float>& v, float eps) {
    std::vector<double> g;
    for (size_t i = 0; i < v.size(); ++i) {
        auto loss_at = [&](float delta) {
            std::vector<Variable> in;
            for (size_t j = 0; j < v.size(); ++j) in.emplace_back(Tensor::scalar(v[j] + (i == j ? delta : 0.0f)));
            return static_cast<double>(neuron_loss(in).item());
        };
        g.push_back((loss_at(eps) - loss_at(-eps)) / (2.0 * eps));
    }
    return g;
}

void three_ways() {
    section("Part 1: the gradient of L = (tanh(w x + b) - t)^2, three ways");
    const std::vector<float> v = {0.5f, 2.0f, -0.3f};  // w, x, b
    const char* names[] = {"w", "x", "b"};
    std::cout << std::fixed << std::setprecision(6);
    std::cout << "  at w = " << v[0] << ", x = " << v[1] << ", b = " << v[2] << ", t = " << kTarget << "\n";

    const std::vector<double> hand = gradient_by_hand(v[0], v[1], v[2]);

    // backward(): the graph recorded while computing L, walked in reverse.
    std::vector<Variable> in;
    for (size_t i = 0; i < v.size(); ++i) in.emplace_back(Tensor::scalar(v[i]), /*requires_grad=*/true);
    neuron_loss(in).backward();
    std::vector<double> auto_grad;
    for (const Variable& p : in) auto_grad.push_back(p.grad().item());

    const std::vector<double> numeric = gradient_by_differences(v, 1e-3f);

    std::cout << "\n  " << std::left << std::setw(8) << "input" << std::right << std::setw(14) << "by hand"
              << std::setw(14) << "backward()" << std::setw(16) << "finite diff." << std::setw(18)
              << "|hand - backward|" << "\n";
    for (size_t i = 0; i < v.size(); ++i)
        std::cout << "  " << std::left << std::setw(8) << ("dL/d" + std::string(names[i])) << std::right
                  << std::setw(14) << hand[i] << std::setw(14) << auto_grad[i] << std::setw(16) << numeric[i]
                  << std::setw(18) << std::scientific << std::setprecision(1) << std::fabs(hand[i] - auto_grad[i])
                  << std::fixed << std::setprecision(6) << "\n";

    // gradcheck automates the third column for any function and any shapes.
    const GradcheckResult r = gradcheck(neuron_loss, in);
    std::cout << "\n  gradcheck(neuron_loss, {w, x, b}): " << (r.ok ? "ok" : "FAILED: " + r.message)
              << ", largest |numeric - backward| = " << std::scientific << std::setprecision(1) << r.max_abs_error
              << std::fixed << std::setprecision(6) << "\n"
              << "  (finite differences in float32 agree to about 1e-4; the hand and backward() columns\n"
              << "   agree to float32 rounding, because they compute the same formula)\n";
}

// ---------------------------------------------------------------------------
// Part 2: fitting a line with gradient descent
// ---------------------------------------------------------------------------

struct Data {
    Variable x, y;
};

// y = 2x + 1 + noise, from a seeded Generator: the same data on every run.
Data make_data(int64_t n, uint64_t seed) {
    Generator gen(seed);
    const Tensor x = Tensor::rand({n}, gen, -2.0f, 2.0f);
    const Tensor noise = Tensor::randn({n}, gen, 0.0f, 0.3f);
    const Tensor y = tensor::add(tensor::add(tensor::mul(x, 2.0f), 1.0f), noise);
    Data d{Variable(x), Variable(y)};
    d.x.set_name("x");
    d.y.set_name("y");
    return d;
}

// Mean squared error of the line w x + b: L = (1/N) sum_i (w x_i + b - y_i)^2.
Variable mse(const Variable& w, const Variable& b, const Data& d) { return mean(pow(w * d.x + b - d.y, 2.0f)); }

// The closed-form least-squares line, the answer gradient descent should approach.
void least_squares(const Data& d, float& w, float& b) {
    const std::vector<float> x = d.x.value().to_vector(), y = d.y.value().to_vector();
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= x.size(), my /= x.size();
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
    w = static_cast<float>(sxy / sxx);
    b = static_cast<float>(my - w * mx);
}

void print_row(int step, float loss, const Variable& w, const Variable& b) {
    std::cout << "  " << std::setw(6) << step << std::setw(12) << loss << std::setw(10) << w.item() << std::setw(10)
              << b.item() << std::setw(12) << w.grad().item() << std::setw(12) << b.grad().item() << "\n";
}

// Equation (1), w_{t+1} = w_t - alpha * dL/dw, written out.
void fit_by_hand(const Data& d, Variable& w, Variable& b, float alpha, int steps) {
    section("Part 2a: gradient descent by hand, w <- w - alpha dL/dw (equation 1)");
    std::cout << "  alpha = " << alpha << ", " << steps << " steps, N = " << d.x.numel() << " points\n";
    std::cout << "  " << std::setw(6) << "step" << std::setw(12) << "loss" << std::setw(10) << "w" << std::setw(10)
              << "b" << std::setw(12) << "dL/dw" << std::setw(12) << "dL/db" << "\n";
    for (int step = 0; step < steps; ++step) {
        w.zero_grad();  // gradients accumulate: clear last step's first
        b.zero_grad();
        Variable loss = mse(w, b, d);
        loss.backward();  // fills w.grad() and b.grad()
        if (step % 10 == 0 || step == steps - 1) print_row(step, loss.item(), w, b);
        // The update is not part of the model: NoGradGuard makes sure nothing
        // in this block is recorded for a later backward. It updates the values
        // in place, so w and b stay the same parameters.
        NoGradGuard no_grad;
        w.value().copy_(tensor::sub(w.value(), tensor::mul(w.grad(), alpha)));
        b.value().copy_(tensor::sub(b.value(), tensor::mul(b.grad(), alpha)));
    }
}

// The same loop with the library's optimizer: step() is equation (1) too.
void fit_with_sgd(const Data& d, Variable& w, Variable& b, float alpha, int steps) {
    section("Part 2b: the same with optim::SGD");
    optim::SGD opt({w, b}, alpha);
    for (int step = 0; step < steps; ++step) {
        opt.zero_grad();
        Variable loss = mse(w, b, d);
        loss.backward();
        opt.step();
    }
    std::cout << "  optim::SGD({w, b}, " << alpha << "): after " << steps << " steps w = " << w.item()
              << ", b = " << b.item() << "\n";
}

void fit_line() {
    std::cout << std::fixed << std::setprecision(4);
    const Data d = make_data(64, /*seed=*/42);
    const float alpha = 0.05f;
    const int steps = 100;

    Variable w(Tensor::scalar(0.0f), true), b(Tensor::scalar(0.0f), true);
    w.set_name("w");
    b.set_name("b");
    fit_by_hand(d, w, b, alpha, steps);

    Variable w2(Tensor::scalar(0.0f), true), b2(Tensor::scalar(0.0f), true);
    fit_with_sgd(d, w2, b2, alpha, steps);

    float ls_w = 0, ls_b = 0;
    least_squares(d, ls_w, ls_b);
    section("Result");
    std::cout << "  " << std::left << std::setw(34) << "" << std::right << std::setw(10) << "w" << std::setw(10) << "b"
              << "\n";
    auto line = [](const std::string& what, float wv, float bv) {
        std::cout << "  " << std::left << std::setw(34) << what << std::right << std::setw(10) << wv << std::setw(10)
                  << bv << "\n";
    };
    line("true line (before noise)", 2.0f, 1.0f);
    line("least squares (closed form)", ls_w, ls_b);
    line("gradient descent by hand", w.item(), b.item());
    line("optim::SGD", w2.item(), b2.item());
    std::cout << "  by hand vs optim::SGD: |dw| = " << std::scientific << std::setprecision(1)
              << std::fabs(w.item() - w2.item()) << ", |db| = " << std::fabs(b.item() - b2.item()) << std::fixed
              << std::setprecision(4) << " (the same rule, so the same numbers)\n";
    std::cout << "  The fit approaches least squares, not the true line: the noise is in the data.\n";

    // backward() frees the graph it walked, so build the loss once more to look at it.
    const Variable loss = mse(w, b, d);
    write_dot(loss, "loss_graph.dot");
    std::cout << "\n  Wrote the graph of L = mean((w x + b - y)^2) to loss_graph.dot;\n"
              << "  render it with:  dot -Tpng loss_graph.dot -o loss_graph.png\n";
}

}  // namespace

int main() {
    three_ways();
    fit_line();
    return 0;
}
