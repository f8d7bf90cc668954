// Tutorial 04: softmax and cross-entropy, the paper's equations (3) and (2),
//
//     softmax(z)_i = e^{z_i} / sum_j e^{z_j}                      (3)
//     L(y, y_hat)  = - sum_i y_i log y_hat_i                      (2)
//
//   Part 1: softmax by hand next to the op.
//   Part 2: why every implementation subtracts the max first (logits of 1000).
//   Part 3: cross-entropy by hand next to the op.
//   Part 4: the gradient of the pair is y_hat - y: autograd and the formula
//           side by side, and why the fused op beats log(softmax(z)).
//   Part 5: a softmax classifier: three machine states from two sensors.
//
// Build and run:  make tutorials   (or: build/tutorial_04_softmax_cross_entropy)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"  // Variable, softmax, cross_entropy, ...
#include "iot/data.hpp"           // iot::TensorDataset, iot::DataLoader
#include "iot/metrics.hpp"        // iot::accuracy, ConfusionMatrix, classification_report
#include "layers/linear.hpp"
#include "optim/sgd.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

// A float for printing; NaN as plain "nan" (some libraries print "-nan").
std::string show(float x) {
    if (std::isnan(x)) return "nan";
    std::ostringstream os;
    os << std::fixed << std::setprecision(4) << x;
    return os.str();
}

void print_row(const std::string& label, const std::vector<float>& v) {
    std::cout << "  " << std::left << std::setw(36) << label << std::right;
    for (float x : v) std::cout << std::setw(12) << show(x);
    std::cout << "\n";
}

// Equation (3) exactly as written: e^{z_i} / sum_j e^{z_j}.
std::vector<float> softmax_naive(const std::vector<float>& z) {
    std::vector<float> e;
    float total = 0;
    for (float zi : z) e.push_back(std::exp(zi)), total += e.back();
    for (float& ei : e) ei /= total;
    return e;
}

// The same after subtracting m = max_j z_j: e^{z_i - m} / sum_j e^{z_j - m}.
// The factor e^{-m} cancels between numerator and denominator, so the value is
// unchanged, but now every exponent is <= 0 and the largest term is exactly 1.
std::vector<float> softmax_stable(const std::vector<float>& z) {
    float m = z[0];
    for (float zi : z) m = std::max(m, zi);
    std::vector<float> shifted;
    for (float zi : z) shifted.push_back(zi - m);
    return softmax_naive(shifted);
}

std::vector<float> softmax_op(const std::vector<float>& z) {
    return softmax(Variable(Tensor::from({static_cast<int64_t>(z.size())}, z))).value().to_vector();
}

void softmax_by_hand() {
    section("Part 1: softmax (equation 3) by hand and as the op");
    const std::vector<float> z = {2.0f, 1.0f, 0.1f};
    print_row("logits z", z);
    print_row("e^z / sum e^z (by hand)", softmax_naive(z));
    print_row("softmax(z) (the op)", softmax_op(z));
    float total = 0;
    for (float p : softmax_op(z)) total += p;
    std::cout << "  the probabilities sum to " << total << "; the largest logit gets the largest share\n";
}

void softmax_overflow() {
    section("Part 2: logits of 1000: why the max is subtracted");
    const std::vector<float> z = {1000.0f, 1001.0f, 1002.0f};
    print_row("logits z", z);
    std::cout << "  e^1000 = " << std::exp(1000.0f) << " in float32 (the largest float is about 3.4e38)\n";
    print_row("naive e^z / sum e^z", softmax_naive(z));
    print_row("stable, e^(z - max) / sum", softmax_stable(z));
    print_row("softmax(z) (the op)", softmax_op(z));
    print_row("softmax of {0, 1, 2} for comparison", softmax_op({0.0f, 1.0f, 2.0f}));
    std::cout << "  Naive: inf / inf = nan. Softmax only sees differences between logits, so\n"
                 "  shifting by the max changes nothing but the overflow. The op does the shift.\n";
}

// ---------------------------------------------------------------------------
// Parts 3 and 4: cross-entropy and its gradient on a small batch
// ---------------------------------------------------------------------------

// A batch of 4 samples, 3 classes: logits [4, 3] and class indices [4] (as floats).
Tensor batch_logits() {
    return Tensor::from({4, 3}, {2.0f, 0.5f, -1.0f,    // sample 0, class 0: right
                                 0.1f, 0.2f, 0.3f,     // sample 1, class 2: barely right
                                 1.5f, -0.5f, 0.0f,    // sample 2, class 1: wrong
                                 -1.0f, 0.0f, 3.0f});  // sample 3, class 2: confident and right
}
Tensor batch_targets() { return Tensor::from({4}, {0, 2, 1, 2}); }

// One-hot rows y: y[n, c] = 1 if c is sample n's class.
Tensor one_hot(const Tensor& targets, int64_t classes) {
    Tensor y = Tensor::zeros({targets.size(0), classes});
    for (int64_t n = 0; n < targets.size(0); ++n) y.at({n, static_cast<int64_t>(targets.at({n}))}) = 1.0f;
    return y;
}

void cross_entropy_by_hand() {
    section("Part 3: cross-entropy (equation 2) by hand and as the op");
    const Tensor logits = batch_logits(), targets = batch_targets();
    const Tensor y = one_hot(targets, 3);
    double total = 0;
    for (int64_t n = 0; n < 4; ++n) {
        const std::vector<float> p = softmax_stable(logits.select(0, n).to_vector());
        double l = 0;
        for (int64_t c = 0; c < 3; ++c) l -= y.at({n, c}) * std::log(p[c]);  // - sum_i y_i log y_hat_i
        std::cout << "  sample " << n << ": y_hat = [" << p[0] << ", " << p[1] << ", " << p[2] << "], class "
                  << static_cast<int>(targets.at({n})) << ",  L_n = -log y_hat_class = " << l << "\n";
        total += l;
    }
    const Variable op = cross_entropy(Variable(logits), targets);  // Reduction::Mean
    std::cout << "  mean over the batch, by hand:      " << total / 4 << "\n"
              << "  cross_entropy(logits, targets):    " << op.item() << "\n"
              << "  Only the true class's term survives the one-hot sum: confident and right (sample 3)\n"
              << "  costs little, confident and wrong (sample 2) costs most.\n";
}

void gradient_is_yhat_minus_y() {
    section("Part 4: dL/dz = (y_hat - y) / N");
    const Tensor logits = batch_logits(), targets = batch_targets();
    Variable z(logits, /*requires_grad=*/true);
    cross_entropy(z, targets).backward();

    // The formula: softmax's Jacobian times -y/y_hat collapses to y_hat - y; Mean divides by N.
    const Tensor y_hat = softmax(Variable(logits)).value();
    const Tensor formula = tensor::mul(tensor::sub(y_hat, one_hot(targets, 3)), 1.0f / 4.0f);
    std::cout << "  " << std::setw(12) << "" << std::setw(30) << "autograd dL/dz" << std::setw(34)
              << "(y_hat - y) / N" << "\n";
    for (int64_t n = 0; n < 4; ++n) {
        std::cout << "  sample " << n << "  ";
        for (int64_t c = 0; c < 3; ++c) std::cout << std::setw(10) << z.grad().at({n, c});
        std::cout << "    ";
        for (int64_t c = 0; c < 3; ++c) std::cout << std::setw(10) << formula.at({n, c});
        std::cout << "\n";
    }
    std::cout << "  largest difference: " << std::scientific << std::setprecision(1)
              << tensor::max(tensor::abs(tensor::sub(z.grad(), formula))).item() << std::fixed
              << std::setprecision(4) << "\n";

    // The unfused route, -mean(sum(y * log(softmax(z)))): autograd multiplies the
    // Jacobians of log, softmax, mul, sum and mean, and lands on the same numbers.
    Variable z2(logits, true);
    Variable composed = -mean(sum(Variable(one_hot(targets, 3)) * log(softmax(z2)), {1}));
    composed.backward();
    std::cout << "  the same loss composed from softmax, log, mul, sum, mean: loss " << composed.item()
              << ", largest gradient difference " << std::scientific << std::setprecision(1)
              << tensor::max(tensor::abs(tensor::sub(z2.grad(), formula))).item() << std::fixed
              << std::setprecision(4) << "\n";
}

// The same loss composed from two ops, log(softmax(z)), next to the fused op,
// on logits so far apart that softmax rounds the wrong class to exactly 0.
void fused_versus_composed() {
    std::cout << "\n  On mild logits the two routes agree. On extreme ones they do not:\n";
    const Tensor z = Tensor::from({1, 2}, {0.0f, 200.0f});
    const Tensor target = Tensor::from({1}, {0});  // the true class has the SMALL logit
    Variable a(z.clone(), true), b(z.clone(), true);
    Variable composed = -sum(Variable(one_hot(target, 2)) * log(softmax(a)));
    composed.backward();
    Variable fused = cross_entropy(b, target);
    fused.backward();
    std::cout << "  z = [0, 200], class 0:  softmax(z) = [" << softmax(Variable(z)).value().at({0, 0}) << ", "
              << softmax(Variable(z)).value().at({0, 1}) << "]\n"
              << "    -log(softmax(z))[0]: loss " << composed.item() << ", gradient [" << show(a.grad().at({0, 0}))
              << ", " << show(a.grad().at({0, 1})) << "]\n"
              << "    cross_entropy(z, 0): loss " << fused.item() << ", gradient [" << show(b.grad().at({0, 0}))
              << ", " << show(b.grad().at({0, 1})) << "]\n"
              << "  e^-200 underflows to 0 in float32, and log 0 = -inf. The fused op computes\n"
              << "  log softmax = z - max - log sum e^(z - max) directly and never takes log 0.\n";
}

// ---------------------------------------------------------------------------
// Part 5: a softmax classifier
// ---------------------------------------------------------------------------

struct Blobs {
    Tensor x;  // [N, 2] standardized motor current and temperature
    Tensor y;  // [N]    0 = idle, 1 = running, 2 = overheating
};

// Three overlapping Gaussian clouds, one per machine state.
Blobs make_machine_states(int64_t n, uint64_t seed) {
    const float centres[3][2] = {{-1.5f, -1.0f}, {1.2f, -0.6f}, {0.3f, 1.6f}};
    Generator gen(seed);
    Blobs d{Tensor::empty({n, 2}), Tensor::empty({n})};
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = static_cast<int64_t>(gen.below(3));
        d.x.at({i, 0}) = centres[c][0] + 0.7f * gen.normal();
        d.x.at({i, 1}) = centres[c][1] + 0.7f * gen.normal();
        d.y.at({i}) = static_cast<float>(c);
    }
    return d;
}

void softmax_classifier() {
    section("Part 5: a softmax classifier: idle / running / overheating");
    const Blobs train = make_machine_states(600, /*seed=*/21), test = make_machine_states(300, /*seed=*/22);
    Generator gen(5);
    nn::Linear model(2, 3, gen);  // z = W x + b: three logits from two readings
    optim::SGD opt(model.parameters(), /*lr=*/0.2);
    const iot::TensorDataset data(train.x, train.y);
    iot::DataLoader loader(data, /*batch_size=*/32, /*shuffle_seed=*/7);

    const auto start = std::chrono::steady_clock::now();
    for (int epoch = 0; epoch < 20; ++epoch) {
        double total = 0;
        for (const iot::Batch& b : loader) {  // one mini-batch: equation (1) on its gradient
            Variable loss = cross_entropy(model(Variable(b.x)), b.y);  // equations (3) + (2)
            opt.zero_grad();
            loss.backward();
            opt.step();
            total += loss.item() * b.x.size(0);
        }
        if (epoch % 5 == 0 || epoch == 19)
            std::cout << "  epoch " << std::setw(2) << epoch << "  mean loss " << total / train.x.size(0) << "\n";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    NoGradGuard no_grad;  // evaluation records no graph
    const Tensor scores = model(Variable(test.x)).value();
    std::cout << "  parameters: " << model.num_parameters() << " (" << model.num_parameters() * 4
              << " bytes as float32), training time: " << std::setprecision(1) << seconds * 1000 << " ms\n"
              << "  accuracy: train " << 100 * iot::accuracy(model(Variable(train.x)).value(), train.y) << "%, test "
              << 100 * iot::accuracy(scores, test.y) << "%\n\n";
    const iot::ConfusionMatrix cm(iot::labels(test.y), iot::predictions(scores), 3);
    std::cout << iot::classification_report(cm, {"idle", "running", "overheating"});
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);
    softmax_by_hand();
    softmax_overflow();
    cross_entropy_by_hand();
    gradient_is_yhat_minus_y();
    fused_versus_composed();
    softmax_classifier();
    return 0;
}
