#include "iot/bundle.hpp"

#include <cmath>
#include <stdexcept>

#include "tensor/archive.hpp"

namespace iotgrad::iot {
namespace {

const char* kFormat = "iotgrad-model 1";

Tensor vec_tensor(const std::vector<float>& v) { return Tensor::from({static_cast<int64_t>(v.size())}, v); }

/// Checks that the fields fit each other; `where` prefixes the message.
void check(const Bundle& b, const std::string& where) {
    const auto fail = [&](const std::string& why) { throw std::runtime_error(where + ": " + why); };
    const int64_t F = static_cast<int64_t>(b.columns.features.size());
    if (F < 1) fail("no feature columns");
    if (static_cast<int64_t>(b.norm.mean.size()) != F || static_cast<int64_t>(b.norm.std.size()) != F)
        fail("the normalisation has " + std::to_string(b.norm.mean.size()) + " means and " +
             std::to_string(b.norm.std.size()) + " standard deviations for " + std::to_string(F) + " features");
    for (float s : b.norm.std)
        if (!(s > 0.0f) || !std::isfinite(s)) fail("a normalisation standard deviation is not positive");
    if (b.win.window < 1 || b.win.stride < 1 || b.win.horizon < 0) fail("bad window, stride or horizon");
    if (b.spec.window != b.win.window) fail("the model's window differs from the data window");
    if (b.spec.channels != channels_after(b.missing, F))
        fail("the model takes " + std::to_string(b.spec.channels) + " channels, the features give " +
             std::to_string(channels_after(b.missing, F)));
    if (b.task == Task::kClassify && static_cast<int64_t>(b.classes.size()) != b.spec.outputs)
        fail(std::to_string(b.classes.size()) + " class names for a model with " + std::to_string(b.spec.outputs) +
             " outputs");
    if (b.task == Task::kAnomaly && !is_autoencoder(b.spec.kind)) fail("an anomaly model must be the autoencoder");
    if (!(b.target_std > 0.0f)) fail("the target standard deviation is not positive");
}

std::string need_string(const tensor::Archive& a, const std::string& key, const std::string& where) {
    const std::string* s = a.find_string(key);
    if (!s) throw std::runtime_error(where + ": not an iotgrad model bundle (no '" + key + "' entry)");
    return *s;
}
double need_scalar(const tensor::Archive& a, const std::string& key, const std::string& where) {
    const double* v = a.find_scalar(key);
    if (!v) throw std::runtime_error(where + ": not an iotgrad model bundle (no '" + key + "' entry)");
    return *v;
}
std::vector<float> need_vector(const tensor::Archive& a, const std::string& key, const std::string& where) {
    const Tensor* t = a.find_tensor(key);
    if (!t || t->dim() != 1) throw std::runtime_error(where + ": not an iotgrad model bundle (no '" + key + "' entry)");
    return t->to_vector();
}

}  // namespace

void save_bundle(const std::string& path, const Bundle& b) {
    try {
        check(b, "save_bundle");
    } catch (const std::runtime_error& e) {
        throw std::invalid_argument(e.what());
    }
    tensor::Archive a;
    a.strings = {{"bundle.format", kFormat},
                 {"task", task_name(b.task)},
                 {"model.kind", b.spec.kind},
                 {"missing", missing_strategy_name(b.missing)},
                 {"column.time", b.columns.time},
                 {"column.device", b.columns.device},
                 {"column.target", b.columns.target}};
    for (std::size_t i = 0; i < b.columns.features.size(); ++i)
        a.strings.emplace_back("feature." + std::to_string(i), b.columns.features[i]);
    for (std::size_t i = 0; i < b.classes.size(); ++i) a.strings.emplace_back("class." + std::to_string(i), b.classes[i]);
    a.scalars = {{"window", static_cast<double>(b.win.window)},
                 {"stride", static_cast<double>(b.win.stride)},
                 {"horizon", static_cast<double>(b.win.horizon)},
                 {"model.outputs", static_cast<double>(b.spec.outputs)},
                 {"model.seed", static_cast<double>(b.spec.seed)},
                 {"features", static_cast<double>(b.columns.features.size())},
                 {"classes", static_cast<double>(b.classes.size())},
                 {"target.mean", b.target_mean},
                 {"target.std", b.target_std},
                 {"anomaly.threshold", b.anomaly_threshold},
                 {"baseline.value", b.baseline_value}};
    a.tensors = {{"norm.mean", vec_tensor(b.norm.mean)}, {"norm.std", vec_tensor(b.norm.std)}};
    for (const auto& [key, t] : b.weights) a.tensors.emplace_back("weights." + key, t.contiguous());
    tensor::write_archive(path, a);
}

Bundle load_bundle(const std::string& path) {
    const tensor::Archive a = tensor::read_archive(path);  // size + CRC checked here
    const std::string& w = path;
    if (need_string(a, "bundle.format", w) != kFormat)
        throw std::runtime_error(w + ": unsupported bundle format '" + need_string(a, "bundle.format", w) + "'");
    Bundle b;
    try {
        b.task = parse_task(need_string(a, "task", w));
        b.missing = parse_missing_strategy(need_string(a, "missing", w));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(w + ": " + e.what());
    }
    b.spec.kind = need_string(a, "model.kind", w);
    b.columns.time = need_string(a, "column.time", w);
    b.columns.device = need_string(a, "column.device", w);
    b.columns.target = need_string(a, "column.target", w);
    const double nf = need_scalar(a, "features", w), nc = need_scalar(a, "classes", w);
    if (!(nf >= 0 && nf < 1e6 && nc >= 0 && nc < 1e6)) throw std::runtime_error(w + ": bad feature or class count");
    for (int64_t i = 0; i < static_cast<int64_t>(nf); ++i)
        b.columns.features.push_back(need_string(a, "feature." + std::to_string(i), w));
    for (int64_t i = 0; i < static_cast<int64_t>(nc); ++i) b.classes.push_back(need_string(a, "class." + std::to_string(i), w));
    b.win.window = static_cast<int64_t>(need_scalar(a, "window", w));
    b.win.stride = static_cast<int64_t>(need_scalar(a, "stride", w));
    b.win.horizon = static_cast<int64_t>(need_scalar(a, "horizon", w));
    b.target_mean = static_cast<float>(need_scalar(a, "target.mean", w));
    b.target_std = static_cast<float>(need_scalar(a, "target.std", w));
    b.anomaly_threshold = need_scalar(a, "anomaly.threshold", w);
    b.baseline_value = need_scalar(a, "baseline.value", w);
    b.norm.mean = need_vector(a, "norm.mean", w);
    b.norm.std = need_vector(a, "norm.std", w);
    b.spec.window = b.win.window;
    b.spec.channels = channels_after(b.missing, static_cast<int64_t>(b.columns.features.size()));
    b.spec.outputs = static_cast<int64_t>(need_scalar(a, "model.outputs", w));
    b.spec.seed = static_cast<uint64_t>(need_scalar(a, "model.seed", w));
    const std::string prefix = "weights.";
    for (const auto& [key, t] : a.tensors)
        if (key.compare(0, prefix.size(), prefix) == 0) b.weights.emplace_back(key.substr(prefix.size()), t);
    check(b, w);
    try {
        build_model(b);  // the weights must fit the spec
    } catch (const std::exception& e) {
        throw std::runtime_error(w + ": the weights do not fit the model: " + e.what());
    }
    return b;
}

std::unique_ptr<nn::Module> build_model(const Bundle& b) {
    std::unique_ptr<nn::Module> m = make_model(b.spec);
    nn::load_state_dict(*m, b.weights, /*strict=*/true);
    m->eval();
    return m;
}

}  // namespace iotgrad::iot
