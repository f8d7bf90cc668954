// Weights as PyTorch writes them (tests/fixtures/torch/gen_safetensors.py):
// every dtype the reader accepts, BatchNorm1d's int64 num_batches_tracked,
// a Linear in F16 / BF16 / F64, and files that must be refused whole.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "layers/layers.hpp"
#include "layers/state.hpp"
#include "temp_path.hpp"
#include "tensor/safetensors.hpp"
#include "torch_fixture.hpp"

using namespace iotgrad;
using iotgrad::test::torch_fixture;
using tensor::Dtype;

namespace {

std::string fixture_path(const std::string& name) {
    return std::string(IOTGRAD_FIXTURE_DIR) + "/torch/" + name + ".safetensors";
}

/// Equal as float32 values, bit for bit except that any NaN equals any NaN
/// (so -0 differs from +0 and 2^-24 from 0).
bool same_values(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    const std::vector<float> x = a.to_vector(), y = b.to_vector();
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i]) && std::isnan(y[i])) continue;
        if (std::memcmp(&x[i], &y[i], sizeof(float)) != 0) return false;
    }
    return true;
}


nn::NamedTensors snapshot(const nn::Module& m) {
    nn::NamedTensors out;
    for (const auto& [name, t] : nn::state_dict(m)) out.emplace_back(name, t.clone());
    return out;
}

/// The dtype of each tensor as the header of the file at `path` names it.
std::map<std::string, Dtype> file_dtypes(const std::string& path) { return tensor::read_safetensors(path).dtypes; }

}  // namespace

TEST_CASE("safetensors reads one tensor of every dtype exactly, edge values included", "[layers][safetensors][torch]") {
    const auto f = torch_fixture("safetensors_dtypes");
    const std::vector<std::pair<std::string, Dtype>> cases = {
        {"f64", Dtype::F64}, {"f32", Dtype::F32}, {"f16", Dtype::F16}, {"bf16", Dtype::BF16},
        {"i64", Dtype::I64}, {"i32", Dtype::I32}, {"i16", Dtype::I16}, {"i8", Dtype::I8},
        {"u8", Dtype::U8},   {"bool", Dtype::BOOL}, {"i64_scalar", Dtype::I64}};
    for (const auto& [name, dtype] : cases) {
        INFO(name);
        CHECK(f.file.dtypes.at(name) == dtype);
        CHECK(f.file.dtypes.at("expected." + name) == Dtype::F32);
        CHECK(same_values(f.t(name), f.t("expected." + name)));
    }
    // Known constants, independent of the fixture's expected values.
    const std::vector<float> f16 = f.t("f16").to_vector();
    CHECK(f16[0] == std::ldexp(1.0f, -24));                    // the smallest subnormal
    CHECK(f16[1] == std::ldexp(1023.0f, -24));                 // the largest subnormal
    CHECK(f16[2] == std::ldexp(1.0f, -14));                    // the smallest normal
    CHECK(f16[3] == 65504.0f);                                 // the largest finite half
    CHECK((f16[4] == 0.0f && std::signbit(f16[4])));          // -0 stays -0
    CHECK(f16[5] == -1.5f);
    CHECK((std::isinf(f16[6]) && f16[6] > 0));
    CHECK(std::isnan(f16[7]));                                 // NaN is accepted, as PyTorch loads it
    CHECK(f.t("i64").to_vector() == std::vector<float>{16777216.0f, -16777216.0f, 9007199254740992.0f, -7.0f, 0.0f,
                                                       4611686018427387904.0f});
    CHECK(f.t("u8").to_vector() == std::vector<float>{0.0f, 255.0f, 7.0f});
    CHECK(f.t("bool").to_vector() == std::vector<float>{1.0f, 0.0f, 1.0f});
    CHECK(f.t("i64_scalar").shape() == Shape{});
    CHECK(f.t("f64").to_vector()[0] == 1.0f / 3.0f);  // rounded to nearest, as .float()
}

TEST_CASE("a Linear saved by PyTorch in F16, BF16 and F64 loads exactly", "[layers][safetensors][torch]") {
    const auto e = torch_fixture("safetensors_linear_expected");
    for (const std::string dtype : {"f16", "bf16", "f64"}) {
        INFO(dtype);
        Generator gen(1);
        nn::Linear lin(4, 3, gen);
        nn::load_safetensors(lin, fixture_path("safetensors_linear_" + dtype));
        CHECK(same_values(lin.weight.value(), e.t(dtype + ".weight")));
        CHECK(same_values(lin.bias.value(), e.t(dtype + ".bias")));
        const Tensor y = lin(Variable(e.t("x"))).value();
        CHECK(test::max_abs_diff(y, e.t(dtype + ".y")) < 1e-5f);
    }
}

TEST_CASE("a BatchNorm1d state_dict written by PyTorch (int64 num_batches_tracked) loads",
          "[layers][safetensors][torch]") {
    const std::string path = fixture_path("safetensors_batchnorm_state");
    CHECK(file_dtypes(path).at("num_batches_tracked") == Dtype::I64);
    const auto e = torch_fixture("safetensors_batchnorm_expected");
    nn::BatchNorm1d bn(3);
    const nn::LoadResult r = nn::load_safetensors(bn, path);
    CHECK(r.missing_keys.empty());
    CHECK(r.unexpected_keys.empty());
    const nn::NamedTensors loaded = nn::state_dict(bn);
    REQUIRE(loaded.size() == 5);
    for (const std::string key : {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}) {
        INFO(key);
        const Tensor* got = nullptr;
        for (const auto& kv : loaded)
            if (kv.first == key) got = &kv.second;
        REQUIRE(got != nullptr);
        CHECK(same_values(*got, e.t(key)));
    }
    CHECK(bn.num_batches_tracked.item() == 2.0f);
    bn.eval();
    CHECK(test::max_abs_diff(bn(Variable(e.t("x"))).value(), e.t("y")) < 1e-5f);
}

TEST_CASE("iotgrad writes BatchNorm1d's num_batches_tracked as an I64 scalar, like PyTorch",
          "[layers][safetensors][torch]") {
    nn::BatchNorm1d bn(3);
    Generator gen(4);
    for (int i = 0; i < 3; ++i) bn(Variable(Tensor::randn({5, 3}, gen)));
    const std::string path = iotgrad::test::temp_path("bn_i64.safetensors");
    nn::save_safetensors(bn, path);
    // The same dtype for every key as the file PyTorch wrote.
    CHECK(file_dtypes(path) == file_dtypes(fixture_path("safetensors_batchnorm_state")));
    const tensor::Safetensors f = tensor::read_safetensors(path);
    CHECK(f.dtypes.at("num_batches_tracked") == Dtype::I64);
    CHECK(f.dtypes.at("running_mean") == Dtype::F32);
    CHECK(f.find("num_batches_tracked")->shape() == Shape{});
    CHECK(f.find("num_batches_tracked")->item() == 3.0f);
    // The raw header says so too (byte-level, not only through our reader).
    const std::vector<uint8_t> bytes = tensor::encode_safetensors(f);
    const std::string header(bytes.begin() + 8, bytes.end());
    CHECK(header.find(R"("num_batches_tracked":{"dtype":"I64","shape":[],)") != std::string::npos);
    nn::BatchNorm1d back(3);
    nn::load_safetensors(back, path);
    CHECK(back.num_batches_tracked.item() == 3.0f);
    CHECK(same_values(back.running_var, bn.running_var));
    std::remove(path.c_str());
}

TEST_CASE("files float32 cannot hold are refused whole, naming the tensor; the model is untouched",
          "[layers][safetensors][torch]") {
    Generator gen(2);
    nn::Linear lin(2, 1, gen);
    const nn::NamedTensors before = snapshot(lin);
    CHECK_THROWS_WITH(nn::load_safetensors(lin, fixture_path("safetensors_refused_i64")),
                      IOTGRAD_HAS("tensor \"bias\" (I64) element 0 is 16777217, which float32 cannot hold exactly"));
    CHECK_THROWS_WITH(nn::load_safetensors(lin, fixture_path("safetensors_refused_f64")),
                      IOTGRAD_HAS("tensor \"weight\" (F64) element 0 is") &&
                          IOTGRAD_HAS("beyond float32's range"));
    const nn::NamedTensors now = nn::state_dict(lin);
    REQUIRE(now.size() == before.size());
    for (std::size_t i = 0; i < now.size(); ++i) CHECK(same_values(now[i].second, before[i].second));
}
