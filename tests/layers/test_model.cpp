// A small 1-d CNN for sensor windows built from the layers (the HAR shape:
// 9 channels x 128 steps): shapes through the stack, the printed tree and
// summary, PyTorch-style parameter names, and a training step's gradients.
#include <sstream>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/layers.hpp"

using namespace iotgrad;

namespace {
nn::Sequential make_cnn(Generator& gen) {
    return nn::Sequential(nn::Conv1d(9, 32, 5, gen), nn::ReLU(), nn::MaxPool1d(2), nn::GlobalAvgPool1d(),
                          nn::Linear(32, 6, gen));
}
}  // namespace

TEST_CASE("Conv1d -> ReLU -> MaxPool1d -> GlobalAvgPool1d -> Linear on [N, 9, 128]", "[layers][sequential]") {
    Generator gen(0);
    nn::Sequential model = make_cnn(gen);
    const Variable x(Tensor::randn({4, 9, 128}, gen));
    const Variable logits = model(x);
    CHECK(logits.shape() == Shape{4, 6});

    const auto named = model.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].first == "0.weight");
    CHECK(named[1].first == "0.bias");
    CHECK(named[2].first == "4.weight");
    CHECK(named[3].first == "4.bias");
    CHECK(model.num_parameters() == 32 * 9 * 5 + 32 + 32 * 6 + 6);

    // One backward pass reaches every parameter.
    cross_entropy(logits, Tensor::from({4}, {0, 1, 2, 5})).backward();
    for (const auto& [name, p] : named) {
        INFO(name);
        REQUIRE(p.grad().defined());
        CHECK(p.grad().shape() == p.shape());
    }
}

TEST_CASE("printing a model shows each layer with its arguments; summary shows shapes", "[layers][sequential]") {
    Generator gen(1);
    nn::Sequential model = make_cnn(gen);
    std::ostringstream os;
    os << model;
    const std::string tree = os.str();
    INFO(tree);
    CHECK(tree.find("(0): Conv1d(9, 32, kernel=5, stride=1)  params=1472") != std::string::npos);
    CHECK(tree.find("(1): ReLU()") != std::string::npos);
    CHECK(tree.find("(2): MaxPool1d(kernel=2, stride=2)") != std::string::npos);
    CHECK(tree.find("(3): GlobalAvgPool1d()") != std::string::npos);
    CHECK(tree.find("(4): Linear(32, 6)  params=198") != std::string::npos);

    const std::string s = nn::summary(model, {2, 9, 128});
    INFO(s);
    CHECK(s.find("[2, 32, 124]") != std::string::npos);  // 128 - 5 + 1
    CHECK(s.find("[2, 32, 62]") != std::string::npos);   // pooled by 2
    CHECK(s.find("[2, 32]") != std::string::npos);
    CHECK(s.find("[2, 6]") != std::string::npos);
    CHECK(s.find("total parameters: 1670") != std::string::npos);
    CHECK(model.is_training());  // summary restores the mode
}

TEST_CASE("a model with normalization and dropout switches behaviour with train/eval", "[layers][sequential]") {
    Generator gen(2);
    nn::Sequential model(nn::Linear(4, 8, gen), nn::BatchNorm1d(8), nn::ReLU(), nn::Dropout(0.5f, gen),
                         nn::Linear(8, 2, gen));
    CHECK(model.named_buffers().size() == 3);
    CHECK(model.named_buffers()[0].first == "1.running_mean");
    const Variable x(Tensor::randn({16, 4}, gen));
    const std::vector<float> t1 = model(x).value().to_vector(), t2 = model(x).value().to_vector();
    CHECK(t1 != t2);  // dropout masks differ between training calls
    model.eval();
    const std::vector<float> e1 = model(x).value().to_vector(), e2 = model(x).value().to_vector();
    CHECK(e1 == e2);  // evaluation is deterministic
    auto& bn = static_cast<nn::BatchNorm1d&>(model[1]);
    CHECK(bn.num_batches_tracked.item() == 2);
}

TEST_CASE("a buffer cannot take a name already registered", "[layers][sequential]") {
    struct Clash : nn::Module {
        Variable w{Tensor::ones({1})};
        Tensor stat = Tensor::zeros({1}), other = Tensor::zeros({1});
        explicit Clash(bool buffer_twice) {
            register_buffer("stat", stat);
            if (buffer_twice)
                register_buffer("stat", other);
            else
                register_parameter("stat", w);
        }
    };
    CHECK_THROWS_WITH(Clash(true), IOTGRAD_HAS("already registered"));
    CHECK_THROWS_WITH(Clash(false), IOTGRAD_HAS("already registered"));
}
