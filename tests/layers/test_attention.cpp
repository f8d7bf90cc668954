#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/attention.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
// Sets in_proj to [I; I; I] and out_proj to I with zero biases: MHA(x) is then
// plain attention of x on itself, head by head, and can be worked by hand.
void make_identity(nn::MultiheadAttention& mha) {
    const int64_t E = mha.embed_dim();
    Tensor w = mha.in_proj_weight.value();
    w.fill_(0.0f);
    for (int64_t b = 0; b < 3; ++b)
        for (int64_t i = 0; i < E; ++i) w.at({b * E + i, i}) = 1.0f;
    mha.out_proj.weight.value().copy_(Tensor::eye(E));
}

// softmax(q k^T / sqrt(d)) v for one query row, in double.
std::vector<double> attend(const std::vector<double>& q, const std::vector<std::vector<double>>& k,
                           const std::vector<std::vector<double>>& v) {
    std::vector<double> p(k.size());
    double z = 0;
    for (size_t j = 0; j < k.size(); ++j) {
        double s = 0;
        for (size_t i = 0; i < q.size(); ++i) s += q[i] * k[j][i];
        p[j] = std::exp(s / std::sqrt(static_cast<double>(q.size())));
        z += p[j];
    }
    std::vector<double> out(v[0].size(), 0.0);
    for (size_t j = 0; j < k.size(); ++j)
        for (size_t i = 0; i < out.size(); ++i) out[i] += p[j] / z * v[j][i];
    return out;
}
}  // namespace

TEST_CASE("MultiheadAttention parameters have PyTorch's names, shapes and init", "[layers][attention]") {
    Generator gen(1);
    nn::MultiheadAttention mha(8, 2, gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"in_proj_weight", {24, 8}}, {"in_proj_bias", {24}}, {"out_proj.weight", {8, 8}}, {"out_proj.bias", {8}}};
    const auto named = mha.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    for (float v : mha.in_proj_bias.value().to_vector()) CHECK(v == 0.0f);
    for (float v : mha.out_proj.bias.value().to_vector()) CHECK(v == 0.0f);
    // xavier_uniform on [24, 8]: bound sqrt(6 / (8 + 24)).
    const float bound = std::sqrt(6.0f / 32.0f);
    float largest = 0;
    for (float v : mha.in_proj_weight.value().to_vector()) largest = std::max(largest, std::fabs(v));
    CHECK(largest <= bound);
    CHECK(largest > 0.8f * bound);
    CHECK(nn::MultiheadAttention(nn::MultiheadAttentionOptions(8, 2).bias(false), gen).named_parameters().size() == 2);
    CHECK_THROWS_WITH(nn::MultiheadAttention(8, 3, gen), IOTGRAD_HAS("multiple of num_heads"));
}

TEST_CASE("scaled dot-product attention matches a softmax worked by hand", "[layers][attention]") {
    // d_k = 4, so scores are q.k / 2: [2, 0, -2] / 2 = [1, 0, -1].
    const Variable q(Tensor::from({1, 4}, {1, 0, 0, 0}));
    const Variable k(Tensor::from({3, 4}, {2, 0, 0, 0, 0, 0, 0, 0, -2, 0, 0, 0}));
    const Variable v(Tensor::from({3, 2}, {1, 0, 0, 1, 1, 1}));
    const auto r = nn::scaled_dot_product_attention(q, k, v);
    const double z = std::exp(1.0) + 1.0 + std::exp(-1.0);
    const double p0 = std::exp(1.0) / z, p1 = 1.0 / z, p2 = std::exp(-1.0) / z;
    CHECK(r.weights.shape() == Shape{1, 3});
    CHECK(r.weights.value().at({0, 0}) == Approx(p0).epsilon(1e-6));
    CHECK(r.weights.value().at({0, 1}) == Approx(p1).epsilon(1e-6));
    CHECK(r.weights.value().at({0, 2}) == Approx(p2).epsilon(1e-6));
    CHECK(r.output.value().at({0, 0}) == Approx(p0 + p2).epsilon(1e-6));
    CHECK(r.output.value().at({0, 1}) == Approx(p1 + p2).epsilon(1e-6));
    // Masking key 0 renormalizes over keys 1 and 2 only.
    const auto m = nn::scaled_dot_product_attention(q, k, v, Tensor::from({1, 3}, {1, 0, 0}));
    CHECK(m.weights.value().at({0, 0}) == 0.0f);
    CHECK(m.weights.value().at({0, 1}) == Approx(1.0 / (1.0 + std::exp(-1.0))).epsilon(1e-6));
}

TEST_CASE("a causal mask makes position 0 attend only to itself", "[layers][attention]") {
    const Tensor mask = nn::causal_mask(3);
    CHECK(mask.to_vector() == std::vector<float>{0, 1, 1, 0, 0, 1, 0, 0, 0});
    Generator gen(2);
    const Variable x(Tensor::randn({3, 4}, gen));
    const auto r = nn::scaled_dot_product_attention(x, x, x, mask);
    CHECK(r.weights.value().at({0, 0}) == 1.0f);
    CHECK(r.weights.value().at({0, 1}) == 0.0f);
    CHECK(r.weights.value().at({1, 2}) == 0.0f);
    CHECK(r.weights.value().at({1, 0}) + r.weights.value().at({1, 1}) == Approx(1.0f));
    for (int64_t i = 0; i < 4; ++i) CHECK(r.output.value().at({0, i}) == Approx(x.value().at({0, i})));

    // Through the module: changing the future leaves the past's outputs unchanged.
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).batch_first(true), gen);
    nn::AttentionMask causal;
    causal.causal = true;
    Tensor xs = Tensor::randn({2, 3, 4}, gen);
    const auto before = mha.forward(Variable(xs), Variable(xs), Variable(xs), causal);
    CHECK(before.weights.shape() == Shape{2, 3, 3});
    CHECK(before.weights.value().at({1, 0, 0}) == Approx(1.0f));
    CHECK(before.weights.value().at({1, 0, 2}) == 0.0f);
    Tensor changed = xs.clone();
    changed.select(1, 2).fill_(5.0f);
    const auto after = mha.forward(Variable(changed), Variable(changed), Variable(changed), causal);
    for (int64_t n = 0; n < 2; ++n)
        for (int64_t t = 0; t < 2; ++t)
            for (int64_t i = 0; i < 4; ++i)
                CHECK(after.output.value().at({n, t, i}) == Approx(before.output.value().at({n, t, i})).margin(1e-6));
}

TEST_CASE("key_padding_mask ignores padded keys exactly", "[layers][attention]") {
    Generator gen(3);
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).batch_first(true), gen);
    const Tensor q = Tensor::randn({2, 3, 4}, gen), kv = Tensor::randn({2, 5, 4}, gen);
    nn::AttentionMask pad;
    pad.key_padding = Tensor::from({2, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 1});  // sample 1: last two keys are padding
    const auto r = mha.forward(Variable(q), Variable(kv), Variable(kv), pad);
    for (int64_t l = 0; l < 3; ++l) {
        CHECK(r.weights.value().at({1, l, 3}) == 0.0f);
        CHECK(r.weights.value().at({1, l, 4}) == 0.0f);
        CHECK(r.weights.value().at({0, l, 4}) > 0.0f);
    }
    // Sample 1 gives what it gives with the padding cut off.
    const Tensor q1 = q.select(0, 1).unsqueeze(0).contiguous();
    const Tensor kv1 = kv.select(0, 1).slice(0, 0, 3).unsqueeze(0).contiguous();
    const auto cut = mha.forward(Variable(q1), Variable(kv1), Variable(kv1));
    for (int64_t l = 0; l < 3; ++l)
        for (int64_t i = 0; i < 4; ++i)
            CHECK(r.output.value().at({1, l, i}) == Approx(cut.output.value().at({0, l, i})).margin(1e-6));
}

TEST_CASE("a fully masked row is refused instead of producing NaN", "[layers][attention]") {
    const Variable q(Tensor::from({2, 2}, {1, 0, 0, 1}));
    const Variable k(Tensor::from({2, 2}, {3, 0, 0, -3}));
    const Variable v(Tensor::from({2, 1}, {2, 6}));
    CHECK_THROWS_WITH(nn::scaled_dot_product_attention(q, k, v, Tensor::from({2, 2}, {1, 1, 0, 0})),
                      IOTGRAD_HAS("every key is masked for query 0; PyTorch would return NaN"));
    // One key left is enough: query 0 then sees only key 1.
    const auto r = nn::scaled_dot_product_attention(q, k, v, Tensor::from({2, 2}, {1, 0, 0, 0}));
    CHECK(r.weights.value().at({0, 1}) == 1.0f);
    CHECK(r.output.value().at({0, 0}) == 6.0f);
}

TEST_CASE("multi-head attention with identity projections is per-head attention by hand", "[layers][attention]") {
    Generator gen(4);
    nn::MultiheadAttention mha(4, 2, gen);  // time-major: [L, N, E]
    make_identity(mha);
    const Tensor x = Tensor::randn({3, 1, 4}, gen);
    const auto r = mha.forward(Variable(x), Variable(x), Variable(x));
    CHECK(r.output.shape() == Shape{3, 1, 4});
    for (int64_t h = 0; h < 2; ++h) {
        // Head h sees columns 2h, 2h+1 of every position.
        std::vector<std::vector<double>> kv(3);
        for (int64_t t = 0; t < 3; ++t) kv[t] = {x.at({t, 0, 2 * h}), x.at({t, 0, 2 * h + 1})};
        for (int64_t t = 0; t < 3; ++t) {
            const auto want = attend(kv[t], kv, kv);
            CHECK(r.output.value().at({t, 0, 2 * h}) == Approx(want[0]).margin(1e-6));
            CHECK(r.output.value().at({t, 0, 2 * h + 1}) == Approx(want[1]).margin(1e-6));
        }
    }
    // Averaged weights are a distribution over keys for every query.
    for (int64_t l = 0; l < 3; ++l) {
        double s = 0;
        for (int64_t j = 0; j < 3; ++j) s += r.weights.value().at({0, l, j});
        CHECK(s == Approx(1.0));
    }
}

TEST_CASE("MultiheadAttention gradients pass gradcheck (inputs, masks, parameters)", "[layers][attention]") {
    Generator gen(5);
    nn::MultiheadAttention mha(4, 2, gen);
    for (auto& p : mha.parameters()) p.value().copy_(Tensor::randn(p.shape(), gen, 0.0f, 0.5f));
    Variable q(Tensor::randn({3, 2, 4}, gen), true), k(Tensor::randn({2, 2, 4}, gen), true),
        v(Tensor::randn({2, 2, 4}, gen), true);
    std::vector<Variable> inputs{q, k, v};
    for (const Variable& p : mha.parameters()) inputs.push_back(p);
    nn::AttentionMask mask;
    mask.key_padding = Tensor::from({2, 2}, {0, 0, 0, 1});
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) { return mha.forward(in[0], in[1], in[2], mask).output; }, inputs);
    INFO(res.message);
    CHECK(res.ok);
    // The averaged weights too, through the softmax (self-attention with a causal mask).
    Variable x(Tensor::randn({3, 2, 4}, gen), true);
    nn::AttentionMask causal;
    causal.causal = true;
    const auto wres =
        gradcheck([&](const std::vector<Variable>& in) { return mha.forward(in[0], in[0], in[0], causal).weights; },
                  {x, mha.in_proj_weight});
    INFO(wres.message);
    CHECK(wres.ok);
}

TEST_CASE("batch_first attention equals the transposed time-major run", "[layers][attention]") {
    Generator gen(6);
    nn::MultiheadAttention a(6, 3, gen), b(nn::MultiheadAttentionOptions(6, 3).batch_first(true), gen);
    auto pa = a.parameters(), pb = b.parameters();
    for (size_t i = 0; i < pa.size(); ++i) pb[i].value().copy_(pa[i].value());
    const Tensor x = Tensor::randn({4, 2, 6}, gen);  // [L, N, E]
    const Variable ya = a(Variable(x));
    const Variable yb = b(Variable(x.transpose(0, 1).contiguous()));
    CHECK(yb.shape() == Shape{2, 4, 6});
    CHECK(tensor::allclose(ya.value().transpose(0, 1), yb.value(), 1e-5f, 1e-6f));
    CHECK_THROWS_AS(a(Variable(Tensor::zeros({4, 2, 5}))), ShapeError);
    nn::AttentionMask bad;
    bad.key_padding = Tensor::zeros({2, 3});
    CHECK_THROWS_WITH(a.forward(Variable(x), Variable(x), Variable(x), bad),
                      IOTGRAD_HAS("key_padding_mask must be [N, S] = [2, 4]"));
}

TEST_CASE("attention dropout drops weights in training only", "[layers][attention]") {
    Generator gen(7);
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 1).dropout(0.5f).batch_first(true), gen);
    const Variable x(Tensor::randn({1, 6, 4}, gen));
    const auto train = mha.forward(x, x, x);
    int zeros = 0;
    for (float w : train.weights.value().to_vector()) zeros += w == 0.0f;
    CHECK(zeros > 0);  // 36 weights, each kept with probability 1/2
    mha.eval();
    const auto eval = mha.forward(x, x, x);
    for (float w : eval.weights.value().to_vector()) CHECK(w > 0.0f);
}
