#include "catch_compat.hpp"

#include "autograd/ops.hpp"
#include "layers/module.hpp"

using namespace iotgrad;

namespace {
// A minimal layer: y = x * w + b with w, b of shape [n].
struct Scale : nn::Module {
    Variable w, b;
    Tensor count;
    explicit Scale(int64_t n) : w(Tensor::ones({n})), b(Tensor::zeros({n})), count(Tensor::zeros({1})) {
        register_parameter("weight", w);
        register_parameter("bias", b);
        register_buffer("count", count);
    }
    Variable forward(const Variable& x) override { return x * w + b; }
    std::string type_name() const override { return "Scale"; }
};

struct Net : nn::Module {
    Scale first{3}, second{3};
    Net() {
        register_module("first", first);
        register_module("second", second);
    }
    Variable forward(const Variable& x) override { return second(first(x)); }
};
}  // namespace

TEST_CASE("modules name parameters like PyTorch's state_dict", "[layers][module]") {
    Net net;
    const auto named = net.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].first == "first.weight");
    CHECK(named[3].first == "second.bias");
    CHECK(net.num_parameters() == 12);
    CHECK(net.named_buffers().size() == 2);
    CHECK(net.named_buffers()[1].first == "second.count");
    for (auto& p : net.parameters()) CHECK(p.requires_grad());
}

TEST_CASE("a moved module keeps its registrations pointing at its own members", "[layers][module]") {
    nn::Sequential seq(Scale(2), Scale(2));
    const auto named = seq.named_parameters();
    REQUIRE(named.size() == 4);
    CHECK(named[0].first == "0.weight");
    CHECK(named[2].first == "1.weight");
    // Parameters reached through the registry are the members used by forward.
    auto& s0 = static_cast<Scale&>(seq[0]);
    CHECK(named[0].second.id() == s0.w.id());
    Variable y = seq(Variable(Tensor::from({2}, {1, 2})));
    sum(y).backward();
    CHECK(s0.w.grad().to_vector() == std::vector<float>{1, 2});
}

TEST_CASE("zero_grad, train and eval reach every submodule", "[layers][module]") {
    Net net;
    sum(net(Variable(Tensor::ones({3})))).backward();
    CHECK(net.first.w.grad().defined());
    net.zero_grad();
    CHECK_FALSE(net.first.w.grad().defined());
    net.eval();
    CHECK_FALSE(net.second.is_training());
    net.train();
    CHECK(net.second.is_training());
}

TEST_CASE("registering something that is not a member is refused", "[layers][module]") {
    struct Bad : nn::Module {
        Bad() {
            Variable local(Tensor::ones({1}));
            register_parameter("x", local);
        }
    };
    CHECK_THROWS_WITH(Bad(), IOTGRAD_HAS("must be a member"));
}
