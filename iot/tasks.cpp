#include "iot/tasks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "iot/baseline.hpp"

namespace iotgrad::iot {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

std::string trim(const std::string& s) {
    const std::size_t b = s.find_first_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(" \t") + 1 - b);
}

/// Sorted class names: numerically when all are numbers, else by bytes.
void sort_classes(std::vector<std::string>& names) {
    bool numeric = true;
    double v;
    for (const std::string& n : names) numeric = numeric && parse_number(n, v);
    std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
        if (!numeric) return a < b;
        double x, y;
        parse_number(a, x);
        parse_number(b, y);
        return x < y || (x == y && a < b);
    });
}

float anomaly_flag(const std::string& cell) {
    double v;
    if (parse_number(cell, v)) return v != 0.0 ? 1.0f : 0.0f;
    std::string s = trim(cell);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s == "normal" || s == "false" || s == "no" ? 0.0f : 1.0f;
}

}  // namespace

Task parse_task(const std::string& name) {
    if (name == "classify") return Task::kClassify;
    if (name == "regress") return Task::kRegress;
    if (name == "forecast") return Task::kForecast;
    if (name == "anomaly") return Task::kAnomaly;
    throw std::invalid_argument("task must be one of classify, regress, forecast, anomaly; got '" + name + "'");
}

std::string task_name(Task task) {
    switch (task) {
        case Task::kClassify: return "classify";
        case Task::kRegress: return "regress";
        case Task::kForecast: return "forecast";
        case Task::kAnomaly: return "anomaly";
    }
    return "?";
}

std::vector<std::string> default_features(const CsvTable& table, const ColumnSpec& columns,
                                          const std::vector<std::string>& ignore) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < table.header.size(); ++c) {
        const std::string& name = table.header[c];
        if (name == columns.time || name == columns.device || name == columns.target || name == "lat" ||
            name == "lon" || std::find(ignore.begin(), ignore.end(), name) != ignore.end())
            continue;
        for (const auto& row : table.rows) {
            if (is_blank(row[c])) continue;
            double v;
            if (parse_number(row[c], v)) out.push_back(name);
            break;
        }
    }
    return out;
}

SeriesTable load_series(const CsvTable& table, const ColumnSpec& columns, Task task,
                        std::vector<std::string>& classes, bool learn_classes) {
    const int64_t tcol = columns.time.empty() ? -1 : table.require(columns.time, "the time column");
    const int64_t dcol = columns.device.empty() ? -1 : table.require(columns.device, "the device column");
    const int64_t ycol = columns.target.empty() ? -1 : table.require(columns.target, "the target column");
    std::vector<int64_t> fcols;
    for (const std::string& f : columns.features) fcols.push_back(table.require(f, "a feature column"));
    if (fcols.empty()) throw CsvError(table.source, 1, 0, "no feature columns (name them with --features)");

    SeriesTable s;
    s.source = table.source;
    s.channels = static_cast<int64_t>(fcols.size());
    const std::size_t n = table.rows.size();
    s.time.resize(n);
    s.device.resize(n);
    s.x.resize(n * fcols.size());
    s.target.assign(n, kNaN);
    s.lines = table.lines;

    std::map<std::string, int> class_index;
    if (task == Task::kClassify && ycol >= 0) {
        if (learn_classes) {
            std::map<std::string, int> seen;
            for (const auto& row : table.rows)
                if (!is_blank(row[ycol])) seen[trim(row[ycol])] = 0;
            classes.clear();
            for (const auto& kv : seen) classes.push_back(kv.first);
            sort_classes(classes);
            if (classes.size() < 2)
                throw CsvError(table.source, 1, ycol + 1,
                               "the target column '" + columns.target + "' has " + std::to_string(classes.size()) +
                                   " class(es); classification needs at least 2");
        }
        for (std::size_t k = 0; k < classes.size(); ++k) class_index[classes[k]] = static_cast<int>(k);
    }
    std::map<std::string, int> device_ids;
    std::vector<double> last_time;  // per device: windows assume each device's rows are in time order
    std::string why;
    for (std::size_t r = 0; r < n; ++r) {
        const auto& row = table.rows[r];
        if (tcol >= 0) {
            if (!parse_time(row[tcol], s.time[r], why)) throw table.error(r, tcol, "bad time: " + why);
        } else {
            s.time[r] = static_cast<double>(r);
        }
        int dev = 0;
        if (dcol >= 0) {
            const std::string name = trim(row[dcol]);
            if (name.empty()) throw table.error(r, dcol, "empty device id");
            auto it = device_ids.find(name);
            if (it == device_ids.end()) {
                it = device_ids.emplace(name, static_cast<int>(s.device_names.size())).first;
                s.device_names.push_back(name);
            }
            dev = it->second;
        } else if (s.device_names.empty()) {
            s.device_names.push_back("0");
        }
        s.device[r] = dev;
        if (static_cast<std::size_t>(dev) >= last_time.size()) last_time.resize(static_cast<std::size_t>(dev) + 1, -HUGE_VAL);
        if (tcol >= 0 && s.time[r] < last_time[static_cast<std::size_t>(dev)])
            throw table.error(r, tcol, "time goes backwards for device '" + s.device_names[static_cast<std::size_t>(dev)] +
                                           "' (rows of a device must be in time order; sort the file)");
        last_time[static_cast<std::size_t>(dev)] = s.time[r];
        for (std::size_t k = 0; k < fcols.size(); ++k) {
            const std::string& cell = row[fcols[k]];
            double v = 0;
            if (is_blank(cell)) v = std::nan("");
            else if (!parse_number(cell, v))
                throw table.error(r, fcols[k], "'" + cell + "' is not a number (feature '" + table.header[fcols[k]] + "')");
            s.x[r * fcols.size() + k] = static_cast<float>(v);
        }
        if (ycol < 0 || is_blank(row[ycol])) continue;
        const std::string& cell = row[ycol];
        if (task == Task::kClassify) {
            const auto it = class_index.find(trim(cell));
            if (it == class_index.end())
                throw table.error(r, ycol, "label '" + trim(cell) + "' was never seen in training (the model knows " +
                                               std::to_string(classes.size()) + " classes)");
            s.target[r] = static_cast<float>(it->second);
        } else if (task == Task::kAnomaly) {
            s.target[r] = anomaly_flag(cell);
        } else {
            double v;
            if (!parse_number(cell, v))
                throw table.error(r, ycol, "'" + cell + "' is not a number (target '" + columns.target + "')");
            s.target[r] = static_cast<float>(v);
        }
    }
    return s;
}

int64_t TaskData::row(int64_t i, int64_t offset) const {
    const SampleRef& s = samples[static_cast<std::size_t>(i)];
    return rows[static_cast<std::size_t>(s.device)][static_cast<std::size_t>(s.start + offset)];
}

TaskData make_task_data(SeriesTable table, Task task, const TaskWindow& win, MissingStrategy missing) {
    if (win.window < 1) throw std::invalid_argument("the window must be >= 1 record, got " + std::to_string(win.window));
    if (win.stride < 1) throw std::invalid_argument("the stride must be >= 1 record, got " + std::to_string(win.stride));
    if (task == Task::kForecast && win.horizon < 1)
        throw std::invalid_argument("the forecast horizon must be >= 1 record, got " + std::to_string(win.horizon));
    TaskData d;
    d.task = task;
    d.win = win;
    d.table = std::move(table);
    const SeriesTable& t = d.table;
    d.rows.resize(t.device_names.size());
    const int64_t C = t.channels;
    for (int64_t r = 0; r < t.rows(); ++r) {
        if (missing == MissingStrategy::kDrop) {
            bool complete = true;
            for (int64_t c = 0; c < C && complete; ++c) complete = !std::isnan(t.x[static_cast<std::size_t>(r * C + c)]);
            if (!complete) continue;
        }
        d.rows[static_cast<std::size_t>(t.device[static_cast<std::size_t>(r)])].push_back(r);
    }
    const int64_t reach = win.window - 1 + (task == Task::kForecast ? win.horizon : 0);
    for (std::size_t dev = 0; dev < d.rows.size(); ++dev) {
        const auto& rows = d.rows[dev];
        for (int64_t p = 0; p + reach < static_cast<int64_t>(rows.size()); p += win.stride) {
            const int64_t last = rows[static_cast<std::size_t>(p + reach)];
            const int64_t label_row = rows[static_cast<std::size_t>(p + win.window - 1)];
            if (task == Task::kForecast && std::isnan(t.target[static_cast<std::size_t>(last)])) { ++d.skipped_no_target; continue; }
            if ((task == Task::kClassify || task == Task::kRegress) && std::isnan(t.target[static_cast<std::size_t>(label_row)])) {
                ++d.skipped_no_target;
                continue;
            }
            d.samples.push_back({static_cast<int>(dev), p});
            d.spans.push_back({static_cast<int>(dev), t.time[static_cast<std::size_t>(rows[static_cast<std::size_t>(p)])],
                               t.time[static_cast<std::size_t>(last)]});
        }
    }
    return d;
}

std::vector<int64_t> all_samples(const TaskData& data) {
    std::vector<int64_t> v(data.samples.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i);
    return v;
}

Normalizer fit_normalizer(const TaskData& data, const std::vector<int64_t>& samples) {
    const int64_t C = data.table.channels;
    std::vector<char> used(static_cast<std::size_t>(data.table.rows()), 0);
    for (int64_t i : samples)
        for (int64_t k = 0; k < data.win.window; ++k) used[static_cast<std::size_t>(data.row(i, k))] = 1;
    std::vector<double> sum(static_cast<std::size_t>(C), 0.0), sq(static_cast<std::size_t>(C), 0.0);
    std::vector<int64_t> n(static_cast<std::size_t>(C), 0);
    for (int64_t r = 0; r < data.table.rows(); ++r) {
        if (!used[static_cast<std::size_t>(r)]) continue;
        for (int64_t c = 0; c < C; ++c) {
            const float v = data.table.x[static_cast<std::size_t>(r * C + c)];
            if (std::isnan(v)) continue;
            sum[static_cast<std::size_t>(c)] += v;
            ++n[static_cast<std::size_t>(c)];
        }
    }
    Normalizer norm;
    for (int64_t c = 0; c < C; ++c) {
        const std::size_t k = static_cast<std::size_t>(c);
        norm.mean.push_back(n[k] ? static_cast<float>(sum[k] / static_cast<double>(n[k])) : 0.0f);
    }
    for (int64_t r = 0; r < data.table.rows(); ++r) {  // second pass: variance about the mean (stable)
        if (!used[static_cast<std::size_t>(r)]) continue;
        for (int64_t c = 0; c < C; ++c) {
            const float v = data.table.x[static_cast<std::size_t>(r * C + c)];
            if (!std::isnan(v)) sq[static_cast<std::size_t>(c)] += (v - norm.mean[c]) * double(v - norm.mean[c]);
        }
    }
    for (int64_t c = 0; c < C; ++c) {
        const std::size_t k = static_cast<std::size_t>(c);
        const double sd = n[k] ? std::sqrt(sq[k] / static_cast<double>(n[k])) : 0.0;
        norm.std.push_back(sd > 1e-12 ? static_cast<float>(sd) : 1.0f);
    }
    return norm;
}

namespace {

/// One device's rows, normalised, as [n_d, C] (NaN kept).
Tensor device_matrix(const TaskData& data, const Normalizer& norm, std::size_t dev) {
    const int64_t C = data.table.channels;
    const auto& rows = data.rows[dev];
    Tensor m = Tensor::empty({static_cast<int64_t>(rows.size()), C});
    float* p = m.data();
    for (std::size_t k = 0; k < rows.size(); ++k)
        for (int64_t c = 0; c < C; ++c)
            p[static_cast<int64_t>(k) * C + c] =
                (data.table.x[static_cast<std::size_t>(rows[k] * C + c)] - norm.mean[static_cast<std::size_t>(c)]) /
                norm.std[static_cast<std::size_t>(c)];
    return m;
}

}  // namespace

Tensor make_inputs(const TaskData& data, const Normalizer& norm, MissingStrategy missing,
                   const std::vector<int64_t>& samples) {
    if (static_cast<int64_t>(norm.mean.size()) != data.table.channels)
        throw std::invalid_argument("make_inputs: the normalizer has " + std::to_string(norm.mean.size()) +
                                    " features, the data " + std::to_string(data.table.channels));
    const int64_t T = data.win.window, C2 = channels_after(missing, data.table.channels);
    std::vector<Tensor> dev(data.rows.size());
    Tensor out = Tensor::empty({static_cast<int64_t>(samples.size()), T, C2});
    float* o = out.data();
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const SampleRef& s = data.samples[static_cast<std::size_t>(samples[i])];
        Tensor& m = dev[static_cast<std::size_t>(s.device)];
        if (!m.defined()) {
            // drop already removed incomplete rows; the others fill per device, causally for ffill
            const MissingStrategy fill = missing == MissingStrategy::kDrop ? MissingStrategy::kForwardFill : missing;
            m = apply_missing(device_matrix(data, norm, static_cast<std::size_t>(s.device)), fill);
        }
        std::copy(m.data() + s.start * C2, m.data() + (s.start + T) * C2, o + static_cast<int64_t>(i) * T * C2);
    }
    return out;
}

std::vector<float> sample_targets(const TaskData& data, const std::vector<int64_t>& samples) {
    std::vector<float> y;
    y.reserve(samples.size());
    const int64_t T = data.win.window;
    for (int64_t i : samples) {
        if (data.task == Task::kForecast) {
            y.push_back(data.table.target[static_cast<std::size_t>(data.row(i, T - 1 + data.win.horizon))]);
        } else if (data.task == Task::kAnomaly) {
            float any = 0.0f;
            for (int64_t k = 0; k < T; ++k) {
                const float v = data.table.target[static_cast<std::size_t>(data.row(i, k))];
                if (v == 1.0f) any = 1.0f;
            }
            y.push_back(any);
        } else {
            y.push_back(data.table.target[static_cast<std::size_t>(data.row(i, T - 1))]);
        }
    }
    return y;
}

std::vector<float> persistence_predictions(const TaskData& data, const std::vector<int64_t>& samples, float fallback) {
    std::vector<float> out;
    out.reserve(samples.size());
    std::vector<float> window(static_cast<std::size_t>(data.win.window));
    for (int64_t i : samples) {
        for (int64_t k = 0; k < data.win.window; ++k)
            window[static_cast<std::size_t>(k)] = data.table.target[static_cast<std::size_t>(data.row(i, k))];
        out.push_back(last_observed(window, 0, data.win.window, fallback));
    }
    return out;
}

std::vector<double> zscore_scores(const TaskData& data, const Normalizer& norm, const std::vector<int64_t>& samples) {
    std::vector<std::vector<double>> z(data.rows.size());
    std::vector<double> out;
    out.reserve(samples.size());
    const int64_t w = std::max<int64_t>(2, data.win.window);
    for (int64_t i : samples) {
        const SampleRef& s = data.samples[static_cast<std::size_t>(i)];
        auto& zd = z[static_cast<std::size_t>(s.device)];
        if (zd.empty()) zd = rolling_zscore(device_matrix(data, norm, static_cast<std::size_t>(s.device)), w);
        double best = 0.0;
        for (int64_t k = 0; k < data.win.window; ++k) best = std::max(best, zd[static_cast<std::size_t>(s.start + k)]);
        out.push_back(best);
    }
    return out;
}

}  // namespace iotgrad::iot
