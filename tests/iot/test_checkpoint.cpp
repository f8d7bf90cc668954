#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "autograd/ops.hpp"
#include "catch_compat.hpp"
#include "temp_path.hpp"
#include "iot/checkpoint.hpp"
#include "layers/layers.hpp"
#include "layers/state.hpp"
#include "optim/adam.hpp"
#include "optim/sgd.hpp"
#include "tensor/archive.hpp"


using namespace iotgrad;

namespace {

using iotgrad::test::temp_path;

/// Linear, BatchNorm (whose running statistics are buffers), Tanh, Linear: 4 features -> 3 classes.
nn::Sequential make_model(uint64_t seed) {
    Generator gen(seed);
    return nn::Sequential(nn::Linear(4, 8, gen), nn::BatchNorm1d(8), nn::Tanh(), nn::Linear(8, 3, gen));
}

struct Data {
    Tensor X, Y;
    Data() {
        Generator gen(99);
        X = Tensor::randn({16, 4}, gen);
        std::vector<float> y;
        for (int i = 0; i < 16; ++i) y.push_back(static_cast<float>(i % 3));
        Y = Tensor::from({16}, y);
    }
};

void train(nn::Module& m, optim::Optimizer& opt, const Data& d, int steps) {
    for (int i = 0; i < steps; ++i) {
        opt.zero_grad();
        Variable loss = cross_entropy(m(Variable(d.X)), d.Y);
        loss.backward();
        opt.step();
    }
}

bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    return x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

bool same_state(const nn::NamedTensors& a, const nn::NamedTensors& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].first != b[i].first || !same_bits(a[i].second, b[i].second)) return false;
    return true;
}

bool same_state(const optim::OptimizerState& a, const optim::OptimizerState& b) {
    return a.kind == b.kind && a.scalars == b.scalars && same_state(a.tensors, b.tensors);
}

nn::NamedTensors snapshot(const nn::Module& m) {
    nn::NamedTensors out;
    for (const auto& [name, t] : nn::state_dict(m)) out.emplace_back(name, t.clone());
    return out;
}

std::vector<uint8_t> file_bytes(const std::string& path) { return tensor::read_file_bytes(path); }
void write_bytes(const std::string& path, const std::vector<uint8_t>& b, std::size_t n) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(n));
}

}  // namespace

TEST_CASE("a checkpoint of model + Adam continues training bit for bit", "[iot][checkpoint]") {
    const Data d;
    const std::string path = temp_path("resume.ckpt");
    nn::Sequential a = make_model(1);
    optim::Adam opt_a(a.parameters(), 0.01);
    train(a, opt_a, d, 3);
    iot::save_checkpoint(path, a, &opt_a);
    train(a, opt_a, d, 4);  // the uninterrupted run

    nn::Sequential b = make_model(2);  // different initial weights
    optim::Adam opt_b(b.parameters(), 0.5);  // and a different learning rate, restored from the file
    iot::load_checkpoint(path, b, &opt_b);
    CHECK(opt_b.lr() == 0.01);
    CHECK(opt_b.step_count(0) == 3);
    train(b, opt_b, d, 4);  // the resumed run
    std::filesystem::remove(path);

    CHECK(same_state(snapshot(b), snapshot(a)));  // parameters and BatchNorm's running statistics
    CHECK(same_state(opt_b.state(), opt_a.state()));

    // The file holds what the documentation says, under the documented keys.
    iot::save_checkpoint(path, a, &opt_a);
    const tensor::Archive ar = tensor::read_archive(path);
    std::filesystem::remove(path);
    CHECK(ar.find_tensor("model.0.weight") != nullptr);
    CHECK(ar.find_tensor("model.1.running_mean") != nullptr);
    CHECK(ar.find_tensor("optim.exp_avg.0") != nullptr);
    CHECK(*ar.find_scalar("optim.step.0") == 7.0);
    CHECK(*ar.find_string("optim.kind") == "Adam");
}

TEST_CASE("a model-only checkpoint restores the model", "[iot][checkpoint]") {
    const std::string path = temp_path("model_only.ckpt");
    nn::Sequential a = make_model(3), b = make_model(4);
    iot::save_checkpoint(path, a);
    iot::load_checkpoint(path, b);
    CHECK(same_state(snapshot(b), snapshot(a)));
    optim::SGD opt(b.parameters(), 0.1);
    CHECK_THROWS_WITH(iot::load_checkpoint(path, b, &opt), IOTGRAD_HAS("no optimizer state"));
    std::filesystem::remove(path);
}

TEST_CASE("a truncated or corrupted checkpoint is refused and changes nothing", "[iot][checkpoint]") {
    const Data d;
    const std::string good = temp_path("good.ckpt"), bad = temp_path("bad.ckpt");
    nn::Sequential a = make_model(5);
    optim::Adam opt_a(a.parameters(), 0.01);
    train(a, opt_a, d, 2);
    iot::save_checkpoint(good, a, &opt_a);
    const std::vector<uint8_t> bytes = file_bytes(good);

    nn::Sequential b = make_model(6);
    optim::Adam opt_b(b.parameters(), 0.02);
    train(b, opt_b, d, 1);
    const nn::NamedTensors model_before = snapshot(b);
    const optim::OptimizerState opt_before = opt_b.state();

    for (std::size_t n : {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
        INFO("truncated to " << n << " bytes");
        write_bytes(bad, bytes, n);
        CHECK_THROWS_AS(iot::load_checkpoint(bad, b, &opt_b), tensor::ArchiveError);
    }
    write_bytes(bad, bytes, bytes.size() - 1);
    CHECK_THROWS_WITH(iot::load_checkpoint(bad, b, &opt_b), IOTGRAD_HAS("truncated at byte " + std::to_string(bytes.size() - 1)));
    for (std::size_t at : {std::size_t{3}, std::size_t{20}, bytes.size() / 3, bytes.size() - 2}) {
        INFO("bit flipped in byte " << at);
        std::vector<uint8_t> flipped = bytes;
        flipped[at] ^= 0x04;
        write_bytes(bad, flipped, flipped.size());
        CHECK_THROWS_AS(iot::load_checkpoint(bad, b, &opt_b), tensor::ArchiveError);
    }
    CHECK(same_state(snapshot(b), model_before));
    CHECK(same_state(opt_b.state(), opt_before));
    std::filesystem::remove(good);
    std::filesystem::remove(bad);
}

TEST_CASE("a checkpoint that does not fit changes neither model nor optimizer", "[iot][checkpoint]") {
    const Data d;
    const std::string path = temp_path("mismatch.ckpt");
    nn::Sequential a = make_model(7);
    optim::Adam opt_a(a.parameters(), 0.01);
    train(a, opt_a, d, 1);
    iot::save_checkpoint(path, a, &opt_a);

    // A wider hidden layer: every key matches but two shapes do not.
    Generator gen(8);
    nn::Sequential wide(nn::Linear(4, 9, gen), nn::BatchNorm1d(9), nn::Tanh(), nn::Linear(9, 3, gen));
    optim::Adam opt_w(wide.parameters(), 0.01);
    const nn::NamedTensors wide_before = snapshot(wide);
    CHECK_THROWS_WITH(iot::load_checkpoint(path, wide, &opt_w),
                      IOTGRAD_HAS("size mismatch for \"0.weight\": [8, 4] in the state, [9, 4] in the model"));
    CHECK(same_state(snapshot(wide), wide_before));
    CHECK(opt_w.state().tensors.empty());

    // The right model but the wrong optimizer: refused before the model changes.
    nn::Sequential b = make_model(9);
    optim::SGD sgd(b.parameters(), 0.1, 0.9);
    const nn::NamedTensors b_before = snapshot(b);
    CHECK_THROWS_WITH(iot::load_checkpoint(path, b, &sgd), IOTGRAD_HAS("written by 'Adam'"));
    CHECK(same_state(snapshot(b), b_before));
    std::filesystem::remove(path);
}
