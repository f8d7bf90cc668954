// The model zoo against the PyTorch reference's documented shapes, parameter
// counts and multiply-add counts (torch_reference.py's docstrings).
#include <stdexcept>

#include "autograd/autograd.hpp"
#include "catch_compat.hpp"
#include "iot/models.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
iot::ModelSpec spec(const std::string& kind) {
    iot::ModelSpec s;
    s.kind = kind;
    return s;
}
}  // namespace

TEST_CASE("model zoo: parameter counts equal the PyTorch reference's", "[iot][models]") {
    CHECK(iot::make_model(spec("mlp"))->num_parameters() == 328838);
    CHECK(iot::make_model(spec("cnn"))->num_parameters() == 12166);
    CHECK(iot::make_model(spec("lstm"))->num_parameters() == 19590);
    CHECK(iot::make_model(spec("transformer"))->num_parameters() == 21702);
    CHECK(iot::make_model(spec("autoencoder"))->num_parameters() == 304544);
    // GRU: 3 gates instead of 4: 192*9 + 192*64 + 2*192 + 64*6 + 6.
    CHECK(iot::make_model(spec("gru"))->num_parameters() == 14790);
}

TEST_CASE("model zoo: multiply-adds per sample equal the reference's counts", "[iot][models]") {
    CHECK(iot::macs_per_sample(spec("mlp")) == 328448);
    CHECK(iot::macs_per_sample(spec("cnn")) == 772864);
    CHECK(iot::macs_per_sample(spec("lstm")) == 2392448);
    CHECK(iot::macs_per_sample(spec("transformer")) == 4231360);
    CHECK(iot::macs_per_sample(spec("autoencoder")) == 303104);
}

TEST_CASE("model zoo: output shapes for a [N, T, C] batch", "[iot][models]") {
    for (const std::string& kind : iot::model_kinds()) {
        iot::ModelSpec s = spec(kind);
        s.window = 32;
        s.channels = 3;
        s.outputs = 4;
        auto model = iot::make_model(s);
        NoGradGuard ng;
        Variable y = (*model)(Variable(Tensor::zeros({2, 32, 3})));
        INFO(kind);
        if (iot::is_autoencoder(kind))
            CHECK(y.shape() == Shape{2, 96});
        else
            CHECK(y.shape() == Shape{2, 4});
    }
}

TEST_CASE("model zoo: the same seed gives the same weights, another seed others", "[iot][models]") {
    auto a = iot::make_model(spec("cnn"));
    auto b = iot::make_model(spec("cnn"));
    iot::ModelSpec other = spec("cnn");
    other.seed = 1;
    auto c = iot::make_model(other);
    auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
    REQUIRE(pa.size() == pb.size());
    CHECK(tensor::allclose(pa[0].value(), pb[0].value(), 0.0f, 0.0f));
    CHECK_FALSE(tensor::allclose(pa[0].value(), pc[0].value(), 0.0f, 0.0f));
}

TEST_CASE("model zoo: bad specs are refused with the reason", "[iot][models]") {
    iot::ModelSpec s = spec("resnet");
    CHECK_THROWS_WITH(iot::make_model(s), IOTGRAD_HAS("unknown model kind 'resnet'"));
    s = spec("cnn");
    s.window = 10;
    CHECK_THROWS_WITH(iot::make_model(s), IOTGRAD_HAS("at least 14"));
    s = spec("lstm");
    s.channels = 0;
    CHECK_THROWS_WITH(iot::make_model(s), IOTGRAD_HAS("channels must be positive"));
}
