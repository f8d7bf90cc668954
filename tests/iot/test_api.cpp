// The public API as a user meets it: one umbrella header, every namespace
// opened at once without ambiguity, integer class labels, a const backward
// and read-only access to a const module. Most checks here are that this file
// compiles at all; the values are checked too.
#include "iot/iotgrad.hpp"
#include "catch_compat.hpp"

using namespace iotgrad;
using namespace iotgrad::nn;
using namespace iotgrad::optim;
using namespace iotgrad::iot;

TEST_CASE("one cross_entropy under every using-directive, with float or integer labels", "[iot][api]") {
    const Tensor z = Tensor::from({2, 3}, {1, 2, 3, 3, 1, 0});
    const std::vector<int64_t> labels = {2, 0};
    const Variable a = cross_entropy(Variable(z), labels);                       // no ambiguity
    const Variable b = cross_entropy(Variable(z), Tensor::from({2}, {2, 0}));
    CHECK(a.item() == b.item());
    CrossEntropyLoss criterion;
    CHECK(criterion(Variable(z), Tensor::from({2}, {2, 0})).item() == a.item());
}

TEST_CASE("backward is callable on a const Variable", "[iot][api]") {
    const Variable w(Tensor::scalar(3.0f), true);
    const Variable loss = w * w;
    loss.backward();
    CHECK(w.grad().item() == 6.0f);
}

TEST_CASE("a const module gives read-only access to its parts", "[iot][api]") {
    Generator gen(1);
    const Sequential model(Linear(3, 4, gen), BatchNorm1d(4), ReLU());
    const Module& first = model[0];
    CHECK(first.type_name() == "Linear");
    const std::vector<std::pair<std::string, const Module*>> kids = model.children();
    CHECK(kids.size() == 3);
    const std::vector<std::pair<std::string, const Tensor*>> buffers = model.named_buffers();
    REQUIRE(buffers.size() == 3);
    CHECK(buffers[0].first == "1.running_mean");
    CHECK(model.num_parameters() == 3 * 4 + 4 + 4 + 4);
}

TEST_CASE("metrics take integer class labels too", "[iot][api]") {
    const Tensor scores = Tensor::from({3, 2}, {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f});
    CHECK(iot::accuracy(scores, std::vector<int64_t>{0, 1, 1}) == Approx(2.0 / 3.0));
    CHECK(iot::accuracy(scores, std::vector<int64_t>{0, 1, 1}) == iot::accuracy(scores, Tensor::from({3}, {0, 1, 1})));
    CHECK(iot::top_k_accuracy(scores, std::vector<int64_t>{0, 1, 1}, 2) == 1.0);
    CHECK_THROWS_AS(iot::accuracy(scores, std::vector<int64_t>{0, -1, 1}), std::invalid_argument);
}

TEST_CASE("Linear without bias through LinearOptions: y = x W^T, one parameter", "[iot][api]") {
    Generator gen(5);
    Linear fc(LinearOptions(3, 2).bias(false), gen);
    REQUIRE(fc.named_parameters().size() == 1);
    CHECK(!fc.bias.defined());
    const Tensor x = Tensor::from({1, 3}, {1, 2, 3});
    const Tensor w = fc.weight.value();
    const Tensor y = fc(Variable(x)).value();
    for (int64_t o = 0; o < 2; ++o)
        CHECK(y.at({0, o}) == Approx(w.at({o, 0}) + 2 * w.at({o, 1}) + 3 * w.at({o, 2})));
    // The short constructor is LinearOptions' defaults: the same draws.
    Generator g1(9), g2(9);
    CHECK(Linear(3, 2, g1).weight.value().at({1, 2}) == Linear(LinearOptions(3, 2), g2).weight.value().at({1, 2}));
}
