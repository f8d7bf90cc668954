#include "iot/fed/scenario.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "iot/csv.hpp"
#include "iot/split.hpp"
#include "iot/tasks.hpp"
#include "iot/window.hpp"

namespace iotgrad::iot::fed {

namespace {

/// Windows stacked into x [N, T, C] and y [N].
struct Stack {
    std::vector<float> x, y;
    std::vector<int> device;
    int64_t n = 0, channels = 0;
    void add(const Tensor& w, int label, int dev) {
        const Tensor c = w.contiguous();
        channels = w.size(1);
        x.insert(x.end(), c.data(), c.data() + c.numel());
        y.push_back(static_cast<float>(label));
        device.push_back(dev);
        ++n;
    }
};

/// Normalises both stacks with the training stack's per-channel mean and std; NaN -> 0.
void normalise(Stack& train, Stack& test, int64_t channels) {
    std::vector<double> sum(channels, 0.0), sq(channels, 0.0);
    std::vector<int64_t> cnt(channels, 0);
    for (size_t i = 0; i < train.x.size(); ++i) {
        const float v = train.x[i];
        if (std::isnan(v)) continue;
        const size_t c = i % static_cast<size_t>(channels);
        sum[c] += v;
        sq[c] += static_cast<double>(v) * v;
        ++cnt[c];
    }
    std::vector<float> mean(channels), inv(channels);
    for (int64_t c = 0; c < channels; ++c) {
        const double m = cnt[c] ? sum[c] / cnt[c] : 0.0;
        const double var = cnt[c] ? sq[c] / cnt[c] - m * m : 0.0;
        mean[c] = static_cast<float>(m);
        inv[c] = var > 1e-12 ? static_cast<float>(1.0 / std::sqrt(var)) : 1.0f;
    }
    for (Stack* s : {&train, &test})
        for (size_t i = 0; i < s->x.size(); ++i) {
            const size_t c = i % static_cast<size_t>(channels);
            s->x[i] = std::isnan(s->x[i]) ? 0.0f : (s->x[i] - mean[c]) * inv[c];
        }
}

FedData finish(std::string name, Stack& train, Stack& test, int64_t window, int64_t channels, int64_t classes) {
    if (train.n < 1) throw std::invalid_argument("fed::" + name + "_data: no training windows");
    if (test.n < 1) throw std::invalid_argument("fed::" + name + "_data: no test windows");
    normalise(train, test, channels);
    FedData d;
    d.name = std::move(name);
    d.window = window;
    d.channels = channels;
    d.classes = classes;
    d.train = std::make_unique<TensorDataset>(Tensor::from({train.n, window, channels}, train.x), Tensor::from({train.n}, train.y));
    d.test = std::make_unique<TensorDataset>(Tensor::from({test.n, window, channels}, test.x), Tensor::from({test.n}, test.y));
    d.train_device = train.device;
    return d;
}

}  // namespace

FedData har_data(const HarConfig& cfg, int train_subjects, int test_subjects, int windows_per_subject) {
    if (train_subjects < 1 || test_subjects < 1 || train_subjects + test_subjects > cfg.subjects || windows_per_subject < 1)
        throw std::invalid_argument("fed::har_data: need 1 <= train_subjects (" + std::to_string(train_subjects) +
                                    "), 1 <= test_subjects (" + std::to_string(test_subjects) + "), their sum <= subjects (" +
                                    std::to_string(cfg.subjects) + ") and windows_per_subject >= 1");
    const HarSimulator sim(cfg);
    Stack train, test;
    for (int s = 0; s < train_subjects + test_subjects; ++s)
        for (const Window& w : sim.windows_for_subject(s, windows_per_subject))
            (s < train_subjects ? train : test).add(w.x, w.label, s);
    FedData d = finish("har", train, test, cfg.window, kHarChannels, kHarClasses);
    for (int c = 0; c < kHarClasses; ++c) d.class_names.push_back(har_activity_name(c));
    return d;
}

FedData machine_data(const MachineConfig& cfg, int train_machines, int test_machines, int window, int stride) {
    if (train_machines < 1 || test_machines < 1 || train_machines + test_machines > cfg.machines || window < 1 || stride < 1)
        throw std::invalid_argument("fed::machine_data: need 1 <= train_machines, 1 <= test_machines, their sum <= machines (" +
                                    std::to_string(cfg.machines) + "), window >= 1 and stride >= 1");
    const MachineSimulator sim(cfg);
    Stack train, test;
    for (int m = 0; m < train_machines + test_machines; ++m) {
        Windower win({window, stride, WindowLabel::kLast, true});
        MachineStream stream = sim.machine(m);
        while (!stream.done())
            if (auto w = win.push(stream.next())) (m < train_machines ? train : test).add(w->x, w->label, m);
    }
    // A record holds the operating settings and the sensors: take the width from the windows.
    FedData d = finish("machines", train, test, window, train.channels, 2);
    d.class_names = {"healthy", "fails_soon"};
    return d;
}

FedData city_data(const CityConfig& cfg, int steps, int window, int test_sites) {
    CitySimulator sim(cfg);
    const int sites = sim.sites();
    if (steps < window || window < 2 || test_sites < 1 || test_sites >= sites)
        throw std::invalid_argument("fed::city_data: need steps >= window >= 2 and 1 <= test_sites < sites (" +
                                    std::to_string(sites) + ")");
    Windower win({window, window / 2, WindowLabel::kMax, true});
    Stack train, test;
    for (int64_t i = 0; i < static_cast<int64_t>(steps) * sites; ++i) {
        const Record r = sim.next();
        if (auto w = win.push(r)) (r.device < sites - test_sites ? train : test).add(w->x, w->label > 0 ? 1 : 0, r.device);
    }
    FedData d = finish("city", train, test, window, kCityChannels, 2);
    d.class_names = {"normal", "anomaly"};
    return d;
}

FedData csv_data(const std::string& path, const std::string& device, const std::string& target, int window,
                 int stride, double test_fraction, uint64_t seed) {
    const CsvTable table = read_csv(path);
    ColumnSpec cols;
    cols.device = device;
    cols.target = target;
    cols.features = default_features(table, cols, {});
    std::vector<std::string> classes;
    TaskData td = make_task_data(load_series(table, cols, Task::kClassify, classes, true), Task::kClassify,
                                 TaskWindow{window, stride, 1}, MissingStrategy::kForwardFill);
    const SplitIndices split = split_by_device(td.spans, 0.0, test_fraction, seed);
    const Normalizer norm = fit_normalizer(td, split.train);
    const int64_t C = td.table.channels;
    Stack train, test;  // already normalised by tasks.hpp; stacked as they are
    for (auto [part, stack] : {std::pair{&split.train, &train}, std::pair{&split.test, &test}}) {
        if (part->empty()) continue;
        const Tensor x = make_inputs(td, norm, MissingStrategy::kForwardFill, *part);
        const std::vector<float> y = sample_targets(td, *part);
        for (size_t i = 0; i < part->size(); ++i)
            stack->add(x.select(0, static_cast<int64_t>(i)), static_cast<int>(y[i]), td.samples[(*part)[i]].device);
    }
    if (train.n < 1 || test.n < 1)
        throw std::invalid_argument("fed::csv_data: " + path + " gives " + std::to_string(train.n) + " training and " +
                                    std::to_string(test.n) + " test windows; need devices on both sides (--test-fraction)");
    FedData d;
    d.name = "csv";
    d.window = window;
    d.channels = C;
    d.classes = static_cast<int64_t>(classes.size());
    for (float& v : train.x) v = std::isnan(v) ? 0.0f : v;
    for (float& v : test.x) v = std::isnan(v) ? 0.0f : v;
    d.train = std::make_unique<TensorDataset>(Tensor::from({train.n, d.window, C}, train.x), Tensor::from({train.n}, train.y));
    d.test = std::make_unique<TensorDataset>(Tensor::from({test.n, d.window, C}, test.x), Tensor::from({test.n}, test.y));
    d.train_device = train.device;
    d.class_names = classes;
    return d;
}

Partition partition_data(const FedData& data, const std::string& kind, int clients, double alpha,
                         int shards_per_client, uint64_t seed) {
    if (kind == "natural") return partition_by_group(data.train_device);
    if (kind == "iid") return partition_iid(data.train->size(), clients, seed);
    if (kind == "dirichlet") return partition_dirichlet(dataset_labels(*data.train), clients, alpha, seed);
    if (kind == "shards") return partition_shards(dataset_labels(*data.train), clients, shards_per_client, seed);
    throw std::invalid_argument("unknown partition \"" + kind + "\" (expected natural, iid, dirichlet or shards)");
}

}  // namespace iotgrad::iot::fed
