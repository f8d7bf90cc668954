/// \file
/// Evaluation metrics for classifiers, regressors and anomaly detectors,
/// computed as scikit-learn computes them.
///
/// Class labels are integers 0..C-1. Tensors of labels hold them as floats
/// (as cross_entropy's targets do); labels() converts and checks them.
///
/// **Zero division.** A precision with no predicted samples of the class, a
/// recall with no true samples of it, or an F1 with precision + recall = 0 is
/// 0, as scikit-learn's `zero_division=0` makes it (without its warning).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace iotgrad::iot {

/// Integer labels from a 1-d tensor of whole, non-negative floats;
/// throws std::invalid_argument naming the first other value.
std::vector<int64_t> labels(const Tensor& t);
/// The predicted class of each row of scores [N, C]: the index of the row's
/// largest value (the first one on ties, like argmax).
std::vector<int64_t> predictions(const Tensor& scores);

/// Fraction of positions where y_pred equals y_true (sizes must match, N > 0).
double accuracy(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred);
/// Accuracy of argmax(scores [N, C]) against targets [N].
double accuracy(const Tensor& scores, const Tensor& targets);
/// Fraction of rows whose true class is among the k highest scores. Ties are
/// ranked like argmax (the lower class index first), so k = 1 equals accuracy().
double top_k_accuracy(const Tensor& scores, const Tensor& targets, int64_t k);
/// The same two with integer class labels [N].
double accuracy(const Tensor& scores, const std::vector<int64_t>& targets);
double top_k_accuracy(const Tensor& scores, const std::vector<int64_t>& targets, int64_t k);

/// Counts of (true class, predicted class): row = true, column = predicted
/// (scikit-learn's convention).
class ConfusionMatrix {
public:
    /// Throws std::invalid_argument for mismatched sizes or a label outside 0..num_classes-1.
    ConfusionMatrix(const std::vector<int64_t>& y_true, const std::vector<int64_t>& y_pred, int64_t num_classes);

    int64_t num_classes() const { return c_; }
    /// Samples of true class t predicted as p.
    int64_t at(int64_t t, int64_t p) const;
    /// Samples whose true class is c (row sum).
    int64_t support(int64_t c) const;
    /// Samples predicted as c (column sum).
    int64_t predicted(int64_t c) const;
    int64_t total() const;
    /// Rows of counts, for printing.
    std::string str() const;

private:
    int64_t c_;
    std::vector<int64_t> counts_;  ///< row-major [c_, c_]
};

/// Precision, recall and F1 of one class or one average.
struct PRF {
    double precision = 0, recall = 0, f1 = 0;
    int64_t support = 0;
};

/// Per class c: precision = TP/(TP+FP), recall = TP/(TP+FN),
/// F1 = 2PR/(P+R) (zero division gives 0, see the file comment).
std::vector<PRF> per_class_scores(const ConfusionMatrix& cm);
/// Unweighted mean of the per-class scores (every class counts the same,
/// classes with no support included, as scikit-learn with `labels` given).
PRF macro_average(const ConfusionMatrix& cm);
/// Mean of the per-class scores weighted by support.
PRF weighted_average(const ConfusionMatrix& cm);

/// A text table like scikit-learn's classification_report: one row per class
/// (precision, recall, f1-score, support), then accuracy, macro avg and
/// weighted avg. `names` (optional) labels the rows; digits sets decimals.
std::string classification_report(const ConfusionMatrix& cm, const std::vector<std::string>& names = {},
                                   int digits = 2);

/// Mean squared error \f$ \frac1n \sum (\hat y - y)^2 \f$ (same shapes; accumulated in double).
double mse(const Tensor& pred, const Tensor& target);
/// \f$ \sqrt{\mathrm{MSE}} \f$.
double rmse(const Tensor& pred, const Tensor& target);
/// Mean absolute error \f$ \frac1n \sum |\hat y - y| \f$.
double mae(const Tensor& pred, const Tensor& target);

/// Area under the ROC curve of anomaly scores (higher = more anomalous)
/// against labels (1 anomaly, 0 normal), by the Mann–Whitney statistic:
/// \f[ \mathrm{AUC} = \frac{R_+ - n_+(n_+ + 1)/2}{n_+ n_-} \f]
/// with \f$R_+\f$ the sum of the positives' ranks among all scores, tied scores
/// sharing their average rank. It equals the probability that a random
/// anomaly scores above a random normal sample, ties counting one half, and
/// equals scikit-learn's roc_auc_score. Throws std::invalid_argument unless
/// both classes are present and every label is 0 or 1.
double roc_auc(const std::vector<double>& scores, const std::vector<int>& labels);
/// The same over 1-d tensors (labels as 0.0 / 1.0).
double roc_auc(const Tensor& scores, const Tensor& labels);

}  // namespace iotgrad::iot
