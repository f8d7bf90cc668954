#include "iot/cli/pipeline.hpp"

#include <cmath>
#include <stdexcept>

#include "iot/baseline.hpp"
#include "iot/fit.hpp"

namespace iotgrad::iot::cli {

Predictions run_model(const Bundle& b, nn::Module& model, const TaskData& data, const std::vector<int64_t>& samples) {
    Predictions p;
    if (samples.empty()) return p;
    const Tensor X = make_inputs(data, b.norm, b.missing, samples);
    if (b.task == Task::kAnomaly) {
        p.score = reconstruction_errors(model, X);
        return p;
    }
    const Tensor out = predict_batched(model, X);
    std::vector<float> last;  // a forecast model predicts the change from the last observed value
    if (b.task == Task::kForecast) last = persistence_predictions(data, samples, static_cast<float>(b.baseline_value));
    const int64_t N = out.size(0), K = out.size(1);
    for (int64_t i = 0; i < N; ++i) {
        const float* row = out.data() + i * K;
        if (b.task == Task::kClassify) {
            int64_t best = 0;
            for (int64_t k = 1; k < K; ++k)
                if (row[k] > row[best]) best = k;
            double z = 0.0;  // softmax probability of the winner, stably
            for (int64_t k = 0; k < K; ++k) z += std::exp(double(row[k]) - row[best]);
            p.cls.push_back(best);
            p.confidence.push_back(static_cast<float>(1.0 / z));
        } else {
            const float base = b.task == Task::kForecast ? last[static_cast<std::size_t>(i)] : 0.0f;
            p.value.push_back(row[0] * b.target_std + b.target_mean + base);
        }
    }
    return p;
}

Report score(const Bundle& b, const Predictions& pred, const TaskData& data, const std::vector<int64_t>& samples,
             const std::string& part) {
    if (samples.empty()) throw std::runtime_error("no windows with a target to score");
    Report r;
    r.task = task_name(b.task);
    r.records = data.table.rows();
    r.samples = static_cast<int64_t>(samples.size());
    r.part = part;
    r.model_name = b.spec.kind;
    const std::vector<float> y = sample_targets(data, samples);
    switch (b.task) {
        case Task::kClassify: {
            std::vector<int64_t> truth(y.begin(), y.end());
            const std::vector<int64_t> base(y.size(), static_cast<int64_t>(b.baseline_value));
            const int64_t K = static_cast<int64_t>(b.classes.size());
            r.model = classify_metrics(truth, pred.cls, K);
            r.baseline_name = "majority_class";
            r.baseline = classify_metrics(truth, base, K);
            break;
        }
        case Task::kRegress: {
            r.model = regression_metrics(y, pred.value);
            r.baseline_name = "training_mean";
            r.baseline = regression_metrics(y, std::vector<float>(y.size(), static_cast<float>(b.baseline_value)));
            break;
        }
        case Task::kForecast: {
            r.model = regression_metrics(y, pred.value);
            r.baseline_name = "persistence";
            r.baseline = regression_metrics(y, persistence_predictions(data, samples, static_cast<float>(b.baseline_value)));
            break;
        }
        case Task::kAnomaly: {
            const std::vector<int> labels(y.begin(), y.end());
            r.model = anomaly_metrics(labels, pred.score, b.anomaly_threshold);
            r.baseline_name = "rolling_zscore";
            r.baseline = anomaly_metrics(labels, zscore_scores(data, b.norm, samples), kZScoreThreshold);
            break;
        }
    }
    return r;
}

ColumnSpec columns_for(const Bundle& b, const CsvTable& table, bool need_target) {
    ColumnSpec c = b.columns;
    if (!need_target && !c.target.empty() && table.find(c.target) < 0) c.target.clear();
    return c;
}

}  // namespace iotgrad::iot::cli
