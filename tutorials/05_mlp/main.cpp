// Tutorial 05: the multi-layer perceptron.
//
// A layer is z = W x + b followed by an activation, the paper's equation (5),
// a = f(z). Without f, any stack of layers collapses into one linear map.
//
//   Part 1: ReLU, tanh and sigmoid and their derivatives (what backward multiplies by).
//   Part 2: initialization: the spread of activations through 10 layers with a
//           bad and a good choice of initial weights (Kaiming for ReLU, Xavier for tanh).
//   Part 3: an MLP trained with Adam on a task no line can solve (three
//           concentric rings), next to a linear model; ReLU vs tanh vs sigmoid.
//
// Build and run:  make tutorials   (or: build/tutorial_05_mlp)
#include <chrono>
#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"
#include "iot/data.hpp"
#include "iot/metrics.hpp"
#include "layers/layers.hpp"  // nn::Sequential, nn::Linear, activations, nn::init, nn::summary
#include "optim/adam.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

// ---------------------------------------------------------------------------
// Part 1: activations, a = f(z)
// ---------------------------------------------------------------------------

using ActivationFn = std::function<Variable(const Variable&)>;

struct NamedActivation {
    std::string name;
    ActivationFn f;
};

std::vector<NamedActivation> activations() {
    return {{"relu", [](const Variable& z) { return relu(z); }},
            {"tanh", [](const Variable& z) { return tanh(z); }},
            {"sigmoid", [](const Variable& z) { return sigmoid(z); }}};
}

// f(z) and f'(z) at a few points. backward() of sum(f(z)) gives f'(z) at every
// point at once, because each output depends only on its own input.
void activation_table() {
    section("Part 1: activations a = f(z) (equation 5) and their slopes f'(z)");
    const std::vector<float> zs = {-4.0f, -1.0f, 0.0f, 1.0f, 4.0f};
    std::cout << "  " << std::setw(16) << "z =";
    for (float z : zs) std::cout << std::setw(9) << z;
    std::cout << "\n";
    for (const NamedActivation& act : activations()) {
        Variable z(Tensor::from({5}, zs), true);
        const Variable a = act.f(z);
        sum(a).backward();
        std::cout << "  " << std::setw(16) << (act.name + "(z)");
        for (float v : a.value().to_vector()) std::cout << std::setw(9) << v;
        std::cout << "\n  " << std::setw(16) << (act.name + "'(z)");
        for (float v : z.grad().to_vector()) std::cout << std::setw(9) << v;
        std::cout << "\n";
    }
    std::cout << "  sigmoid' is at most 0.25 and tanh' at most 1, and both vanish for large |z|:\n"
                 "  backward multiplies by one such slope per layer. ReLU' is exactly 1 wherever z > 0.\n";
}

// ---------------------------------------------------------------------------
// Part 2: initialization
// ---------------------------------------------------------------------------

// 0.123, or 1.2e+05 / 3.4e-07 when fixed notation would not show the number.
std::string compact(float v) {
    std::ostringstream os;
    if (v != 0.0f && (v < 1e-3f || v >= 1e4f))
        os << std::scientific << std::setprecision(1) << v;
    else
        os << std::fixed << std::setprecision(3) << v;
    return os.str();
}

// The standard deviation of the activations after each of `depth` layers of
// width 256 for a batch of 256 unit-variance inputs, with weights set by `init`.
std::vector<float> activation_spread(const std::function<void(Tensor&, Generator&)>& init, const ActivationFn& f,
                                     int depth, Generator& gen) {
    NoGradGuard no_grad;  // only looking, no training
    Variable a(Tensor::randn({256, 256}, gen));
    std::vector<float> stds;
    for (int l = 0; l < depth; ++l) {
        nn::Linear layer(256, 256, gen);
        init(layer.weight.value(), gen);
        nn::init::zeros(layer.bias.value());
        a = f(layer(a));
        stds.push_back(std::sqrt(tensor::var(a.value(), {0, 1}).item()));
    }
    return stds;
}

void initialization() {
    section("Part 2: the spread of activations through 10 layers of width 256");
    using nn::init::FanMode;
    using nn::init::Nonlinearity;
    const ActivationFn relu_f = [](const Variable& z) { return relu(z); };
    const ActivationFn tanh_f = [](const Variable& z) { return tanh(z); };
    struct Case {
        std::string name;
        std::function<void(Tensor&, Generator&)> init;
        ActivationFn f;
    };
    const std::vector<Case> cases = {
        {"ReLU, N(0, 0.01^2)", [](Tensor& w, Generator& g) { nn::init::normal(w, g, 0.0f, 0.01f); }, relu_f},
        {"ReLU, N(0, 1)", [](Tensor& w, Generator& g) { nn::init::normal(w, g, 0.0f, 1.0f); }, relu_f},
        {"ReLU, Kaiming", [](Tensor& w, Generator& g) {
             nn::init::kaiming_normal(w, g, 0.0f, FanMode::FanIn, Nonlinearity::Relu);
         }, relu_f},
        {"tanh, N(0, 1)", [](Tensor& w, Generator& g) { nn::init::normal(w, g, 0.0f, 1.0f); }, tanh_f},
        {"tanh, Xavier", [](Tensor& w, Generator& g) {
             nn::init::xavier_normal(w, g, nn::init::calculate_gain(Nonlinearity::Tanh));
         }, tanh_f},
    };
    std::cout << "  " << std::left << std::setw(22) << "layer:" << std::right;
    for (int l = 1; l <= 10; ++l) std::cout << std::setw(9) << l;
    std::cout << "\n";
    for (const Case& c : cases) {
        Generator gen(99);
        std::cout << "  " << std::left << std::setw(22) << c.name << std::right;
        for (float s : activation_spread(c.init, c.f, 10, gen)) std::cout << std::setw(9) << compact(s);
        std::cout << "\n";
    }
    std::cout << "  Each ReLU layer multiplies the spread by about std(w) * sqrt(256 / 2) = 11.3 std(w):\n"
                 "  std(w) = 0.01 shrinks it ~9x per layer, std(w) = 1 grows it ~11x. Kaiming picks\n"
                 "  std(w) = sqrt(2 / fan_in), which makes the factor 1.\n"
                 "  tanh with N(0, 1) saturates at +-1 (slope ~0: no gradient); Xavier keeps it in range.\n";
}

// ---------------------------------------------------------------------------
// Part 3: an MLP on three concentric rings
// ---------------------------------------------------------------------------

struct Rings {
    Tensor x;  // [N, 2] points
    Tensor y;  // [N]    which ring: 0 (radius 1), 1 (radius 2), 2 (radius 3)
};

// Think of a sensor's 2-d feature (e.g. two vibration axes) whose distance
// from the origin, not its direction, tells the state: no line separates the classes.
Rings make_rings(int64_t n, uint64_t seed) {
    Generator gen(seed);
    Rings d{Tensor::empty({n, 2}), Tensor::empty({n})};
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = static_cast<int64_t>(gen.below(3));
        const float radius = static_cast<float>(c + 1) + 0.25f * gen.normal();
        const float angle = gen.uniform(0.0f, 6.2831853f);
        d.x.at({i, 0}) = radius * std::cos(angle);
        d.x.at({i, 1}) = radius * std::sin(angle);
        d.y.at({i}) = static_cast<float>(c);
    }
    return d;
}

std::unique_ptr<nn::Module> make_activation(const std::string& name) {
    if (name == "relu") return std::make_unique<nn::ReLU>();
    if (name == "tanh") return std::make_unique<nn::Tanh>();
    return std::make_unique<nn::Sigmoid>();
}

// A Linear layer initialized for the activation that follows it: Kaiming for
// ReLU, Xavier (with tanh's gain 5/3 where it applies) otherwise.
nn::Linear make_linear(int64_t in, int64_t out, const std::string& activation, Generator& gen) {
    using nn::init::Nonlinearity;
    nn::Linear layer(in, out, gen);
    if (activation == "relu")
        nn::init::kaiming_normal(layer.weight.value(), gen, 0.0f, nn::init::FanMode::FanIn, Nonlinearity::Relu);
    else
        nn::init::xavier_normal(
            layer.weight.value(), gen,
            nn::init::calculate_gain(activation == "tanh" ? Nonlinearity::Tanh : Nonlinearity::Sigmoid));
    nn::init::zeros(layer.bias.value());
    return layer;
}

// 2 -> hidden -> hidden -> 3, an activation after each hidden layer. With
// activation "none" the model is a single Linear layer: the linear baseline.
nn::Sequential make_model(const std::string& activation, int64_t hidden, Generator& gen) {
    nn::Sequential model;
    if (activation == "none") {
        model.emplace_back(nn::Linear(2, 3, gen));
        return model;
    }
    model.emplace_back(make_linear(2, hidden, activation, gen));
    model.push_back(make_activation(activation));
    model.emplace_back(make_linear(hidden, hidden, activation, gen));
    model.push_back(make_activation(activation));
    model.emplace_back(nn::Linear(hidden, 3, gen));
    return model;
}

struct Result {
    double train_acc, test_acc, seconds, final_loss;
};

// Mini-batch training with Adam and cross-entropy (equations 2 and 3).
Result train(nn::Sequential& model, const Rings& train_set, const Rings& test_set, int epochs) {
    optim::Adam opt(model.parameters(), /*lr=*/0.01);
    const iot::TensorDataset data(train_set.x, train_set.y);
    iot::DataLoader loader(data, /*batch_size=*/32, /*shuffle_seed=*/3);
    double last = 0;
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
        last = total / train_set.x.size(0);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    NoGradGuard no_grad;
    return {iot::accuracy(model(Variable(train_set.x)).value(), train_set.y),
            iot::accuracy(model(Variable(test_set.x)).value(), test_set.y), seconds, last};
}

void rings() {
    section("Part 3: an MLP on three concentric rings, trained with Adam");
    const Rings train_set = make_rings(900, /*seed=*/31), test_set = make_rings(600, /*seed=*/32);
    const int64_t hidden = 32;
    const int epochs = 40;
    {
        Generator gen(1);
        nn::Sequential model = make_model("relu", hidden, gen);
        std::cout << "  The model (printing a module lists its layers and parameter counts):\n" << model;
        std::cout << "\n  nn::summary(model, {1, 2}) runs one sample through it and shows each output shape:\n"
                  << nn::summary(model, {1, 2});
    }
    std::cout << "\n  " << epochs << " epochs of 900 points, batch 32, Adam(lr = 0.01), the same seed for each:\n";
    std::cout << "  " << std::left << std::setw(18) << "model" << std::right << std::setw(8) << "params" << std::setw(8)
              << "bytes" << std::setw(12) << "final loss" << std::setw(11) << "train acc" << std::setw(10)
              << "test acc" << std::setw(10) << "time" << "\n";
    for (const std::string act : {"none", "relu", "tanh", "sigmoid"}) {
        Generator gen(1);
        nn::Sequential model = make_model(act, hidden, gen);
        const Result r = train(model, train_set, test_set, epochs);
        const std::string name = act == "none" ? "linear (no f)" : "MLP, " + act;
        std::cout << "  " << std::left << std::setw(18) << name << std::right << std::setw(8) << model.num_parameters()
                  << std::setw(8) << model.num_parameters() * 4 << std::setw(12) << std::setprecision(4)
                  << r.final_loss << std::setprecision(1) << std::setw(10) << 100 * r.train_acc << "%" << std::setw(9)
                  << 100 * r.test_acc << "%" << std::setw(8) << r.seconds * 1000 << " ms\n";
    }
    std::cout << std::setprecision(4)
              << "  The linear model can only cut the plane with straight lines, so it cannot tell the\n"
                 "  rings apart; one hidden nonlinearity is enough to bend the boundary into circles.\n";
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);
    activation_table();
    initialization();
    rings();
    return 0;
}
