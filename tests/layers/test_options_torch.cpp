// Layer options against PyTorch (tests/fixtures/torch/gen_options.py):
// grouped and depthwise convolution, padding="same" (odd and even kernels,
// dilation), Embedding's padding_idx and GELU's tanh approximation. Forward
// values and every gradient agree to 1e-5 (absolute, float32 both sides).
#include <algorithm>
#include <cmath>
#include <string>

#include "autograd/ops.hpp"
#include "layer_check.hpp"
#include "layers/activation.hpp"
#include "layers/conv.hpp"
#include "layers/embedding.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;
using iotgrad::testing::check_module;

namespace {
constexpr float kTol = 1e-5f;


/// Loads the fixture's weights (PyTorch keys), runs forward and backward(grad_y),
/// and compares y, grad_x and every parameter's gradient.
void compare_with_torch(nn::Module& m, const std::string& name) {
    INFO("fixture options_" << name);
    const auto f = iotgrad::test::torch_fixture("options_" + name);
    for (auto& [key, p] : m.named_parameters()) p.value().copy_(f.t(key));
    Variable x(f.t("x").clone(), true);
    Variable y = m(x);
    CHECK(test::max_abs_diff(y.value(), f.t("y")) < kTol);
    y.backward(f.t("grad_y"));
    CHECK(test::max_abs_diff(x.grad(), f.t("grad_x")) < kTol);
    for (auto& [key, p] : m.named_parameters()) {
        INFO("grad." << key);
        CHECK(test::max_abs_diff(p.grad(), f.t("grad." + key)) < kTol);
    }
}
}  // namespace

TEST_CASE("grouped and depthwise convolutions and padding same match PyTorch", "[layers][conv][torch]") {
    Generator gen(0);
    SECTION("Conv1d(4, 6, 3, padding=1, groups=2)") {
        nn::Conv1d conv(nn::Conv1dOptions(4, 6, 3).padding(1).groups(2), gen);
        CHECK(conv.weight.shape() == Shape{6, 2, 3});
        compare_with_torch(conv, "conv1d_groups");
    }
    SECTION("depthwise Conv1d(3, 3, 4, padding='same', groups=3, bias=False): even kernel") {
        nn::Conv1d conv(nn::Conv1dOptions(3, 3, 4).padding_same(true).groups(3).bias(false), gen);
        compare_with_torch(conv, "conv1d_depthwise_same_even");
    }
    SECTION("Conv1d(2, 3, 2, padding='same', dilation=3): odd total padding") {
        nn::Conv1d conv(nn::Conv1dOptions(2, 3, 2).padding_same(true).dilation(3), gen);
        compare_with_torch(conv, "conv1d_same_dilated_even");
    }
    SECTION("Conv2d(4, 2, 2, padding='same', groups=2)") {
        nn::Conv2d conv(nn::Conv2dOptions(4, 2, 2).padding_same(true).groups(2), gen);
        compare_with_torch(conv, "conv2d_groups_same_even");
    }
    SECTION("Conv2d(2, 4, 3, stride=2, padding=1, groups=2)") {
        nn::Conv2d conv(nn::Conv2dOptions(2, 4, 3).stride(2).padding(1).groups(2), gen);
        compare_with_torch(conv, "conv2d_depthwise_stride");
    }
}

TEST_CASE("padding same keeps the length; odd kernels pad symmetrically", "[layers][conv]") {
    Generator gen(1);
    nn::Conv1d odd(nn::Conv1dOptions(2, 3, 5).padding_same(true), gen);
    CHECK(odd.padding == 2);
    CHECK(odd(Variable(Tensor::zeros({1, 2, 9}))).shape() == Shape{1, 3, 9});
    nn::Conv2d even(nn::Conv2dOptions(1, 1, 4).padding_same(true).dilation(2), gen);
    CHECK(even.padding == 3);  // total d(K-1) = 6: 3 left, 3 right
    CHECK(even(Variable(Tensor::zeros({1, 1, 7, 8}))).shape() == Shape{1, 1, 7, 8});
    CHECK(odd.extra_repr() == "2, 3, kernel=5, stride=1, padding=same");
}

TEST_CASE("conv options: errors name the layer and the numbers", "[layers][conv]") {
    Generator gen(0);
    CHECK_THROWS_WITH(nn::Conv1d(nn::Conv1dOptions(6, 4, 3).groups(4), gen),
                      IOTGRAD_HAS("Conv1d: in_channels 6 and out_channels 4 must both be divisible by groups 4"));
    CHECK_THROWS_WITH(nn::Conv2d(nn::Conv2dOptions(4, 6, 3).groups(4), gen), IOTGRAD_HAS("Conv2d"));
    CHECK_THROWS_WITH(nn::Conv1d(nn::Conv1dOptions(2, 2, 3).groups(0), gen), IOTGRAD_HAS("groups 0"));
    CHECK_THROWS_WITH(nn::Conv1d(nn::Conv1dOptions(2, 2, 3).padding_same(true).stride(2), gen),
                      IOTGRAD_HAS("Conv1d: padding_same"));
    CHECK_THROWS_AS(nn::Conv2d(nn::Conv2dOptions(2, 2, 3).padding_same(true).padding(1), gen), std::invalid_argument);
    // The functional form checks the weight against the groups too.
    const Variable x(Tensor::zeros({1, 4, 5})), w(Tensor::zeros({3, 2, 3}));
    CHECK_THROWS_WITH(conv1d(x, w, Variable(), 1, 0, 1, 2), IOTGRAD_HAS("not divisible by groups 2"));
    CHECK_THROWS_WITH(conv1d(x, Variable(Tensor::zeros({4, 1, 3})), Variable(), 1, 0, 1, 2),
                      IOTGRAD_HAS("expects 2"));
}

TEST_CASE("grouped conv: weight shape and init follow PyTorch's fan_in = C_in/G * K", "[layers][conv]") {
    Generator gen(3);
    nn::Conv2d dw(nn::Conv2dOptions(8, 16, 3).groups(8), gen);
    CHECK(dw.weight.shape() == Shape{16, 1, 3, 3});
    CHECK(dw.num_parameters() == 16 * 9 + 16);
    float wmax = 0.0f;
    for (float v : dw.weight.value().to_vector()) wmax = std::max(wmax, std::fabs(v));
    CHECK(wmax <= 1.0f / 3.0f);  // bound 1/sqrt(1 * 9)
    CHECK(wmax > 0.25f);         // and not the tighter 1/sqrt(8 * 9) of an ungrouped conv
    CHECK(dw.extra_repr() == "8, 16, kernel=3, stride=1, groups=8");
}

TEST_CASE("conv options' new paths match finite differences", "[layers][conv][gradcheck]") {
    Generator gen(12);
    SECTION("Conv1d padding same, even kernel, groups 2") {
        nn::Conv1d conv(nn::Conv1dOptions(2, 4, 4).padding_same(true).groups(2), gen);
        const auto r = check_module(conv, Tensor::randn({2, 2, 6}, gen));
        INFO(r.message);
        CHECK(r.ok);
    }
    SECTION("Conv2d padding same, even kernel, depthwise") {
        nn::Conv2d conv(nn::Conv2dOptions(2, 2, 2).padding_same(true).groups(2), gen);
        const auto r = check_module(conv, Tensor::randn({1, 2, 4, 3}, gen));
        INFO(r.message);
        CHECK(r.ok);
    }
}

TEST_CASE("Embedding padding_idx matches PyTorch: zero row, no gradient", "[layers][embedding][torch]") {
    const auto f = iotgrad::test::torch_fixture("options_embedding_padding_idx");
    Generator gen(0);
    nn::Embedding emb(nn::EmbeddingOptions(5, 3).padding_idx(1), gen);
    REQUIRE(emb.padding_idx() == 1);
    for (float v : std::vector<float>{emb.weight.value().at({1, 0}), emb.weight.value().at({1, 2})}) CHECK(v == 0.0f);
    emb.weight.value().copy_(f.t("weight"));
    Variable y = emb(f.t("indices"));
    CHECK(test::max_abs_diff(y.value(), f.t("y")) < kTol);
    y.backward(f.t("grad_y"));
    CHECK(test::max_abs_diff(emb.weight.grad(), f.t("grad.weight")) < kTol);
    for (int64_t j = 0; j < 3; ++j) CHECK(emb.weight.grad().at({1, j}) == 0.0f);
    CHECK(emb.extra_repr() == "5, 3, padding_idx=1");

    nn::Embedding last(nn::EmbeddingOptions(4, 2).padding_idx(-1), gen);
    CHECK(last.padding_idx() == 3);
    CHECK_THROWS_WITH(nn::Embedding(nn::EmbeddingOptions(4, 2).padding_idx(4), gen),
                      IOTGRAD_HAS("padding_idx must be in [-4, 4)"));
}

TEST_CASE("GELU approximate=tanh matches PyTorch; the default stays exact", "[layers][activation][torch]") {
    nn::GELU tanh_gelu(GeluApproximate::Tanh);
    CHECK(tanh_gelu.extra_repr() == "approximate=tanh");
    compare_with_torch(tanh_gelu, "gelu_tanh");
    // At z = 1 the two differ in the 4th decimal: 0.841345 (erf) vs 0.841192 (tanh).
    nn::GELU exact;
    CHECK(std::fabs(exact(Variable(Tensor::scalar(1.0f))).value().item() - 0.8413447f) < 1e-6f);
    CHECK(std::fabs(tanh_gelu(Variable(Tensor::scalar(1.0f))).value().item() - 0.8411920f) < 1e-6f);
}
