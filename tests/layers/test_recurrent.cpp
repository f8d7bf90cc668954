// What RNN, LSTM and GRU share: the options structs, bidirectional layers,
// dropout between stacked layers, and the layer limit.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "layers/recurrent.hpp"
#include "tensor/elementwise.hpp"

using namespace iotgrad;

namespace {
bool same_bits(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() && a.contiguous().to_vector() == b.contiguous().to_vector();
}

/// Copies every parameter of `from` into `to` (same names in the same order).
void copy_parameters(nn::Module& from, nn::Module& to) {
    auto a = from.named_parameters(), b = to.named_parameters();
    REQUIRE(a.size() == b.size());
    for (size_t k = 0; k < a.size(); ++k) {
        REQUIRE(a[k].first == b[k].first);
        b[k].second.value().copy_(a[k].second.value());
    }
}

/// Sequence x [T, N, C] reversed in time.
Tensor reversed(const Tensor& x) {
    std::vector<Variable> steps;
    for (int64_t t = x.size(0) - 1; t >= 0; --t) steps.push_back(Variable(x.select(0, t)));
    return stack(steps, 0).value();
}
}  // namespace

TEST_CASE("options structs chain, keep PyTorch's defaults and build the same layer as the short form",
          "[layers][rnn][lstm][gru]") {
    const nn::LSTMOptions defaults(9, 64);
    CHECK(defaults.input_size() == 9);
    CHECK(defaults.hidden_size() == 64);
    CHECK(defaults.num_layers() == 1);
    CHECK(defaults.bias());
    CHECK_FALSE(defaults.batch_first());
    CHECK(defaults.dropout() == 0.0f);
    CHECK_FALSE(defaults.bidirectional());
    CHECK(nn::RNNOptions(2, 3).nonlinearity() == "tanh");
    const auto o = nn::GRUOptions(3, 4).num_layers(3).bias(false).batch_first(true).dropout(0.5f).bidirectional(true);
    CHECK(o.num_layers() == 3);
    CHECK_FALSE(o.bias());
    CHECK(o.batch_first());
    CHECK(o.dropout() == 0.5f);
    CHECK(o.bidirectional());

    // The short constructor is the options constructor with defaults: same draws, and gen left in the same state.
    Generator g1(11), g2(11);
    nn::LSTM a(3, 4, g1), b(nn::LSTMOptions(3, 4), g2);
    auto pa = a.named_parameters(), pb = b.named_parameters();
    REQUIRE(pa.size() == pb.size());
    for (size_t k = 0; k < pa.size(); ++k) CHECK(same_bits(pa[k].second.value(), pb[k].second.value()));
    CHECK(g1.next_u64() == g2.next_u64());
    // dropout = 0 takes nothing from gen (existing models draw as before); dropout > 0 takes one split.
    Generator g3(11), g4(11);
    nn::GRU c(nn::GRUOptions(3, 4).num_layers(2), g3), d(nn::GRUOptions(3, 4).num_layers(2).dropout(0.1f), g4);
    CHECK(same_bits(c.weight_hh(1).value(), d.weight_hh(1).value()));
    CHECK(g3.next_u64() != g4.next_u64());

    CHECK(nn::GRU(o, g1).extra_repr() == "3, 4, num_layers=3, bias=false, batch_first=true, dropout=0.5, bidirectional=true");
    CHECK(nn::RNN(nn::RNNOptions(2, 3).nonlinearity("relu"), g1).extra_repr() == "2, 3, nonlinearity=relu");
}

TEST_CASE("bad recurrent options are rejected with the layer's name", "[layers][rnn][lstm][gru]") {
    Generator gen(1);
    CHECK_THROWS_WITH(nn::RNN(nn::RNNOptions(3, 4).nonlinearity("sigmoid"), gen),
                      IOTGRAD_HAS("RNN: nonlinearity must be \"tanh\" or \"relu\", got \"sigmoid\""));
    CHECK_THROWS_WITH(nn::LSTM(nn::LSTMOptions(3, 4).dropout(1.5f), gen),
                      IOTGRAD_HAS("LSTM: dropout must be in [0, 1], got 1.5"));
    CHECK_THROWS_WITH(nn::GRU(nn::GRUOptions(3, 4).num_layers(nn::RecurrentBase::kMaxLayers + 1), gen),
                      IOTGRAD_HAS("GRU: num_layers must be in 1..8, got 9"));
    // The largest model: kMaxLayers layers in both directions (2 * kMaxLayers weight sets).
    nn::GRU big(nn::GRUOptions(2, 2).num_layers(nn::RecurrentBase::kMaxLayers).bidirectional(true), gen);
    CHECK(big.named_parameters().size() == static_cast<size_t>(4 * 2 * nn::RecurrentBase::kMaxLayers));
    CHECK(big.named_parameters().back().first == "bias_hh_l7_reverse");
    CHECK(big(Variable(Tensor::randn({3, 1, 2}, gen))).shape() == Shape{3, 1, 4});
    nn::LSTM one(3, 4, gen);
    CHECK_THROWS_WITH(one.weight_ih(0, 1), IOTGRAD_HAS("LSTM: direction 1 out of range"));
}

TEST_CASE("bidirectional layers have PyTorch's parameter names, order and shapes", "[layers][rnn][lstm][gru]") {
    Generator gen(2);
    nn::LSTM lstm(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true), gen);
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih_l0", {16, 3}},         {"weight_hh_l0", {16, 4}},         {"bias_ih_l0", {16}},
        {"bias_hh_l0", {16}},              {"weight_ih_l0_reverse", {16, 3}}, {"weight_hh_l0_reverse", {16, 4}},
        {"bias_ih_l0_reverse", {16}},      {"bias_hh_l0_reverse", {16}},      {"weight_ih_l1", {16, 8}},
        {"weight_hh_l1", {16, 4}},         {"bias_ih_l1", {16}},              {"bias_hh_l1", {16}},
        {"weight_ih_l1_reverse", {16, 8}}, {"weight_hh_l1_reverse", {16, 4}}, {"bias_ih_l1_reverse", {16}},
        {"bias_hh_l1_reverse", {16}},
    };
    const auto named = lstm.named_parameters();
    REQUIRE(named.size() == expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        CHECK(named[k].first == expected[k].first);
        CHECK(named[k].second.shape() == expected[k].second);
    }
    CHECK(same_bits(lstm.weight_ih(1, 1).value(), named[12].second.value()));
    // Init draws in that order: the forward weights of layer 0 are those of a one-direction layer from the same seed.
    Generator g1(5), g2(5);
    nn::GRU bi(nn::GRUOptions(3, 4).bidirectional(true), g1), uni(3, 4, g2);
    CHECK(same_bits(bi.weight_ih(0).value(), uni.weight_ih(0).value()));
    CHECK(same_bits(bi.bias_hh(0).value(), uni.bias_hh(0).value()));

    const auto out = lstm.forward(Variable(Tensor::randn({5, 2, 3}, gen)), {});
    CHECK(out.output.shape() == Shape{5, 2, 8});
    CHECK(out.h_n.shape() == Shape{4, 2, 4});
    CHECK(out.c_n.shape() == Shape{4, 2, 4});
    CHECK_THROWS_WITH(lstm.forward(Variable(Tensor::zeros({5, 2, 3})), {Variable(Tensor::zeros({2, 2, 4})), {}}),
                      IOTGRAD_HAS("initial h must be [4, 2, 4] [num_layers * 2, N, hidden]"));
}

// One bidirectional layer is two one-direction layers: the forward one on x, and
// the reverse one on x reversed in time (its outputs reversed back).
template <class Layer>
void check_directions() {
    Generator gen(3);
    using Options = typename Layer::Options;
    Layer bi(Options(3, 4).bidirectional(true), gen), fwd(3, 4, gen), rev(3, 4, gen);
    auto pb = bi.named_parameters(), pf = fwd.named_parameters(), pr = rev.named_parameters();
    for (size_t k = 0; k < 4; ++k) {
        pf[k].second.value().copy_(pb[k].second.value());
        pr[k].second.value().copy_(pb[k + 4].second.value());
    }
    const Tensor x = Tensor::randn({6, 2, 3}, gen);
    const auto b = bi.forward(Variable(x), {});
    const auto f = fwd.forward(Variable(x), {});
    const auto r = rev.forward(Variable(reversed(x)), {});
    const Tensor out = b.output.value();
    CHECK(tensor::allclose(out.slice(2, 0, 4), f.output.value(), 1e-6f, 1e-6f));
    CHECK(tensor::allclose(out.slice(2, 4, 8), reversed(r.output.value()), 1e-6f, 1e-6f));
    CHECK(tensor::allclose(b.h_n.value().select(0, 0), f.h_n.value().select(0, 0), 1e-6f, 1e-6f));
    CHECK(tensor::allclose(b.h_n.value().select(0, 1), r.h_n.value().select(0, 0), 1e-6f, 1e-6f));
    // The reverse direction's final state is its output at t = 0.
    CHECK(tensor::allclose(b.h_n.value().select(0, 1), out.select(0, 0).slice(1, 4, 8), 1e-6f, 1e-6f));
}

TEST_CASE("a bidirectional layer is a forward layer and a layer over reversed time", "[layers][rnn][lstm][gru]") {
    check_directions<nn::RNN>();
    check_directions<nn::LSTM>();
    check_directions<nn::GRU>();
}

template <class Layer>
void check_bidirectional_gradients(bool cell_state) {
    Generator gen(4);
    using Options = typename Layer::Options;
    // dropout > 0 in eval mode: the identity, so the finite differences see a fixed function.
    Layer m(Options(2, 2).num_layers(2).bidirectional(true).batch_first(true).dropout(0.5f), gen);
    m.eval();
    Variable x(Tensor::randn({2, 3, 2}, gen), true);
    Variable h0(Tensor::randn({4, 2, 2}, gen, 0, 0.5f), true);
    std::vector<Variable> inputs{x, h0};
    if (cell_state) inputs.push_back(Variable(Tensor::randn({4, 2, 2}, gen, 0, 0.5f), true));
    const size_t first_param = inputs.size();
    for (const Variable& p : m.parameters()) inputs.push_back(p);
    const auto res = gradcheck(
        [&](const std::vector<Variable>& in) {
            const auto r = m.forward(in[0], {in[1], first_param == 3 ? in[2] : Variable()});
            std::vector<Variable> parts{reshape(r.output, {-1}), reshape(r.h_n, {-1})};
            if (r.c_n.defined()) parts.push_back(reshape(r.c_n, {-1}));
            return concat(parts, 0);
        },
        inputs);
    INFO(m.type_name() << ": " << res.message);
    CHECK(res.ok);
}

TEST_CASE("bidirectional 2-layer RNN, LSTM and GRU gradients pass gradcheck", "[layers][rnn][lstm][gru]") {
    check_bidirectional_gradients<nn::RNN>(false);
    check_bidirectional_gradients<nn::LSTM>(true);
    check_bidirectional_gradients<nn::GRU>(false);
}

TEST_CASE("dropout between RNN layers zeroes a fraction p of layer 0's outputs and scales the rest by 1/(1-p)",
          "[layers][rnn][dropout]") {
    // Layer 0: h = relu(W_ih x + 5) > 0 (no recurrence). Layer 1: h = relu(I * input), so its
    // output is exactly the dropped-out layer-0 output.
    const int64_t T = 50, N = 20, H = 10;
    const float p = 0.3f;
    Generator gen(5);
    nn::RNN two(nn::RNNOptions(2, H).num_layers(2).nonlinearity("relu").dropout(p), gen);
    nn::RNN one(nn::RNNOptions(2, H).nonlinearity("relu"), gen);
    two.weight_ih(0).value().copy_(tensor::mul(Tensor::randn({H, 2}, gen), 0.3f));
    two.weight_hh(0).value().fill_(0.0f);
    two.bias_ih(0).value().fill_(5.0f);
    two.bias_hh(0).value().fill_(0.0f);
    for (int64_t i = 0; i < H; ++i)
        for (int64_t j = 0; j < H; ++j) two.weight_ih(1).value().at({i, j}) = i == j ? 1.0f : 0.0f;
    two.weight_hh(1).value().fill_(0.0f);
    two.bias_ih(1).value().fill_(0.0f);
    two.bias_hh(1).value().fill_(0.0f);
    for (int64_t k = 0; k < 4; ++k) one.named_parameters()[k].second.value().copy_(two.named_parameters()[k].second.value());

    const Variable x(Tensor::randn({T, N, 2}, gen));
    const std::vector<float> layer0 = one(x).value().to_vector();
    const std::vector<float> y = two(x).value().to_vector();  // training mode (the default)
    int64_t zeros = 0;
    bool scaled = true;
    for (size_t i = 0; i < y.size(); ++i) {
        REQUIRE(layer0[i] > 1.0f);
        if (y[i] == 0.0f)
            ++zeros;
        else
            scaled = scaled && std::fabs(y[i] - layer0[i] / (1.0f - p)) <= 1e-5f * layer0[i];
    }
    CHECK(scaled);
    const double fraction = static_cast<double>(zeros) / static_cast<double>(y.size());  // 10,000 draws: sd 0.0046
    CHECK(fraction == Approx(p).margin(0.02));
    // A new mask per call, from the layer's own generator.
    CHECK_FALSE(same_bits(two(x).value(), Tensor::from({T, N, H}, y)));
    // Eval mode: no dropout.
    two.eval();
    CHECK(same_bits(two(x).value(), one(x).value()));
}

template <class Layer>
void check_dropout_modes(bool bidirectional) {
    Generator gen(6);
    using Options = typename Layer::Options;
    const auto options = Options(3, 4).num_layers(3).bidirectional(bidirectional);
    Layer plain(options, gen), dropped(Options(options).dropout(0.4f), gen);
    copy_parameters(plain, dropped);
    const Variable x(Tensor::randn({5, 2, 3}, gen));
    // Training: the outputs change; eval: bit-identical to no dropout.
    const auto a = plain.forward(x, {}), b = dropped.forward(x, {});
    CHECK_FALSE(same_bits(a.output.value(), b.output.value()));
    // Layer 0's states come before any dropout.
    CHECK(same_bits(a.h_n.value().select(0, 0), b.h_n.value().select(0, 0)));
    dropped.eval();
    const auto c = dropped.forward(x, {});
    CHECK(same_bits(a.output.value(), c.output.value()));
    CHECK(same_bits(a.h_n.value(), c.h_n.value()));
    // Two layers built from the same seed draw the same masks, call for call.
    Generator g1(7), g2(7);
    Layer m1(Options(options).dropout(0.4f), g1), m2(Options(options).dropout(0.4f), g2);
    CHECK(same_bits(m1(x).value(), m2(x).value()));
    CHECK(same_bits(m1(x).value(), m2(x).value()));
}

TEST_CASE("dropout between layers acts in training only, seeded, in every layer type", "[layers][rnn][lstm][gru][dropout]") {
    for (bool bi : {false, true}) {
        check_dropout_modes<nn::RNN>(bi);
        check_dropout_modes<nn::LSTM>(bi);
        check_dropout_modes<nn::GRU>(bi);
    }
}

TEST_CASE("LSTM dropout p = 1 feeds zeros to the next layer", "[layers][lstm][dropout]") {
    // With every output of layer 0 dropped, layer 1 reads zeros: it equals a one-layer
    // LSTM with layer 1's weights on a zero sequence (both directions).
    Generator gen(8);
    nn::LSTM two(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true).dropout(1.0f), gen);
    nn::LSTM top(nn::LSTMOptions(8, 4).bidirectional(true), gen);
    auto pt = two.named_parameters(), pp = top.named_parameters();
    for (size_t k = 0; k < 8; ++k) pp[k].second.value().copy_(pt[k + 8].second.value());
    const auto got = two.forward(Variable(Tensor::randn({5, 2, 3}, gen)), {});
    const auto want = top.forward(Variable(Tensor::zeros({5, 2, 8})), {});
    CHECK(same_bits(got.output.value(), want.output.value()));
    CHECK(same_bits(got.c_n.value().slice(0, 2, 4), want.c_n.value()));
}
