#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"
#include "catch_compat.hpp"
#include "temp_path.hpp"
#include "iot/bundle.hpp"
#include "iot/checkpoint.hpp"
#include "tensor/archive.hpp"
#include "tensor/random.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {

using iotgrad::test::temp_path;

Bundle small_bundle() {
    Bundle b;
    b.task = Task::kClassify;
    b.spec = ModelSpec{"mlp", 4, 2, 3, 5};
    b.columns = ColumnSpec{"time", "device", {"x", "y"}, "label"};
    b.win = TaskWindow{4, 2, 1};
    b.missing = MissingStrategy::kForwardFill;
    b.norm = Normalizer{{1.5f, -2.0f}, {0.5f, 3.0f}};
    b.classes = {"a", "b", "c"};
    b.baseline_value = 2;
    b.weights = nn::state_dict(*make_model(b.spec));
    return b;
}

std::vector<char> bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}
void write(const std::string& path, const std::vector<char>& b) {
    std::ofstream out(path, std::ios::binary);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace

TEST_CASE("bundle: save and load give the same model, columns and statistics", "[iot][bundle]") {
    const std::string path = temp_path("ok.model");
    const Bundle b = small_bundle();
    save_bundle(path, b);
    const Bundle l = load_bundle(path);
    CHECK(l.task == Task::kClassify);
    CHECK(l.spec.kind == "mlp");
    CHECK(l.spec.window == 4);
    CHECK(l.spec.channels == 2);
    CHECK(l.spec.outputs == 3);
    CHECK(l.columns.features == b.columns.features);
    CHECK(l.columns.time == "time");
    CHECK(l.columns.target == "label");
    CHECK(l.classes == b.classes);
    CHECK(l.norm.mean == b.norm.mean);
    CHECK(l.norm.std == b.norm.std);
    CHECK(l.win.stride == 2);
    CHECK(l.baseline_value == 2.0);
    Generator g(1);
    const Tensor x = Tensor::randn({2, 4, 2}, g);
    NoGradGuard ng;
    auto m1 = build_model(b), m2 = build_model(l);
    CHECK(m1->forward(Variable(x)).value().to_vector() == m2->forward(Variable(x)).value().to_vector());
    std::filesystem::remove(path);
}

TEST_CASE("bundle: truncated, corrupt or foreign files are refused", "[iot][bundle]") {
    const std::string path = temp_path("good.model"), bad = temp_path("bad.model");
    save_bundle(path, small_bundle());
    std::vector<char> good = bytes(path);
    std::vector<char> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(good.size() / 2));
    write(bad, cut);
    CHECK_THROWS_AS(load_bundle(bad), tensor::ArchiveError);
    std::vector<char> flipped = good;
    flipped[flipped.size() / 2] ^= 0x40;
    write(bad, flipped);
    CHECK_THROWS_WITH(load_bundle(bad), IOTGRAD_HAS("checksum"));
    // a training checkpoint is an archive but not a bundle
    auto model = make_model(ModelSpec{"mlp", 4, 2, 3, 0});
    save_checkpoint(bad, *model);
    CHECK_THROWS_WITH(load_bundle(bad), IOTGRAD_HAS("not an iotgrad model bundle"));
    CHECK_THROWS_AS(load_bundle(temp_path("missing.model")), tensor::ArchiveError);
    std::filesystem::remove(path);
    std::filesystem::remove(bad);
}

TEST_CASE("bundle: inconsistent fields are refused before writing", "[iot][bundle]") {
    Bundle b = small_bundle();
    b.classes.pop_back();
    CHECK_THROWS_WITH(save_bundle(temp_path("x.model"), b), IOTGRAD_HAS("2 class names for a model with 3 outputs"));
    b = small_bundle();
    b.norm.std = {1.0f};
    CHECK_THROWS_WITH(save_bundle(temp_path("x.model"), b), IOTGRAD_HAS("2 means and 1 standard deviations for 2 features"));
    b = small_bundle();
    b.missing = MissingStrategy::kMask;  // the model would need 4 channels
    CHECK_THROWS_WITH(save_bundle(temp_path("x.model"), b), IOTGRAD_HAS("takes 2 channels, the features give 4"));
    CHECK_FALSE(std::filesystem::exists(temp_path("x.model")));
}
