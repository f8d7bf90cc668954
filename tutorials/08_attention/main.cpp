// Tutorial 08: attention and the Transformer encoder.
//
//     Attention(Q, K, V) = softmax(Q K^T / sqrt(d)) V
//
// Each query scores every key (a dot product), the scores become weights by
// the softmax of equation (3), and the output is the weighted mean of the values.
//
//   Part 1: scaled dot-product attention by hand on 3 tokens, next to the library's.
//   Part 2: masks: a causal mask stops a token from attending to the future.
//   Part 3: a small Transformer encoder (patch embedding + positional encoding +
//           TransformerEncoderLayer) on the sensor windows of tutorials 06 and 07,
//           trained on the same 600 windows as there, then on three times as many.
//
// Build and run:  make tutorials   (or: build/tutorial_08_attention)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"
#include "iot/data.hpp"
#include "iot/metrics.hpp"
#include "layers/layers.hpp"  // scaled_dot_product_attention, causal_mask, TransformerEncoderLayer, ...
#include "optim/adam.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/matmul.hpp"
#include "tensor/reduce.hpp"
#include "tensor/tensor.hpp"

using namespace iotgrad;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

void print_matrix(const std::string& title, const Tensor& m) {
    std::cout << "  " << title << "\n";
    for (int64_t i = 0; i < m.size(0); ++i) {
        std::cout << "    ";
        for (int64_t j = 0; j < m.size(1); ++j) std::cout << std::setw(9) << m.at({i, j});
        std::cout << "\n";
    }
}

// ---------------------------------------------------------------------------
// Parts 1 and 2: attention by hand
// ---------------------------------------------------------------------------

// Three tokens, d = 2. Think of three readings from a home: token 0 and token 2
// point the same way (both "kitchen" events), token 1 is different.
Tensor queries() { return Tensor::from({3, 2}, {2.0f, 0.0f, 0.0f, 2.0f, 2.0f, 0.4f}); }
// Self-attention: queries and keys come from the same tokens (in a real layer
// through different learned projections W_Q, W_K; here simply the same).
Tensor keys() { return queries(); }
Tensor values() { return Tensor::from({3, 2}, {10.0f, 0.0f, 0.0f, 10.0f, 5.0f, 5.0f}); }

// Row-wise softmax (equation 3, max subtracted) of scores [L, S]; mask[i][j] != 0
// means "query i may not see key j": its weight is forced to 0.
Tensor softmax_rows(const Tensor& scores, const Tensor& mask) {
    Tensor w = Tensor::zeros(scores.shape());
    for (int64_t i = 0; i < scores.size(0); ++i) {
        float m = -1e30f, total = 0;
        for (int64_t j = 0; j < scores.size(1); ++j)
            if (!mask.defined() || mask.at({i, j}) == 0) m = std::max(m, scores.at({i, j}));
        for (int64_t j = 0; j < scores.size(1); ++j)
            if (!mask.defined() || mask.at({i, j}) == 0) {
                w.at({i, j}) = std::exp(scores.at({i, j}) - m);
                total += w.at({i, j});
            }
        for (int64_t j = 0; j < scores.size(1); ++j) w.at({i, j}) /= total;
    }
    return w;
}

// softmax(Q K^T / sqrt(d)) V, one factor at a time, printing each.
Tensor attention_by_hand(const Tensor& mask) {
    const Tensor q = queries(), k = keys(), v = values();
    const float d = static_cast<float>(q.size(1));
    const Tensor scores = tensor::mul(tensor::matmul(q, k.t()), 1.0f / std::sqrt(d));
    print_matrix("scores = Q K^T / sqrt(d)   (row i: how well query i matches each key)", scores);
    const Tensor weights = softmax_rows(scores, mask);
    print_matrix("weights = softmax over each row (each row sums to 1)", weights);
    const Tensor out = tensor::matmul(weights, v);
    print_matrix("output = weights V   (each row a weighted mean of the value rows)", out);
    return weights;
}

void attention_demo() {
    section("Part 1: scaled dot-product attention on 3 tokens, by hand");
    print_matrix("Q = K (3 tokens, d = 2)", queries());
    print_matrix("V", values());
    const Tensor mine = attention_by_hand(Tensor());
    const nn::AttentionOutput lib =
        nn::scaled_dot_product_attention(Variable(queries()), Variable(keys()), Variable(values()));
    print_matrix("nn::scaled_dot_product_attention: weights", lib.weights.value());
    std::cout << "  largest difference from the hand-made weights: " << std::scientific << std::setprecision(1)
              << tensor::max(tensor::abs(tensor::sub(mine, lib.weights.value()))).item() << std::fixed
              << std::setprecision(3) << "\n"
              << "  Tokens 0 and 2 attend mostly to each other (and themselves): similar keys, large dot\n"
                 "  products. Dividing by sqrt(d) keeps the scores from growing with d, which would push\n"
                 "  the softmax to one-hot and its gradient to zero.\n";
}

void causal_demo() {
    section("Part 2: a causal mask: no peeking at the future");
    const Tensor mask = nn::causal_mask(3);
    print_matrix("causal_mask(3): 1 = key j is in the future of query i, hidden", mask);
    const Tensor mine = attention_by_hand(mask);
    const nn::AttentionOutput lib =
        nn::scaled_dot_product_attention(Variable(queries()), Variable(keys()), Variable(values()), mask);
    print_matrix("nn::scaled_dot_product_attention(q, k, v, mask): weights", lib.weights.value());
    std::cout << "  Token 0 can only see itself, token 1 tokens 0-1, token 2 all three: a model that\n"
                 "  forecasts a sensor stream must not read the readings it is asked to predict.\n";
}

// ---------------------------------------------------------------------------
// Part 3: a Transformer encoder on sensor windows
// ---------------------------------------------------------------------------

// The windows of tutorial 06: 9 channels x 64 steps, walking / running /
// cycling at 3 / 5 / 8 cycles per window (+-1), random amplitude and phase per
// channel, noise 0.6.
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

constexpr int64_t kPatch = 8, kTokens = 64 / kPatch, kModel = 32;

// Window [N, 9, 64] -> 8 tokens of 8 steps x 9 channels -> embedding -> + position
// -> one encoder layer (self-attention + feed-forward) -> mean over tokens -> 3 logits.
struct SensorTransformer : nn::Module {
    nn::Linear embed;
    nn::SinusoidalPositionalEncoding position;
    nn::TransformerEncoderLayer encoder;
    nn::Linear head;

    explicit SensorTransformer(Generator& gen)
        : embed(9 * kPatch, kModel, gen),
          position(nn::PositionalEncodingOptions(kModel, /*max_len=*/kTokens).batch_first(true)),
          encoder(nn::TransformerEncoderLayerOptions(kModel, /*nhead=*/4)
                      .dim_feedforward(64)
                      .dropout(0.0f)
                      .batch_first(true),
                  gen),
          head(kModel, 3, gen) {
        register_module("embed", embed);
        register_module("position", position);
        register_module("encoder", encoder);
        register_module("head", head);
    }

    // [N, 9, 64] -> [N, 9, 8, 8] -> [N, 8, 9, 8] -> [N, 8, 72]: token p holds steps 8p..8p+7 of every channel.
    static Variable patches(const Variable& x) {
        const int64_t n = x.size(0);
        return reshape(permute(reshape(x, {n, 9, kTokens, kPatch}), {0, 2, 1, 3}), {n, kTokens, 9 * kPatch});
    }

    Variable forward(const Variable& x) override {
        const Variable tokens = position(embed(patches(x)));  // [N, 8, 32]: what and where
        const Variable encoded = encoder(tokens);             // every token attends to every other
        return head(mean(encoded, {1}));                      // average the tokens, classify
    }
};

// a's rows followed by b's, in a new tensor.
Tensor stack_rows(const Tensor& a, const Tensor& b) {
    Shape shape = a.shape();
    shape[0] += b.size(0);
    Tensor out = Tensor::empty(shape);
    out.narrow(0, 0, a.size(0)).copy_(a);
    out.narrow(0, a.size(0), b.size(0)).copy_(b);
    return out;
}

// Trains a fresh model (same seed every time) on the first n_train windows of
// x, y and reports accuracy next to the costs.
void train_and_report(int64_t n_train, const Tensor& x_all, const Tensor& y_all, const Tensor& x_test,
                      const Tensor& y_test, bool print_report) {
    const Tensor x = x_all.narrow(0, 0, n_train), y = y_all.narrow(0, 0, n_train);
    Generator gen(10);
    SensorTransformer model(gen);
    std::cout << "  training on " << n_train << " windows:\n";

    optim::Adam opt(model.parameters(), /*lr=*/0.003);
    const iot::TensorDataset data(x, y);
    iot::DataLoader loader(data, /*batch_size=*/32, /*shuffle_seed=*/1);
    const int epochs = 8;
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
        if (epoch % 2 == 1)
            std::cout << "  epoch " << epoch + 1 << "/" << epochs << "  mean loss " << std::setprecision(4)
                      << total / n_train << "\n";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    model.eval();
    NoGradGuard no_grad;
    const Tensor scores = model(Variable(x_test)).value();
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < 100; ++i) model(Variable(x_test.narrow(0, i, 1)));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 100;
    std::cout << "  parameters: " << model.num_parameters() << " (" << model.num_parameters() * 4
              << " bytes as float32), training time: " << std::setprecision(2) << seconds
              << " s, inference: " << std::setprecision(3) << ms << " ms per window\n"
              << "  accuracy: train " << std::setprecision(1) << 100 * iot::accuracy(model(Variable(x)).value(), y)
              << "%, test " << 100 * iot::accuracy(scores, y_test) << "% on " << x_test.size(0) << " windows\n";
    if (print_report)
        std::cout << iot::classification_report(
            iot::ConfusionMatrix(iot::labels(y_test), iot::predictions(scores), 3), {"walking", "running", "cycling"});
}

void transformer_on_sensor_windows() {
    section("Part 3: a Transformer encoder on sensor windows (8 patches of 8 steps x 9 channels)");
    // The same 600 training and 300 test windows as tutorials 06 and 07 (same
    // seed, same order), then 1200 more training windows from the same generator.
    Generator data_gen(2024);
    Tensor x600, y600, x_test, y_test, x_more, y_more;
    sensor_windows(600, data_gen, x600, y600);
    sensor_windows(300, data_gen, x_test, y_test);
    sensor_windows(1200, data_gen, x_more, y_more);
    const Tensor x_all = stack_rows(x600, x_more), y_all = stack_rows(y600, y_more);

    {
        Generator gen(10);
        std::cout << SensorTransformer(gen);
    }
    train_and_report(600, x_all, y_all, x_test, y_test, /*print_report=*/false);
    std::cout << "  Train accuracy far above test accuracy: the model memorises 600 windows. A convolution\n"
                 "  assumes a pattern means the same wherever it occurs (one kernel for every position);\n"
                 "  the patch embedding and attention do not, and must learn it from examples.\n"
                 "  Three times the data:\n";
    train_and_report(1800, x_all, y_all, x_test, y_test, /*print_report=*/true);
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(3);
    attention_demo();
    causal_demo();
    transformer_on_sensor_windows();
    return 0;
}
