#include <cmath>
#include <limits>
#include <vector>

#include "catch_compat.hpp"
#include "iot/baseline.hpp"
#include "iot/report/table.hpp"
#include "iot/task_report.hpp"

using namespace iotgrad;
using namespace iotgrad::iot;

TEST_CASE("baseline: majority class, training mean, persistence", "[iot][baseline]") {
    CHECK(majority_class({2, 1, 2, 0, 1}) == 1);  // tie between 1 and 2: the smaller
    CHECK(majority_class({3, 3, 0}) == 3);
    CHECK_THROWS(majority_class({}));
    const float NaN = std::numeric_limits<float>::quiet_NaN();
    CHECK(training_mean({1, NaN, 5}) == 3.0);
    CHECK_THROWS_WITH(training_mean({NaN}), IOTGRAD_HAS("all missing"));
    CHECK(last_observed({1, 2, NaN}, 0, 3, -1) == 2.0f);
    CHECK(last_observed({NaN, NaN}, 0, 2, -1) == -1.0f);
}

TEST_CASE("baseline: rolling z-score by hand", "[iot][baseline]") {
    // One channel: 0, 2, 0, 2, 10. Row 4 against rows 1..3 (w = 3): mean 4/3,
    // population sd sqrt(((2/3)^2 * 2 + (4/3)^2) / 3) = sqrt(8/9).
    const Tensor x = Tensor::from({5, 1}, {0, 2, 0, 2, 10});
    const std::vector<double> z = rolling_zscore(x, 3);
    REQUIRE(z.size() == 5u);
    CHECK(z[0] == 0.0);
    CHECK(z[1] == 0.0);                       // one earlier value: no score
    CHECK(z[2] == Approx(1.0));               // mean 1, sd 1
    CHECK(z[4] == Approx((10.0 - 4.0 / 3.0) / std::sqrt(8.0 / 9.0)));
    // The largest channel wins; a constant channel does not count.
    const Tensor two = Tensor::from({3, 2}, {5, 0, 5, 2, 5, 4});
    CHECK(rolling_zscore(two, 2)[2] == Approx(3.0));  // channel 1: mean 1, sd 1, value 4
}

TEST_CASE("report: metrics by hand and the JSON keys", "[iot][baseline]") {
    const Metrics c = classify_metrics({0, 0, 1, 1}, {0, 1, 1, 1}, 2);
    CHECK(c[0].first == "accuracy");
    CHECK(c[0].second == Approx(0.75));
    CHECK(c[2].second == Approx((1.0 + 2.0 / 3.0) / 2));  // macro precision
    const Metrics r = regression_metrics({0, 0}, {3, -1});
    CHECK(r[0].second == Approx(std::sqrt(5.0)));
    CHECK(r[1].second == Approx(2.0));
    const Metrics a = anomaly_metrics({0, 0, 1, 1}, {0.1, 0.9, 0.8, 0.2}, 0.5);
    CHECK(a[0].second == Approx(0.5));   // precision: 1 of 2 flagged
    CHECK(a[1].second == Approx(0.5));   // recall
    CHECK(a[3].second == Approx(0.5));   // roc_auc
    CHECK(std::isnan(anomaly_metrics({0, 0}, {0.1, 0.2}, 0.5)[3].second));
    Report rep;
    rep.task = "anomaly";
    rep.records = 10;
    rep.model_name = "autoencoder";
    rep.baseline_name = "rolling_zscore";
    rep.model = a;
    rep.baseline = anomaly_metrics({0, 0}, {0.1, 0.2}, 0.5);
    const std::string j = report_json(rep);
    CHECK_THAT(j, IOTGRAD_HAS("{\"task\": \"anomaly\", \"records\": 10,"));
    CHECK_THAT(j, IOTGRAD_HAS("\"model\": {\"name\": \"autoencoder\", \"precision\": 0.5, \"recall\": 0.5, \"f1\": 0.5, \"roc_auc\": 0.5}"));
    CHECK_THAT(j, IOTGRAD_HAS("\"roc_auc\": null}"));
    CHECK(iot::report::json_quote("a\"b\\\n") == "\"a\\\"b\\\\\\n\"");
}
