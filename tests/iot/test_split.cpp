#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "catch_compat.hpp"
#include "iot/split.hpp"
#include "iot/tasks.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

namespace {
/// Sliding windows (length w, stride s) over n records of each device, times = record index.
std::vector<SampleSpan> windows(int devices, int n, int w, int s) {
    std::vector<SampleSpan> v;
    for (int d = 0; d < devices; ++d)
        for (int p = 0; p + w <= n; p += s) v.push_back({d, double(p), double(p + w - 1)});
    return v;
}
}  // namespace

TEST_CASE("split by time: no record is in two parts, crossing windows are dropped", "[iot][split]") {
    const auto spans = windows(2, 100, 10, 5);  // 19 windows per device
    const SplitIndices s = split_by_time(spans, 0.2, 0.2);
    REQUIRE(!s.train.empty());
    REQUIRE(!s.validation.empty());
    REQUIRE(!s.test.empty());
    CHECK(s.train.size() + s.validation.size() + s.test.size() + s.dropped == spans.size());
    CHECK(s.dropped > 0);
    const auto max_last = [&](const std::vector<int64_t>& ids) {
        double m = -1;
        for (int64_t i : ids) m = std::max(m, spans[i].t_last);
        return m;
    };
    const auto min_first = [&](const std::vector<int64_t>& ids) {
        double m = 1e9;
        for (int64_t i : ids) m = std::min(m, spans[i].t_first);
        return m;
    };
    CHECK(max_last(s.train) < min_first(s.validation));  // the records of the parts never overlap
    CHECK(max_last(s.validation) < min_first(s.test));
    // The cut lies where 60% of the windows have started (start 55): train ends before it.
    CHECK(max_last(s.train) == 54.0);
    CHECK(min_first(s.validation) == 55.0);
    // All fractions zero: everything is training.
    const SplitIndices all = split_by_time(spans, 0.0, 0.0);
    CHECK(all.train.size() == spans.size());
    CHECK_THROWS_WITH(split_by_time(spans, 0.6, 0.5), IOTGRAD_HAS("validation + test < 1"));
}

TEST_CASE("split by device: whole devices per part, seeded", "[iot][split]") {
    const auto spans = windows(10, 30, 10, 5);
    const SplitIndices a = split_by_device(spans, 0.2, 0.1, 7);
    const auto devs = [&](const std::vector<int64_t>& ids) {
        std::set<int> d;
        for (int64_t i : ids) d.insert(spans[i].device);
        return d;
    };
    CHECK(devs(a.train).size() == 7u);
    CHECK(devs(a.validation).size() == 2u);
    CHECK(devs(a.test).size() == 1u);
    for (int d : devs(a.validation)) CHECK(devs(a.train).count(d) == 0);
    for (int d : devs(a.test)) CHECK(devs(a.train).count(d) == 0);
    CHECK(a.train.size() + a.validation.size() + a.test.size() == spans.size());
    const SplitIndices b = split_by_device(spans, 0.2, 0.1, 7);
    CHECK(a.validation == b.validation);
    // Two devices, validation 0.9: training still keeps one.
    const SplitIndices two = split_by_device(windows(2, 30, 10, 5), 0.9, 0.0, 0);
    CHECK(!two.train.empty());
    CHECK(!two.validation.empty());
}

TEST_CASE("task windows never straddle two devices and reach the forecast target", "[iot][split]") {
    SeriesTable t;
    t.channels = 1;
    t.device_names = {"a", "b"};
    for (int i = 0; i < 12; ++i) {  // interleaved devices: a, b, a, b, ...
        t.time.push_back(i / 2);
        t.device.push_back(i % 2);
        t.x.push_back(float(i));
        t.target.push_back(float(i));
        t.lines.push_back(i + 2);
    }
    const TaskData d = make_task_data(t, Task::kForecast, TaskWindow{3, 1, 2}, MissingStrategy::kForwardFill);
    // 6 records per device, window 3 + horizon 2 -> starts 0 and 1 per device.
    REQUIRE(d.samples.size() == 4u);
    for (std::size_t i = 0; i < d.samples.size(); ++i)
        for (int k = 0; k < 5; ++k) CHECK(t.device[d.row(i, k)] == d.samples[i].device);
    // forecast target of device a's first window (rows 0, 2, 4) is row 8 (2 records after row 4)
    CHECK(sample_targets(d, {0}) == std::vector<float>{8.0f});
    CHECK(d.spans[0].t_last == 4.0);
    CHECK(persistence_predictions(d, {0}, -1.0f) == std::vector<float>{4.0f});
    const Normalizer n = fit_normalizer(d, {0});  // rows 0, 2, 4: values 0, 2, 4
    CHECK(n.mean[0] == Approx(2.0));
    CHECK(n.std[0] == Approx(std::sqrt(8.0 / 3.0)));
    const Tensor X = make_inputs(d, n, MissingStrategy::kForwardFill, {2});  // device b, start 0
    CHECK(X.shape() == Shape{1, 3, 1});
    CHECK(X.at({0, 0, 0}) == Approx((1.0 - 2.0) / std::sqrt(8.0 / 3.0)));  // device b's first record is 1
}

TEST_CASE("task targets: classify and regress take the last record, anomaly any record", "[iot][split]") {
    SeriesTable t;
    t.channels = 1;
    t.device_names = {"a"};
    const std::vector<float> labels = {0, 1, 0, 0, 2, 0};
    for (int i = 0; i < 6; ++i) {
        t.time.push_back(i);
        t.device.push_back(0);
        t.x.push_back(float(i));
        t.target.push_back(labels[static_cast<std::size_t>(i)]);
        t.lines.push_back(i + 2);
    }
    const TaskData c = make_task_data(t, Task::kClassify, TaskWindow{3, 1, 1}, MissingStrategy::kForwardFill);
    CHECK(sample_targets(c, all_samples(c)) == std::vector<float>{0, 0, 2, 0});  // rows 2, 3, 4, 5
    t.target = {0, 1, 0, 0, 0, 0};
    const TaskData a = make_task_data(t, Task::kAnomaly, TaskWindow{3, 2, 1}, MissingStrategy::kForwardFill);
    CHECK(sample_targets(a, all_samples(a)) == std::vector<float>{1, 0});  // windows rows 0-2 and 2-4
    t.target[3] = std::nanf("");  // a regression window whose last record has no target is skipped
    const TaskData r = make_task_data(t, Task::kRegress, TaskWindow{3, 1, 1}, MissingStrategy::kForwardFill);
    CHECK(r.samples.size() == 3u);
    CHECK(r.skipped_no_target == 1);
    t.x[4] = std::nanf("");  // drop removes row 4, so device a has 5 rows left
    const TaskData d = make_task_data(t, Task::kAnomaly, TaskWindow{3, 1, 1}, MissingStrategy::kDrop);
    CHECK(d.rows[0] == std::vector<int64_t>{0, 1, 2, 3, 5});
    CHECK(d.samples.size() == 3u);
    CHECK_THROWS_WITH(make_task_data(t, Task::kForecast, TaskWindow{3, 1, 0}, MissingStrategy::kDrop),
                      IOTGRAD_HAS("horizon must be >= 1"));
}
