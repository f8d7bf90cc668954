// Attention masks against torch.nn.MultiheadAttention
// (tests/fixtures/torch/gen_attention_mask.py): additive (float) and boolean
// attn_mask and key_padding_mask, L = 3 queries, S = 5 keys, batch 2, 2 heads.
// Outputs, averaged weights and the input gradients agree to 1e-5.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "catch_compat.hpp"
#include "layers/attention.hpp"
#include "layers/state.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;

namespace {


struct Run {
    Tensor out, weights, grad_q, grad_k, grad_v;
};

/// The fixture's MultiheadAttention(8, 2) with its masks, forward and backward.
Run run_case(const test::TorchFixture& f, nn::MaskKind kind) {
    Generator gen(0);
    nn::MultiheadAttention mha(8, 2, gen);
    nn::NamedTensors state;
    for (const std::string key : {"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"})
        state.emplace_back(key, f.t(key));
    nn::load_state_dict(mha, state);
    nn::AttentionMask mask;
    if (f.file.find("attn_mask")) {
        mask.attn = f.t("attn_mask");
        mask.attn_kind = kind;
    }
    if (f.file.find("key_padding_mask")) {
        mask.key_padding = f.t("key_padding_mask");
        mask.key_padding_kind = kind;
    }
    Variable q(f.t("q"), true), k(f.t("k"), true), v(f.t("v"), true);
    nn::AttentionOutput r = mha.forward(q, k, v, mask);
    r.output.backward(f.t("grad_out"));
    return {r.output.value(), r.weights.value(), q.grad(), k.grad(), v.grad()};
}

void check_against_torch(const std::string& name, nn::MaskKind kind) {
    INFO(name);
    const auto f = test::torch_fixture("attention_mask_" + name);
    const Run r = run_case(f, kind);
    CHECK(test::max_abs_diff(r.out, f.t("out")) < 1e-5f);
    CHECK(test::max_abs_diff(r.weights, f.t("weights")) < 1e-5f);
    CHECK(test::max_abs_diff(r.grad_q, f.t("grad_q")) < 1e-5f);
    CHECK(test::max_abs_diff(r.grad_k, f.t("grad_k")) < 1e-5f);
    CHECK(test::max_abs_diff(r.grad_v, f.t("grad_v")) < 1e-5f);
}

}  // namespace

TEST_CASE("boolean attention masks match PyTorch (attn_mask, key_padding_mask)", "[layers][attention][torch]") {
    check_against_torch("none", nn::MaskKind::Boolean);
    check_against_torch("bool", nn::MaskKind::Boolean);
    check_against_torch("key_padding", nn::MaskKind::Boolean);
    // The boolean mask hides exactly its keys: weight 0 there in every sample.
    const auto f = test::torch_fixture("attention_mask_bool");
    const Run r = run_case(f, nn::MaskKind::Boolean);
    const Tensor m = f.t("attn_mask");
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t i = 0; i < 3; ++i)
            for (int64_t j = 0; j < 5; ++j)
                if (m.at({i, j}) == 1.0f) CHECK(r.weights.at({n, i, j}) == 0.0f);
}

TEST_CASE("additive (float) attention masks match PyTorch", "[layers][attention][torch]") {
    check_against_torch("float", nn::MaskKind::Additive);
    check_against_torch("float_key_padding", nn::MaskKind::Additive);
    check_against_torch("uniform", nn::MaskKind::Additive);
    // Mixed: a boolean attn_mask and an additive key_padding_mask together.
    const auto f = test::torch_fixture("attention_mask_mixed");
    Generator gen(0);
    nn::MultiheadAttention mha(8, 2, gen);
    nn::load_state_dict(mha, {{"in_proj_weight", f.t("in_proj_weight")},
                              {"in_proj_bias", f.t("in_proj_bias")},
                              {"out_proj.weight", f.t("out_proj.weight")},
                              {"out_proj.bias", f.t("out_proj.bias")}});
    nn::AttentionMask mask;
    mask.attn = f.t("attn_mask");  // Boolean, the default
    mask.key_padding = f.t("key_padding_mask");
    mask.key_padding_kind = nn::MaskKind::Additive;
    const nn::AttentionOutput r = mha.forward(Variable(f.t("q")), Variable(f.t("k")), Variable(f.t("v")), mask);
    CHECK(test::max_abs_diff(r.output.value(), f.t("out")) < 1e-5f);
    CHECK(test::max_abs_diff(r.weights.value(), f.t("weights")) < 1e-5f);
}

TEST_CASE("a uniform additive mask changes nothing (softmax ignores a constant shift)", "[layers][attention][torch]") {
    const auto f = test::torch_fixture("attention_mask_uniform");
    const Run masked = run_case(f, nn::MaskKind::Additive);
    const Run plain = run_case(test::torch_fixture("attention_mask_none"), nn::MaskKind::Additive);
    CHECK(test::max_abs_diff(masked.out, plain.out) < 1e-6f);
    CHECK(test::max_abs_diff(masked.weights, plain.weights) < 1e-6f);
    CHECK(test::max_abs_diff(masked.grad_q, plain.grad_q) < 1e-6f);
    // The same -0.5 read as a boolean mask is refused, not taken as "masked".
    CHECK_THROWS_WITH(run_case(f, nn::MaskKind::Boolean),
                      IOTGRAD_HAS("attn_mask is a boolean mask (1 = masked out, 0 = kept) but holds -0.5") &&
                          IOTGRAD_HAS("MaskKind::Additive"));
}

TEST_CASE("a query with every key masked is refused, naming it (PyTorch gives NaN)", "[layers][attention]") {
    const auto f = test::torch_fixture("attention_mask_bool");
    Generator gen(0);
    nn::MultiheadAttention mha(8, 2, gen);
    const Variable q(f.t("q")), k(f.t("k")), v(f.t("v"));
    nn::AttentionMask mask;
    mask.attn = f.t("attn_mask").clone();
    mask.attn.select(0, 2).fill_(1.0f);  // query 2 sees no key
    CHECK_THROWS_WITH(mha.forward(q, k, v, mask),
                      IOTGRAD_HAS("MultiheadAttention: every key is masked for query 2 of sample 0 (head 0)") &&
                          IOTGRAD_HAS("PyTorch would return NaN"));
    // Every key of sample 1 is padding.
    nn::AttentionMask pad;
    pad.key_padding = Tensor::from({2, 5}, {0, 0, 0, 0, 0, 1, 1, 1, 1, 1});
    CHECK_THROWS_WITH(mha.forward(q, k, v, pad), IOTGRAD_HAS("every key is masked for query 0 of sample 1 (head 0)"));
    // Additive -inf everywhere in a row is the same.
    nn::AttentionMask inf;
    inf.attn = Tensor::zeros({3, 5});
    inf.attn.select(0, 1).fill_(-INFINITY);
    inf.attn_kind = nn::MaskKind::Additive;
    CHECK_THROWS_WITH(mha.forward(q, k, v, inf), IOTGRAD_HAS("every key is masked for query 1 of sample 0"));
    // ... but a very negative finite row is not masked: it attends uniformly.
    inf.attn.select(0, 1).fill_(-1e30f);
    for (float y : mha.forward(q, k, v, inf).output.value().to_vector()) CHECK(std::isfinite(y));
    // The free function names the leading index.
    const Variable x(Tensor::from({2, 2, 2}, {1, 0, 0, 1, 1, 1, 0, 1}));
    CHECK_THROWS_WITH(
        nn::scaled_dot_product_attention(x, x, x, Tensor::from({2, 2, 2}, {0, 0, 0, 0, 0, 1, 1, 1})),
        IOTGRAD_HAS("scaled_dot_product_attention: every key is masked for query 1 at leading index [1]"));
    // Additive masks refuse NaN and +inf.
    inf.attn.select(0, 1).fill_(INFINITY);
    CHECK_THROWS_WITH(mha.forward(q, k, v, inf), IOTGRAD_HAS("is an additive mask but holds inf"));
}

TEST_CASE("attention with an additive mask (finite values and -inf) passes gradcheck", "[layers][attention]") {
    Generator gen(9);
    Variable q(Tensor::randn({2, 3, 4}, gen), true), k(Tensor::randn({2, 5, 4}, gen), true),
        v(Tensor::randn({2, 5, 2}, gen), true);
    Tensor m = Tensor::randn({3, 5}, gen, 0.0f, 0.7f);
    m.at({0, 1}) = -INFINITY;
    m.at({2, 4}) = -INFINITY;
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) {
            return nn::scaled_dot_product_attention(in[0], in[1], in[2], m, 0.0f, nullptr, nn::MaskKind::Additive)
                .output;
        },
        {q, k, v});
    INFO(res.message);
    CHECK(res.ok);
    // The -inf entries get weight exactly 0.
    const auto r = nn::scaled_dot_product_attention(q, k, v, m, 0.0f, nullptr, nn::MaskKind::Additive);
    CHECK(r.weights.value().at({1, 0, 1}) == 0.0f);
    CHECK(r.weights.value().at({0, 2, 4}) == 0.0f);
}
