// `iotgrad train`: CSV -> windows -> split -> normalise (training part only)
// -> train -> score beside the baseline -> save the bundle.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <set>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
#include <stdexcept>

#include "iot/baseline.hpp"
#include "iot/bundle.hpp"
#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/cli/pipeline.hpp"
#include "iot/report/table.hpp"
#include "iot/fit.hpp"

namespace iotgrad::iot::cli {
namespace {

const std::string kCmd = "iotgrad train";

Args make_args() {
    Args a(kCmd,
           "Trains a model on a CSV file (header row; empty cells are missing values) and saves it with\n"
           "everything needed to use it later. Windows of --window consecutive records of one device; the\n"
           "split keeps overlapping windows out of different parts; features are normalised with the\n"
           "training part's mean and standard deviation; the report puts the model beside a naive baseline.\n"
           "forecast: the model learns the change from the window's last observed target (persistence + a\n"
           "correction). anomaly: the autoencoder reconstructs windows; a window is flagged when its error\n"
           "exceeds mean + 3 sd of the training windows' errors.");
    a.required("csv", "FILE", "the data")
        .required("target", "COLUMN", "what to predict (class names or numbers; anomaly: 0/1 or 'normal'/other)")
        .required("task", "TASK", "classify, regress, forecast or anomaly")
        .option("time-column", "C", "time column: ISO 8601 or numbers (default 'time' when present, else row order)")
        .option("device-column", "C", "device id column; windows never cross devices (default 'device' when present)")
        .option("features", "a,b,c", "feature columns (default: every numeric column but time, device, lat, lon and the target; forecast keeps the target)")
        .option("ignore", "a,b", "columns to leave out of the default features (e.g. other label columns)")
        .option("window", "N", "records per window", "32")
        .option("stride", "S", "records between window starts (default window/2)")
        .option("horizon", "H", "forecast: predict the target H records after the window", "1")
        .option("model", "KIND", "mlp, cnn, lstm, gru, transformer, autoencoder (default cnn; anomaly: autoencoder)")
        .option("missing", "HOW", "missing values: drop, ffill, interpolate, mask", "ffill")
        .option("split", "HOW", "hold out whole devices or the latest times: auto (device when >= 3 devices), device, time",
                "auto")
        .option("epochs", "E", "passes over the training windows", "10")
        .option("batch", "B", "windows per step", "32")
        .option("lr", "LR", "Adam learning rate", "0.003")
        .option("seed", "S", "seeds the weights, the shuffle and the device split", "0")
        .option("validation", "F", "fraction held out for the report (0: report on the training part)", "0.2")
        .option("save", "MODEL", "where to save the model bundle", "model.iotgrad")
        .option("metrics-json", "FILE", "also write the report as JSON");
    return a;
}

/// True when `err` is the process's standard error and that is a terminal
/// (the progress bar then redraws one line instead of printing many).
bool stderr_is_terminal(const std::ostream& err) {
#if defined(__unix__) || defined(__APPLE__)
    return &err == &std::cerr && ::isatty(2) == 1;
#else
    (void)err;
    return false;
#endif
}

int64_t positive(const Args& a, const std::string& name) {
    const int64_t v = a.get_int(name);
    if (v < 1) throw UsageError(kCmd + ": --" + name + " must be >= 1, got " + std::to_string(v));
    return v;
}

/// The options that describe the bundle, checked before any data is read.
Bundle options_bundle(const Args& a) {
    Bundle b;
    b.task = parse_task(a.get_choice("task", {"classify", "regress", "forecast", "anomaly"}));
    b.missing = parse_missing_strategy(a.get_choice("missing", {"drop", "ffill", "interpolate", "mask"}));
    std::vector<std::string> kinds = model_kinds();
    b.spec.kind = a.has("model") ? a.get_choice("model", kinds) : b.task == Task::kAnomaly ? "autoencoder" : "cnn";
    if ((b.task == Task::kAnomaly) != is_autoencoder(b.spec.kind))
        throw UsageError(kCmd + ": --model " + b.spec.kind + " does not fit --task " + task_name(b.task) +
                         (b.task == Task::kAnomaly ? " (anomaly detection uses --model autoencoder)"
                                                   : " (the autoencoder is for --task anomaly)"));
    b.win.window = positive(a, "window");
    b.win.stride = a.has("stride") ? positive(a, "stride") : std::max<int64_t>(1, b.win.window / 2);
    b.win.horizon = positive(a, "horizon");
    b.spec.window = b.win.window;
    b.spec.seed = static_cast<uint64_t>(a.get_int("seed"));
    a.get_choice("split", {"auto", "device", "time"});
    try {  // a window the model cannot take is an option error: say so before reading the data
        make_model(ModelSpec{b.spec.kind, b.win.window, 1, 2, 0});
    } catch (const std::invalid_argument& e) {
        throw UsageError(kCmd + ": --window " + std::to_string(b.win.window) + ": " + e.what());
    }
    return b;
}

/// The column roles, from the options and the file's header.
void choose_columns(const Args& a, const CsvTable& table, Bundle& b) {
    b.columns.target = a.get("target");
    b.columns.time = a.has("time-column") ? a.get("time-column") : table.find("time") >= 0 ? "time" : "";
    b.columns.device = a.has("device-column") ? a.get("device-column") : table.find("device") >= 0 ? "device" : "";
    table.require(b.columns.target, "--target");
    if (a.has("features")) {
        b.columns.features = a.get_list("features");
    } else {
        ColumnSpec c = b.columns;
        if (b.task == Task::kForecast) c.target.clear();  // a forecast may read the target's own past
        b.columns.features = default_features(table, c, a.get_list("ignore"));
    }
    if (b.columns.features.empty())
        throw UsageError(kCmd + ": no numeric feature columns found; name them with --features");
    b.spec.channels = channels_after(b.missing, static_cast<int64_t>(b.columns.features.size()));
}

SplitIndices make_split(const Args& a, const TaskData& data, double validation, std::string& how) {
    how = a.get_choice("split", {"auto", "device", "time"});
    std::set<int> devices;
    for (const SampleRef& s : data.samples) devices.insert(s.device);
    if (how == "auto") how = devices.size() >= 3 ? "device" : "time";
    if (how == "device" && devices.size() < 2 && validation > 0)
        throw UsageError(kCmd + ": --split device needs at least 2 devices with windows, the file has " +
                         std::to_string(devices.size()));
    return how == "device" ? split_by_device(data.spans, validation, 0.0, static_cast<uint64_t>(a.get_int("seed")))
                           : split_by_time(data.spans, validation, 0.0);
}

/// Training targets as the model's loss wants them; fits the target statistics and the baseline.
Tensor training_targets(Bundle& b, const TaskData& data, const std::vector<int64_t>& train) {
    std::vector<float> y = sample_targets(data, train);
    const int64_t n = static_cast<int64_t>(y.size());
    if (b.task == Task::kClassify) {
        b.baseline_value = static_cast<double>(majority_class(std::vector<int64_t>(y.begin(), y.end())));
        return Tensor::from({n}, y);
    }
    if (b.task == Task::kAnomaly) return Tensor::zeros({n});
    b.baseline_value = training_mean(y);
    if (b.task == Task::kForecast) {  // learn the change from the last observed value (see run_model)
        const std::vector<float> last = persistence_predictions(data, train, static_cast<float>(b.baseline_value));
        for (std::size_t i = 0; i < y.size(); ++i) y[i] -= last[i];
    }
    const double mean = training_mean(y);
    double sq = 0.0;
    for (float v : y) sq += (v - mean) * (v - mean);
    const double sd = std::sqrt(sq / static_cast<double>(n));
    b.target_mean = static_cast<float>(mean);
    b.target_std = sd > 1e-12 ? static_cast<float>(sd) : 1.0f;
    for (float& v : y) v = (v - b.target_mean) / b.target_std;
    return Tensor::from({n, 1}, y);
}

}  // namespace

int cmd_train(const Argv& args, std::ostream& out, std::ostream& err) {
    Args a = make_args();
    if (!a.parse(args, out)) return 0;
    const double validation = a.get_double("validation");
    if (!(validation >= 0 && validation < 1)) throw UsageError(kCmd + ": --validation must be in [0, 1), got " + a.get("validation"));
    FitOptions fo;
    fo.epochs = positive(a, "epochs");
    fo.batch = positive(a, "batch");
    fo.lr = a.get_double("lr");
    if (!(fo.lr > 0)) throw UsageError(kCmd + ": --lr must be > 0");
    fo.seed = static_cast<uint64_t>(a.get_int("seed"));
    fo.progress = &err;
    fo.progress_tty = stderr_is_terminal(err);

    Bundle b = options_bundle(a);
    const CsvTable table = read_csv(a.get("csv"));
    choose_columns(a, table, b);
    SeriesTable series = load_series(table, b.columns, b.task, b.classes, /*learn_classes=*/true);
    const TaskData data = make_task_data(std::move(series), b.task, b.win, b.missing);
    if (data.samples.empty())
        throw std::runtime_error(a.get("csv") + ": no complete window of " + std::to_string(b.win.window) +
                                 " records (with a target) in any device; try a smaller --window");
    std::string how;
    SplitIndices split = make_split(a, data, validation, how);
    if (split.train.empty()) throw std::runtime_error("the training part is empty; lower --validation");
    const bool held_out = !split.validation.empty();
    err << "train: " << data.samples.size() << " windows of " << b.win.window << " records from " << data.table.rows()
        << " records; split by " << how << ": " << split.train.size() << " train, " << split.validation.size()
        << " validation";
    if (split.dropped) err << ", " << split.dropped << " dropped at the cut (no overlap across parts)";
    err << "\n";

    b.norm = fit_normalizer(data, split.train);
    const Tensor X = make_inputs(data, b.norm, b.missing, split.train);
    const Tensor Y = training_targets(b, data, split.train);
    b.spec.outputs = b.task == Task::kClassify ? static_cast<int64_t>(b.classes.size()) : 1;
    std::unique_ptr<nn::Module> model;
    try {
        model = make_model(b.spec);
    } catch (const std::invalid_argument& e) {
        throw UsageError(kCmd + ": " + e.what());
    }
    err << "train: " << b.spec.kind << " with " << model->num_parameters() << " parameters, " << fo.epochs
        << " epochs\n";
    fit(*model, b.task, X, Y, fo);
    if (b.task == Task::kAnomaly) b.anomaly_threshold = error_threshold(reconstruction_errors(*model, X));
    b.weights = nn::state_dict(*model);
    save_bundle(a.get("save"), b);

    const std::vector<int64_t>& part = held_out ? split.validation : split.train;
    const Report r = score(b, run_model(b, *model, data, part), data, part, held_out ? "validation" : "training");
    out << report_text(r) << "saved " << a.get("save") << "\n";
    if (a.has("metrics-json")) report::write_text_file(a.get("metrics-json"), report_json(r));
    return 0;
}

}  // namespace iotgrad::iot::cli
