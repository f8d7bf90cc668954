#include "iot/task_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "iot/metrics.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot {

Metrics classify_metrics(const std::vector<int64_t>& truth, const std::vector<int64_t>& pred, int64_t classes) {
    const ConfusionMatrix cm(truth, pred, classes);
    const PRF macro = macro_average(cm);
    return {{"accuracy", accuracy(truth, pred)}, {"macro_f1", macro.f1}, {"precision", macro.precision},
            {"recall", macro.recall}};
}

Metrics regression_metrics(const std::vector<float>& truth, const std::vector<float>& pred) {
    if (truth.size() != pred.size() || truth.empty())
        throw std::invalid_argument("regression_metrics: need equal, non-zero sizes, got " + std::to_string(truth.size()) +
                                    " and " + std::to_string(pred.size()));
    double se = 0.0, ae = 0.0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const double d = double(pred[i]) - truth[i];
        se += d * d;
        ae += std::abs(d);
    }
    const double n = static_cast<double>(truth.size());
    return {{"rmse", std::sqrt(se / n)}, {"mae", ae / n}};
}

Metrics anomaly_metrics(const std::vector<int>& labels, const std::vector<double>& scores, double threshold) {
    if (labels.size() != scores.size() || labels.empty())
        throw std::invalid_argument("anomaly_metrics: need equal, non-zero sizes");
    std::vector<int64_t> truth, pred;
    bool has[2] = {false, false};
    for (std::size_t i = 0; i < labels.size(); ++i) {
        truth.push_back(labels[i] != 0);
        pred.push_back(scores[i] > threshold);
        has[labels[i] != 0] = true;
    }
    const PRF anomalous = per_class_scores(ConfusionMatrix(truth, pred, 2))[1];
    const double auc = has[0] && has[1] ? roc_auc(scores, labels) : std::nan("");
    return {{"precision", anomalous.precision}, {"recall", anomalous.recall}, {"f1", anomalous.f1}, {"roc_auc", auc}};
}

namespace {

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string json_metrics(const std::string& name, const Metrics& m) {
    std::string s = "{\"name\": " + report::json_quote(name);
    for (const auto& [k, v] : m) s += ", " + report::json_quote(k) + ": " + json_number(v);
    return s + "}";
}

}  // namespace

std::string report_json(const Report& r) {
    return "{\"task\": " + report::json_quote(r.task) + ", \"records\": " + std::to_string(r.records) +
           ", \"samples\": " + std::to_string(r.samples) + ", \"part\": " + report::json_quote(r.part) +
           ", \"model\": " + json_metrics(r.model_name, r.model) +
           ", \"baseline\": " + json_metrics(r.baseline_name, r.baseline) + "}\n";
}

std::string report_text(const Report& r) {
    std::ostringstream os;
    os << r.task << " on " << r.samples << " windows (" << r.part << ", from " << r.records << " records)\n";
    char buf[128];
    std::snprintf(buf, sizeof buf, "  %-10s %14s %16s\n", "metric", r.model_name.c_str(), r.baseline_name.c_str());
    os << buf;
    for (std::size_t i = 0; i < r.model.size(); ++i) {
        const double b = i < r.baseline.size() ? r.baseline[i].second : std::nan("");
        std::snprintf(buf, sizeof buf, "  %-10s %14.4f %16.4f\n", r.model[i].first.c_str(), r.model[i].second, b);
        os << buf;
    }
    return os.str();
}

}  // namespace iotgrad::iot
