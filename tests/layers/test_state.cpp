#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "temp_path.hpp"
#include "layers/layers.hpp"
#include "layers/state.hpp"
#include "tensor/safetensors.hpp"


using namespace iotgrad;

namespace {

using iotgrad::test::temp_path;

std::vector<std::string> keys(const nn::NamedTensors& s) {
    std::vector<std::string> out;
    for (const auto& kv : s) out.push_back(kv.first);
    return out;
}

/// Independent copies of every value, to compare against later.
nn::NamedTensors snapshot(const nn::Module& m) {
    nn::NamedTensors out;
    for (const auto& [name, t] : nn::state_dict(m)) out.emplace_back(name, t.clone());
    return out;
}

bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

bool unchanged(const nn::Module& m, const nn::NamedTensors& before) {
    const nn::NamedTensors now = nn::state_dict(m);
    if (now.size() != before.size()) return false;
    for (std::size_t i = 0; i < now.size(); ++i)
        if (now[i].first != before[i].first || !same_bits(now[i].second, before[i].second)) return false;
    return true;
}

/// Conv1d features, an LSTM over time, a Linear head: [N, 3, L] -> [N, 2].
struct SensorNet : nn::Module {
    nn::Conv1d conv;
    nn::LSTM lstm;
    nn::Linear head;
    explicit SensorNet(Generator& gen) : conv(nn::Conv1dOptions(3, 4, 3).padding(1), gen), lstm(4, 5, gen), head(5, 2, gen) {
        register_module("conv", conv);
        register_module("lstm", lstm);
        register_module("head", head);
    }
    Variable forward(const Variable& x) override {
        const Variable seq = permute(relu(conv(x)), {2, 0, 1});  // [L, N, 4]
        const Variable out = lstm(seq);                           // [L, N, 5]
        return head(select(out, 0, out.size(0) - 1));
    }
};

}  // namespace

TEST_CASE("state_dict keys are PyTorch's names in PyTorch's order", "[layers][state]") {
    Generator gen(1);
    nn::Sequential seq(nn::Linear(3, 4, gen), nn::ReLU(), nn::Linear(4, 2, gen));
    CHECK(keys(nn::state_dict(seq)) == std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"});

    nn::LSTM lstm(nn::LSTMOptions(3, 4).num_layers(2), gen);
    CHECK(keys(nn::state_dict(lstm)) ==
          std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1",
                                   "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"});

    SensorNet net(gen);
    CHECK(keys(nn::state_dict(net)) ==
          std::vector<std::string>{"conv.weight", "conv.bias", "lstm.weight_ih_l0", "lstm.weight_hh_l0",
                                   "lstm.bias_ih_l0", "lstm.bias_hh_l0", "head.weight", "head.bias"});

    // Buffers follow their module's own parameters, before any submodule.
    nn::BatchNorm1d bn(4);
    CHECK(keys(nn::state_dict(bn)) ==
          std::vector<std::string>{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"});
    nn::Sequential with_bn(nn::Linear(3, 4, gen), nn::BatchNorm1d(4));
    CHECK(keys(nn::state_dict(with_bn)) ==
          std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                                   "1.num_batches_tracked"});

    nn::MultiheadAttention mha(8, 2, gen);
    CHECK(keys(nn::state_dict(mha)) ==
          std::vector<std::string>{"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"});

    // The tensors are the model's own (no copy), as in PyTorch.
    const nn::NamedTensors s = nn::state_dict(seq);
    CHECK(s[0].second.shares_storage(seq.named_parameters()[0].second.value()));
    CHECK(shape_str(s[0].second.shape()) == "[4, 3]");
}

TEST_CASE("a safetensors round trip restores identical outputs", "[layers][state]") {
    Generator g1(11), g2(22), gx(3);
    SensorNet a(g1), b(g2);
    const Variable x(Tensor::randn({2, 3, 6}, gx));
    const Tensor ya = a(x).value();
    REQUIRE_FALSE(same_bits(b(x).value(), ya));

    const std::string path = temp_path("state.safetensors");
    nn::save_safetensors(a, path);
    const tensor::Safetensors file = tensor::read_safetensors(path);
    CHECK(file.metadata == std::vector<std::pair<std::string, std::string>>{{"format", "pt"}});
    CHECK(keys(file.tensors) == keys(nn::state_dict(a)));

    const nn::LoadResult r = nn::load_safetensors(b, path);
    std::filesystem::remove(path);
    CHECK(r.missing_keys.empty());
    CHECK(r.unexpected_keys.empty());
    CHECK(same_bits(b(x).value(), ya));
    CHECK(unchanged(b, snapshot(a)));
}

TEST_CASE("load_state_dict copies into the parameters' own memory", "[layers][state]") {
    Generator gen(4);
    nn::Linear a(3, 2, gen), b(3, 2, gen);
    const float* before = b.weight.value().data();
    nn::load_state_dict(b, nn::state_dict(a));
    CHECK(b.weight.value().data() == before);  // an optimizer holding b's parameters still sees them
    CHECK(same_bits(b.weight.value(), a.weight.value()));
    CHECK_FALSE(b.weight.value().shares_storage(a.weight.value()));
}

TEST_CASE("a mismatched state lists every problem and leaves the model untouched", "[layers][state]") {
    Generator gen(5);
    nn::Sequential model(nn::Linear(3, 4, gen), nn::ReLU(), nn::Linear(4, 2, gen));
    nn::Sequential other(nn::Linear(5, 4, gen), nn::ReLU(), nn::Linear(4, 2, gen));
    const nn::NamedTensors before = snapshot(model);

    nn::NamedTensors state;
    for (const auto& [name, t] : nn::state_dict(other))
        if (name != "2.bias") state.emplace_back(name, t);  // "0.bias" and "2.weight" would fit
    state.emplace_back("extra.weight", Tensor::zeros({1}));

    try {
        nn::load_state_dict(model, state);
        FAIL("load_state_dict accepted a mismatched state");
    } catch (const nn::StateDictError& e) {
        const std::string msg = e.what();
        CHECK_THAT(msg, IOTGRAD_HAS("cannot load into Sequential (nothing was changed)"));
        CHECK_THAT(msg, IOTGRAD_HAS("missing key(s): \"2.bias\""));
        CHECK_THAT(msg, IOTGRAD_HAS("unexpected key(s): \"extra.weight\""));
        CHECK_THAT(msg, IOTGRAD_HAS("size mismatch for \"0.weight\": [4, 5] in the state, [4, 3] in the model"));
    }
    CHECK(unchanged(model, before));

    // Undefined and repeated entries are problems too.
    nn::NamedTensors dup = nn::state_dict(other);
    dup.emplace_back("0.bias", Tensor::zeros({4}));
    dup.emplace_back("2.weight", Tensor());
    CHECK_THROWS_WITH(nn::load_state_dict(model, dup), IOTGRAD_HAS("key \"0.bias\" appears more than once"));
    CHECK(unchanged(model, before));
}

TEST_CASE("strict = false loads what fits and reports the rest", "[layers][state]") {
    Generator gen(6);
    nn::Sequential model(nn::Linear(3, 4, gen), nn::ReLU(), nn::Linear(4, 2, gen));
    nn::Sequential source(nn::Linear(3, 4, gen));
    const Tensor old_head = model[2].named_parameters()[0].second.value().clone();
    nn::NamedTensors state = nn::state_dict(source);
    state.emplace_back("head.weight", Tensor::zeros({2, 2}));

    const nn::LoadResult r = nn::load_state_dict(model, state, /*strict*/ false);
    CHECK(r.missing_keys == std::vector<std::string>{"2.weight", "2.bias"});
    CHECK(r.unexpected_keys == std::vector<std::string>{"head.weight"});
    CHECK(same_bits(model[0].named_parameters()[0].second.value(), source[0].named_parameters()[0].second.value()));
    CHECK(same_bits(model[2].named_parameters()[0].second.value(), old_head));

    // A shape mismatch is never skipped silently.
    nn::NamedTensors wrong = {{"0.weight", Tensor::zeros({9, 9})}};
    CHECK_THROWS_AS(nn::load_state_dict(model, wrong, false), nn::StateDictError);
}
