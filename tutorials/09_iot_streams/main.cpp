// Tutorial 09: IoT streams. A wearable and a smart city, from the simulated
// sensor stream to a model that runs on it live.
//
//   Part 1: the wearable stream (UCI HAR's analogue): records at 50 Hz,
//           cut into 128-sample windows with 50% overlap.
//   Part 2: held-out subjects: train on 21 people, test on 9 others, inputs
//           standardised with the training statistics only.
//   Part 3: a 1-d CNN and an LSTM next to the majority baseline: accuracy,
//           macro F1, parameters, size, training time, the full report.
//   Part 4: the smart-city grid: an autoencoder learns what normal one-hour
//           windows look like.
//   Part 5: streaming inference: record by record over a live stream, with
//           per-record latency, throughput and anomalies flagged on arrival.
//
// Build and run:  make tutorials   (or: build/tutorial_09_iot_streams)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/autograd.hpp"
#include "iot/baseline.hpp"
#include "iot/data.hpp"
#include "iot/metrics.hpp"
#include "iot/models.hpp"
#include "iot/sim_city.hpp"
#include "iot/sim_har.hpp"
#include "iot/window.hpp"
#include "layers/layers.hpp"
#include "optim/adam.hpp"
#include "optim/clip.hpp"
#include "optim/schedule.hpp"

using namespace iotgrad;
using Clock = std::chrono::steady_clock;

namespace {

void section(const std::string& title) { std::cout << "\n=== " << title << " ===\n"; }

std::string shape_str(const Tensor& t) {
    std::ostringstream os;
    os << "[";
    for (int64_t d = 0; d < t.dim(); ++d) os << (d ? ", " : "") << t.size(d);
    return os.str() + "]";
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// ---------------------------------------------------------------------------
// Part 1: the wearable stream
// ---------------------------------------------------------------------------

void wearable_stream() {
    section("Part 1: a simulated wearable, record by record and window by window");
    const iot::HarSimulator sim;  // the defaults: 30 subjects, 50 Hz, 128-sample windows, step 64
    iot::HarSubjectStream s = sim.subject(0);
    const iot::HarSubject& me = s.traits();
    std::cout << "  subject 0: cadence " << me.cadence_hz << " steps/s, gain " << me.gain << ", noise "
              << me.acc_noise << " g / " << me.gyro_noise << " rad/s\n"
              << "  channels: body_acc x y z | body_gyro x y z | total_acc x y z\n";
    for (int i = 0; i < 3; ++i) {
        const iot::Record r = s.next_record();
        std::cout << "  t = " << std::setw(5) << r.timestamp_s << " s  " << std::setw(8)
                  << iot::har_activity_name(r.label) << "  [";
        for (size_t c = 0; c < r.values.size(); ++c) std::cout << (c ? " " : "") << std::setw(6) << r.values[c];
        std::cout << "]\n";
    }
    iot::HarSubjectStream fresh = sim.subject(0);
    std::cout << "  windows of subject 0 (t0 = first sample's time):\n";
    for (int i = 0; i < 6; ++i) {
        const iot::Window w = fresh.next_window();
        std::cout << "    window " << i << ": t0 = " << std::setw(6) << w.t0 << " s, x " << shape_str(w.x) << ", "
                  << iot::har_activity_name(w.label) << "\n";
    }
}

// ---------------------------------------------------------------------------
// Part 2: held-out subjects (the protocol documented in iot/sim_har.hpp)
// ---------------------------------------------------------------------------

struct Split {
    Tensor x, y;  // x [N, 128, 9], y [N] class labels
};

// The first `per_subject` windows of each subject in [first, last].
Split windows(const iot::HarSimulator& sim, int first, int last, int per_subject) {
    const int64_t n = static_cast<int64_t>(last - first + 1) * per_subject;
    Split s{Tensor::empty({n, 128, iot::kHarChannels}), Tensor::empty({n})};
    int64_t i = 0;
    for (int subject = first; subject <= last; ++subject) {
        iot::HarSubjectStream stream = sim.subject(subject);
        for (int k = 0; k < per_subject; ++k, ++i) {
            const iot::Window w = stream.next_window();
            std::copy(w.x.data(), w.x.data() + w.x.numel(), s.x.data() + i * w.x.numel());
            s.y.data()[i] = static_cast<float>(w.label);
        }
    }
    return s;
}

// x <- (x - mean_c) / std_c for every channel c, in place.
void standardize(Tensor& x, const iot::RunningStats& stats) {
    const int64_t C = x.size(2), rows = x.numel() / C;
    float* p = x.data();
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) {
            const int ci = static_cast<int>(c);
            p[r * C + c] = static_cast<float>((p[r * C + c] - stats.mean(ci)) / std::sqrt(stats.variance(ci)));
        }
}

// ---------------------------------------------------------------------------
// Part 3: CNN and LSTM next to the majority baseline
// ---------------------------------------------------------------------------

struct Result {
    std::string name;
    int64_t params = 0, macs = 0;
    double train_s = 0, accuracy = 0, macro_f1 = 0;
    std::vector<int64_t> predicted;
};

// Adam (lr 5e-3), batch 32, gradient-norm clipping at 1, cosine annealing over `epochs`.
Result train_and_test(const std::string& kind, const Split& train, const Split& test, int epochs) {
    const iot::ModelSpec spec{kind, 128, iot::kHarChannels, iot::kHarClasses, /*seed=*/0};
    std::unique_ptr<nn::Module> model = iot::make_model(spec);
    optim::Adam opt(model->parameters(), 5e-3);
    optim::CosineAnnealingLR schedule(opt, epochs);
    const iot::TensorDataset data(train.x, train.y);
    iot::DataLoader loader(data, /*batch_size=*/32, /*shuffle_seed=*/0);
    const auto t0 = Clock::now();
    for (int epoch = 0; epoch < epochs; ++epoch) {
        double total = 0;
        for (const iot::Batch& b : loader) {
            Variable loss = cross_entropy((*model)(Variable(b.x)), b.y);
            opt.zero_grad();
            loss.backward();
            optim::clip_grad_norm(model->parameters(), 1.0);
            opt.step();
            total += loss.item() * static_cast<double>(b.x.size(0));
        }
        schedule.step();
        if (epoch == 0 || (epoch + 1) % 4 == 0)
            std::cout << "  " << kind << " epoch " << std::setw(2) << epoch + 1 << "/" << epochs << "  mean loss "
                      << total / static_cast<double>(train.x.size(0)) << "\n";
    }
    Result r;
    r.name = kind;
    r.train_s = seconds_since(t0);
    r.params = model->num_parameters();
    r.macs = iot::macs_per_sample(spec);
    NoGradGuard no_grad;
    r.predicted = iot::predictions((*model)(Variable(test.x)).value());
    return r;
}

void score(Result& r, const std::vector<int64_t>& truth) {
    const iot::ConfusionMatrix cm(truth, r.predicted, iot::kHarClasses);
    r.accuracy = iot::accuracy(truth, r.predicted);
    r.macro_f1 = iot::macro_average(cm).f1;
}

void har_models() {
    section("Part 2: held-out subjects");
    const iot::HarSimulator sim;
    Split train = windows(sim, 0, 20, 30), test = windows(sim, 21, 29, 100);
    iot::RunningStats stats(iot::kHarChannels);  // training windows only: the test set stays unseen
    for (int64_t r = 0; r < train.x.numel() / iot::kHarChannels; ++r)
        stats.update(std::vector<float>(train.x.data() + r * iot::kHarChannels,
                                        train.x.data() + (r + 1) * iot::kHarChannels));
    standardize(train.x, stats);
    standardize(test.x, stats);
    std::cout << "  train: subjects 0-20, " << train.x.size(0) << " windows " << shape_str(train.x)
              << "\n  test:  subjects 21-29, " << test.x.size(0) << " windows\n  channel means (train):";
    for (int c = 0; c < iot::kHarChannels; ++c) std::cout << " " << std::setprecision(2) << stats.mean(c);
    std::cout << std::setprecision(4) << "\n";

    section("Part 3: a 1-d CNN and an LSTM against the majority class");
    const std::vector<int64_t> truth = iot::labels(test.y), train_labels = iot::labels(train.y);
    Result baseline;
    baseline.name = "majority (" + iot::har_activity_name(static_cast<int>(iot::majority_class(train_labels))) + ")";
    baseline.predicted.assign(truth.size(), iot::majority_class(train_labels));
    score(baseline, truth);
    std::vector<Result> results{baseline};
    for (const char* kind : {"cnn", "lstm"}) {
        results.push_back(train_and_test(kind, train, test, /*epochs=*/12));
        score(results.back(), truth);
    }

    std::cout << "\n  " << std::left << std::setw(22) << "model" << std::right << std::setw(10) << "accuracy"
              << std::setw(10) << "macro F1" << std::setw(9) << "params" << std::setw(10) << "size KiB"
              << std::setw(11) << "MACs/win" << std::setw(10) << "train s\n";
    for (const Result& r : results)
        std::cout << "  " << std::left << std::setw(22) << r.name << std::right << std::fixed << std::setprecision(3)
                  << std::setw(10) << r.accuracy << std::setw(10) << r.macro_f1 << std::setw(9) << r.params
                  << std::setw(10) << std::setprecision(1) << static_cast<double>(r.params) * 4 / 1024
                  << std::setw(11) << r.macs << std::setw(9) << r.train_s << "\n";
    std::cout << std::setprecision(4);

    std::vector<std::string> names;
    for (int c = 0; c < iot::kHarClasses; ++c) names.push_back(iot::har_activity_name(c));
    for (size_t m = 1; m < results.size(); ++m) {
        const iot::ConfusionMatrix cm(truth, results[m].predicted, iot::kHarClasses);
        std::cout << "\n  " << results[m].name << " on held-out subjects:\n"
                  << iot::classification_report(cm, names, 3) << "  confusion (rows = true, columns = predicted, "
                  << "order walking upstairs downstairs sitting standing lying):\n" << cm.str();
    }
}

// ---------------------------------------------------------------------------
// Part 4: an autoencoder learns normal city windows
// ---------------------------------------------------------------------------

constexpr int kCityWindow = 12;  // one hour of 5-minute readings

// Mean squared reconstruction error of one normalised window [12, 4].
double reconstruction_error(nn::Module& ae, const Tensor& x) {
    const Tensor flat = x.reshape({1, x.numel()});
    const Tensor out = ae(Variable(flat)).value();
    double e = 0;
    for (int64_t i = 0; i < flat.numel(); ++i) {
        const double d = out.data()[i] - flat.data()[i];
        e += d * d;
    }
    return e / static_cast<double>(flat.numel());
}

bool has_nan(const Tensor& x) {
    for (int64_t i = 0; i < x.numel(); ++i)
        if (std::isnan(x.data()[i])) return true;
    return false;
}

// Trains on the first week of the stream, then streams two more days.
void city_stream() {
    section("Part 4: an autoencoder learns what a normal hour looks like");
    iot::CitySimulator city;  // 4 x 4 sites, 5-minute readings, 5% lost, ~4% anomalous
    const int sites = city.sites();
    const int train_steps = 7 * 24 * 12;  // one week

    // One pass over the week: running mean and variance per channel (Welford)
    // and every third one-hour window of each site. Only the windows are kept
    // (raw, normalised below once the statistics are final), never the records.
    iot::RunningStats stats(iot::kCityChannels);
    iot::Windower train_windows({kCityWindow, /*step=*/3, iot::WindowLabel::kMax, /*forward_fill=*/true});
    std::vector<float> normal;  // rows of 12 x 4 values
    int anomalous = 0;
    for (int i = 0; i < train_steps * sites; ++i) {
        const iot::Record r = city.next();
        stats.update(r.values);
        std::optional<iot::Window> w = train_windows.push(r);
        if (!w || has_nan(w->x)) continue;  // no full window yet, or the site has not reported yet
        if (w->label != iot::kNormal) {
            ++anomalous;
            continue;  // learn "normal" only
        }
        normal.insert(normal.end(), w->x.data(), w->x.data() + w->x.numel());
    }
    const int64_t D = kCityWindow * iot::kCityChannels, N = static_cast<int64_t>(normal.size()) / D;
    Tensor X = Tensor::empty({N, D});
    std::copy(normal.begin(), normal.end(), X.data());
    Tensor rows = X.view({N * kCityWindow, iot::kCityChannels});
    stats.normalize_(rows);  // a view: normalises X in place
    std::cout << "  one week: " << train_steps * sites << " records, " << N << " normal windows [12, 4] kept, "
              << anomalous << " windows with an anomaly left out\n";

    const iot::ModelSpec spec{"autoencoder", kCityWindow, iot::kCityChannels, 0, /*seed=*/0};
    std::unique_ptr<nn::Module> ae = iot::make_model(spec);
    optim::Adam opt(ae->parameters(), 1e-3);
    const iot::TensorDataset data(X, X);  // the target is the input itself
    iot::DataLoader loader(data, 64, /*shuffle_seed=*/0);
    const auto t0 = Clock::now();
    const int epochs = 15;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        double total = 0;
        for (const iot::Batch& b : loader) {
            Variable loss = nn::mse_loss((*ae)(Variable(b.x)), b.y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            total += loss.item() * static_cast<double>(b.x.size(0));
        }
        if (epoch == 0 || (epoch + 1) % 5 == 0)
            std::cout << "  epoch " << std::setw(2) << epoch + 1 << "/" << epochs << "  reconstruction MSE "
                      << total / static_cast<double>(X.size(0)) << "\n";
    }
    std::cout << "  autoencoder: " << ae->num_parameters() << " parameters ("
              << std::setprecision(1) << ae->num_parameters() * 4 / 1024.0 << " KiB), trained in "
              << seconds_since(t0) << " s\n" << std::setprecision(4);

    // The alarm threshold: the 99th percentile of the error on normal training
    // windows, i.e. about 1 false alarm per 100 normal windows.
    std::vector<double> errors;
    {
        NoGradGuard no_grad;
        const Tensor out = (*ae)(Variable(X)).value();
        for (int64_t i = 0; i < X.size(0); ++i) {
            double e = 0;
            for (int64_t j = 0; j < D; ++j) {
                const double d = out.data()[i * D + j] - X.data()[i * D + j];
                e += d * d;
            }
            errors.push_back(e / static_cast<double>(D));
        }
    }
    std::sort(errors.begin(), errors.end());
    const double threshold = errors[static_cast<size_t>(0.99 * static_cast<double>(errors.size() - 1))];
    std::cout << "  threshold (99th percentile of normal errors): " << threshold << "\n";

    // -----------------------------------------------------------------------
    // Part 5: streaming inference
    // -----------------------------------------------------------------------
    section("Part 5: streaming inference, record by record");
    const char* kinds[] = {"normal", "spike", "level shift", "drift", "stuck"};
    iot::Windower live({kCityWindow, /*step=*/1, iot::WindowLabel::kMax, /*forward_fill=*/true});
    const int live_steps = 2 * 24 * 12;  // two more days
    std::vector<double> latency_us, scores, z_scores;
    std::vector<int> truth;
    std::vector<int> last_alarm(static_cast<size_t>(sites), -1000);  // record index of each site's last alarm
    int printed = 0;
    NoGradGuard no_grad;
    const auto start = Clock::now();
    for (int i = 0; i < live_steps * sites; ++i) {
        const iot::Record r = city.next();  // a record arrives
        const auto t_in = Clock::now();
        std::optional<iot::Window> w = live.push(r);
        if (!w || has_nan(w->x)) continue;  // no full window for this site yet
        const double z = [&] {              // baseline: rolling z-score inside the window
            const std::vector<double> zs = iot::rolling_zscore(w->x, kCityWindow);
            return *std::max_element(zs.begin(), zs.end());
        }();
        stats.normalize_(w->x);
        const double e = reconstruction_error(*ae, w->x);
        const bool alarm = e > threshold;
        latency_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t_in).count());
        scores.push_back(e);
        z_scores.push_back(z);
        truth.push_back(w->label != iot::kNormal ? 1 : 0);
        int& last = last_alarm[static_cast<size_t>(r.device)];
        // Report an alarm when the site has been quiet for an hour (a new event).
        if (alarm && i - last > kCityWindow * sites && printed < 8) {
            ++printed;
            std::cout << "  ALARM  day " << std::setprecision(2) << r.timestamp_s / 86400 << std::setprecision(4)
                      << "  site " << std::setw(2) << r.device << "  error " << std::setw(7) << e
                      << "  truth: " << kinds[w->label] << "\n";
        }
        if (alarm) last = i;
    }
    const double total_s = seconds_since(start);
    std::vector<double> sorted = latency_us;
    std::sort(sorted.begin(), sorted.end());
    std::cout << "  " << live_steps * sites << " records in " << std::setprecision(3) << total_s << " s: "
              << std::setprecision(0) << live_steps * sites / total_s << " records/s (simulation included); "
              << "per-record latency median " << std::setprecision(1) << sorted[sorted.size() / 2] << " us, p99 "
              << sorted[static_cast<size_t>(0.99 * static_cast<double>(sorted.size() - 1))] << " us\n"
              << std::setprecision(4);

    // Precision, recall, F1 of the anomaly class at each detector's threshold.
    auto report = [&](const std::string& name, const std::vector<double>& s, double thr) {
        std::vector<int64_t> y(truth.begin(), truth.end()), p;
        for (double v : s) p.push_back(v > thr ? 1 : 0);
        const iot::PRF a = iot::per_class_scores(iot::ConfusionMatrix(y, p, 2))[1];
        std::cout << "  " << std::left << std::setw(28) << name << std::right << std::setprecision(3)
                  << std::setw(10) << a.precision << std::setw(8) << a.recall << std::setw(8) << a.f1
                  << std::setw(9) << iot::roc_auc(s, truth) << "\n";
    };
    const int positives = static_cast<int>(std::count(truth.begin(), truth.end(), 1));
    std::cout << "  " << truth.size() << " windows scored, " << positives
              << " contain an anomaly\n  " << std::left << std::setw(28) << "detector" << std::right
              << std::setw(10) << "precision" << std::setw(8) << "recall" << std::setw(8) << "F1" << std::setw(9)
              << "ROC-AUC\n";
    report("autoencoder (error > thr)", scores, threshold);
    report("rolling z-score (z > 3)", z_scores, iot::kZScoreThreshold);
}

}  // namespace

int main() {
    std::cout << std::fixed << std::setprecision(4);
    const auto t0 = Clock::now();
    wearable_stream();
    har_models();
    city_stream();
    std::cout << "\n  whole program: " << std::setprecision(1) << seconds_since(t0) << " s\n";
    return 0;
}
