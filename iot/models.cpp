#include "iot/models.hpp"

#include <stdexcept>

#include "autograd/ops.hpp"
#include "layers/layers.hpp"

namespace iotgrad::iot {
namespace {

// Each model names its members as the PyTorch reference does, so state_dict
// keys match torch_reference.py's.

struct Mlp : nn::Module {
    nn::Linear fc1, fc2, fc3;
    Mlp(const ModelSpec& s, Generator& gen)
        : fc1(s.window * s.channels, 256, gen), fc2(256, 128, gen), fc3(128, s.outputs, gen) {
        register_module("fc1", fc1);
        register_module("fc2", fc2);
        register_module("fc3", fc3);
    }
    Variable forward(const Variable& x) override {
        return fc3(relu(fc2(relu(fc1(flatten(x, 1))))));
    }
    std::string type_name() const override { return "MLP"; }
};

struct Cnn1d : nn::Module {
    nn::Conv1d conv1;
    nn::MaxPool1d pool1;
    nn::Conv1d conv2;
    nn::MaxPool1d pool2;
    nn::Linear fc;
    Cnn1d(const ModelSpec& s, Generator& gen)
        : conv1(s.channels, 32, 5, gen), pool1(2), conv2(32, 64, 5, gen), pool2(2), fc(64, s.outputs, gen) {
        register_module("conv1", conv1);
        register_module("pool1", pool1);
        register_module("conv2", conv2);
        register_module("pool2", pool2);
        register_module("fc", fc);
    }
    Variable forward(const Variable& x) override {
        Variable h = transpose(x, 1, 2);  // [N, T, C] -> [N, C, T]: channels first
        h = pool1(relu(conv1(h)));
        h = pool2(relu(conv2(h)));
        return fc(mean(h, {2}));          // global average over time
    }
    std::string type_name() const override { return "CNN1d"; }
};

/// A recurrent classifier: the last layer's final hidden state feeds a Linear.
template <class Cell>
struct RecurrentNet : nn::Module {
    Cell rnn;
    nn::Linear fc;
    const char* name;
    RecurrentNet(const ModelSpec& s, Generator& gen, const char* member, const char* type)
        : rnn(typename Cell::Options(s.channels, 64).batch_first(true), gen), fc(64, s.outputs, gen), name(type) {
        register_module(member, rnn);
        register_module("fc", fc);
    }
    Variable forward(const Variable& x) override {
        nn::RecurrentOutput out = rnn.forward(x, nn::RecurrentState{});
        return fc(select(out.h_n, 0, 0));  // h_n [1, N, 64] -> [N, 64]
    }
    std::string type_name() const override { return name; }
};

struct TransformerNet : nn::Module {
    nn::Linear proj;
    nn::LearnedPositionalEncoding pos;
    nn::TransformerEncoder encoder;
    nn::Linear fc;
    TransformerNet(const ModelSpec& s, Generator& gen)
        : proj(s.channels, 32, gen),
          pos(nn::PositionalEncodingOptions(32, s.window).batch_first(true), gen),
          encoder(nn::TransformerEncoderLayerOptions(32, 4).dim_feedforward(64).dropout(0.0f).batch_first(true), 2, gen),
          fc(32, s.outputs, gen) {
        register_module("proj", proj);
        register_module("pos", pos);
        register_module("encoder", encoder);
        register_module("fc", fc);
    }
    Variable forward(const Variable& x) override {
        Variable h = encoder(pos(proj(x)));  // [N, T, 32]
        return fc(mean(h, {1}));             // mean over time
    }
    std::string type_name() const override { return "Transformer"; }
};

void check_spec(const ModelSpec& s) {
    auto positive = [&](int64_t v, const char* what) {
        if (v <= 0)
            throw std::invalid_argument("make_model(" + s.kind + "): " + what + " must be positive, got " +
                                        std::to_string(v));
    };
    positive(s.window, "window");
    positive(s.channels, "channels");
    if (!is_autoencoder(s.kind)) positive(s.outputs, "outputs");
    if (s.kind == "cnn" && s.window < 14)
        throw std::invalid_argument("make_model(cnn): window " + std::to_string(s.window) +
                                    " is too short; the CNN needs at least 14 time steps");
}

}  // namespace

const std::vector<std::string>& model_kinds() {
    static const std::vector<std::string> kinds{"mlp", "cnn", "lstm", "gru", "transformer", "autoencoder"};
    return kinds;
}

bool is_autoencoder(const std::string& kind) { return kind == "autoencoder"; }

std::unique_ptr<nn::Module> make_model(const ModelSpec& s) {
    check_spec(s);
    Generator gen(s.seed);
    if (s.kind == "mlp") return std::make_unique<Mlp>(s, gen);
    if (s.kind == "cnn") return std::make_unique<Cnn1d>(s, gen);
    if (s.kind == "lstm") return std::make_unique<RecurrentNet<nn::LSTM>>(s, gen, "lstm", "LSTMNet");
    if (s.kind == "gru") return std::make_unique<RecurrentNet<nn::GRU>>(s, gen, "gru", "GRUNet");
    if (s.kind == "transformer") return std::make_unique<TransformerNet>(s, gen);
    if (s.kind == "autoencoder")
        return std::make_unique<nn::DenseAutoencoder>(s.window * s.channels, std::vector<int64_t>{128}, 32, gen);
    std::string known;
    for (const auto& k : model_kinds()) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("make_model: unknown model kind '" + s.kind + "' (known: " + known + ")");
}

int64_t macs_per_sample(const ModelSpec& s) {
    check_spec(s);
    const int64_t T = s.window, C = s.channels, K = s.outputs;
    if (s.kind == "mlp") return T * C * 256 + 256 * 128 + 128 * K;
    if (s.kind == "cnn") {
        const int64_t l1 = T - 4, l2 = l1 / 2 - 4;
        return l1 * 32 * C * 5 + l2 * 64 * 32 * 5 + 64 * K;
    }
    if (s.kind == "lstm") return T * 4 * 64 * (C + 64) + 64 * K;
    if (s.kind == "gru") return T * 3 * 64 * (C + 64) + 64 * K;
    if (s.kind == "transformer") {
        const int64_t d = 32, ff = 64;
        const int64_t per_token = 3 * d * d + 2 * T * d + d * d + 2 * d * ff;
        return T * C * d + 2 * T * per_token + d * K;
    }
    if (s.kind == "autoencoder") return 2 * (T * C * 128 + 128 * 32);
    make_model(s);  // throws the unknown-kind message
    return 0;
}

}  // namespace iotgrad::iot
